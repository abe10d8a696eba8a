"""``jangkau agent-token`` and ``jangkau monitoring-rollup``; migrations are complete."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from jangkau.monitoring.models import Agent, ProbeResult
from tests.monitoring.conftest import result

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("agent_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def probes(client, token):
    return client.get("/api/monitoring/agent/probes", headers={"Authorization": f"Bearer {token}"})


def test_the_token_is_printed_once_and_only_its_hash_is_stored(client, village):
    token, note = run("box-sangatta", "--village", village.code)
    assert "shown once" in note
    agent = Agent.objects.get(name="box-sangatta")
    assert agent.village == village and len(token) >= 40
    assert token not in (agent.token_hash, agent.notes) and agent.token_prefix == token[:8]
    assert agent.token_matches(token) and not agent.token_matches(token + "x")
    assert probes(client, token).status_code == 200


def test_issuing_again_replaces_the_token_and_revoke_refuses_it(client, db):
    old, _ = run("box-1")
    new, note = run("box-1")
    assert new != old and "new token" in note
    assert probes(client, old).status_code == 401
    assert probes(client, new).status_code == 200
    out, _ = run("box-1", "--revoke")
    assert "revoked" in out and Agent.objects.get(name="box-1").revoked_at is not None
    assert probes(client, new).status_code == 401
    again, _ = run("box-1")  # reinstated with a fresh token
    assert probes(client, again).status_code == 200


def test_bad_names_and_villages_are_errors(db):
    with pytest.raises(CommandError, match="no agent"):
        run("nobody", "--revoke")
    with pytest.raises(CommandError, match="no village"):
        run("box-2", "--village", "99.99.99.9999")


def test_the_rollup_command_runs_the_cycle(agent_token, make_target, ingest):
    agent, _ = agent_token
    t = make_target(agents=[agent])
    now = timezone.now()
    ingest(agent, [result(t, now - timedelta(minutes=i)) for i in range(5)], now)
    out = io.StringIO()
    call_command("monitoring_rollup", stdout=out)
    assert "counted=5" in out.getvalue()
    assert not ProbeResult.objects.filter(rolled_up=False).exists()


def test_no_migration_is_missing(db):
    out = io.StringIO()
    call_command("makemigrations", "monitoring", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()

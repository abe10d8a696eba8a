"""The agent protocol on the server: probe list, result upload, tokens, malformed batches."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jangkau.monitoring.models import Agent, ProbeResult
from tests.monitoring.conftest import iso, result

pytestmark = pytest.mark.django_db

PROBES = "/api/monitoring/agent/probes"
RESULTS = "/api/monitoring/agent/results"


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def post(client, token, body, raw=False):
    data = body if raw else json.dumps(body)
    return client.post(RESULTS, data=data, content_type="application/json", headers=auth(token))


def batch(results, backlog=None, version="0.1.0"):
    return {
        "agent_version": version,
        "backlog": len(results) if backlog is None else backlog,
        "results": results,
    }


def test_probe_list_serves_the_agents_enabled_targets_in_the_protocol_shape(
    client, agent_token, make_target
):
    agent, token = agent_token
    tcp = make_target("uplink", "tcp", "10.20.0.5", 443, agents=[agent], interval_s=30)
    http = make_target(
        "sekolah",
        "http",
        "https://sekolah.example.sch.id/",
        agents=[agent],
        expect_status=200,
        timeout_s=10,
    )
    make_target("off", "icmp", "10.20.0.9", agents=[agent], enabled=False)
    make_target("someone else's", "dns", "kutaitimurkab.go.id")
    r = client.get(PROBES, headers=auth(token))
    assert r.status_code == 200
    body = r.json()
    assert body["agent"] == "agent-desa-1" and body["interval_default_s"] == 60
    assert body["probes"] == [
        {
            "id": tcp.pk,
            "kind": "tcp",
            "target": "10.20.0.5",
            "port": 443,
            "interval_s": 30,
            "timeout_s": 5.0,
            "expect_status": None,
        },
        {
            "id": http.pk,
            "kind": "http",
            "target": "https://sekolah.example.sch.id/",
            "port": None,
            "interval_s": 60,
            "timeout_s": 10.0,
            "expect_status": 200,
        },
    ]
    agent.refresh_from_db()
    assert agent.last_seen is not None


def test_upload_stores_every_result_once_and_acknowledges_duplicates(
    client, agent_token, make_target
):
    agent, token = agent_token
    target = make_target(agents=[agent])
    now = timezone.now()
    results = [result(target, now - timedelta(minutes=3 - i), ok=i != 1) for i in range(3)]
    r = post(client, token, batch(results, backlog=1234, version="0.1.7"))
    assert r.status_code == 200
    assert r.json() == {"accepted": [x["uuid"] for x in results], "duplicates": [], "rejected": []}
    stored = {str(p.uuid): p for p in ProbeResult.objects.all()}
    assert set(stored) == {x["uuid"] for x in results}
    failed = stored[results[1]["uuid"]]
    assert not failed.ok and failed.latency_ms is None and failed.error == "timeout after 5 s"
    assert failed.agent == agent and failed.target == target and not failed.rolled_up
    assert failed.ts == datetime.fromisoformat(results[1]["ts"])
    agent.refresh_from_db()
    assert (agent.last_backlog, agent.version, agent.accepted_total) == (1234, "0.1.7", 3)

    fresh = result(target, now)
    r = post(client, token, batch(results + [fresh]))
    assert r.json() == {
        "accepted": [fresh["uuid"]],
        "duplicates": [x["uuid"] for x in results],
        "rejected": [],
    }
    assert ProbeResult.objects.count() == 4


def test_a_duplicate_is_not_compared_or_overwritten(client, agent_token, make_target):
    agent, token = agent_token
    target = make_target(agents=[agent])
    first = result(target, timezone.now(), ok=True, latency=12.0)
    post(client, token, batch([first]))
    changed = {**first, "ok": False, "latency_ms": None}
    assert post(client, token, batch([changed])).json()["duplicates"] == [first["uuid"]]
    assert ProbeResult.objects.get().latency_ms == 12.0


def test_the_same_uuid_twice_in_one_batch_is_stored_and_named_once(
    client, agent_token, make_target
):
    agent, token = agent_token
    one = result(make_target(agents=[agent]), timezone.now())
    body = post(client, token, batch([one, dict(one)])).json()
    assert body == {"accepted": [one["uuid"]], "duplicates": [], "rejected": []}
    assert ProbeResult.objects.count() == 1


REASONS = [
    ("probe_id", 999_999, "probe 999999 does not belong to this agent"),
    ("probe_id", "17", "probe_id must be an integer"),
    ("ts", "yesterday", "is not an ISO 8601 time"),
    ("ts", "2026-06-01T03:04:05", "must carry its time zone"),
    ("ts", 1717200000, "ts must be an ISO 8601 UTC time"),
    ("ok", "true", "ok must be true or false"),
    ("latency_ms", -1.0, "latency_ms must be a non-negative number"),
    ("loss_pct", 140.0, "loss_pct must be at most 100"),
    ("error", 42, "error must be a string or null"),
    ("detail", ["x"], "detail must be an object"),
    ("uuid", "not-a-uuid", "uuid is not a valid UUID"),
]


@pytest.mark.parametrize("field,value,reason", REASONS, ids=[r[2][:30] for r in REASONS])
def test_a_bad_result_is_rejected_with_its_reason_and_the_rest_stored(
    client, agent_token, make_target, field, value, reason
):
    agent, token = agent_token
    target = make_target(agents=[agent])
    good = result(target, timezone.now())
    bad = {**result(target, timezone.now()), field: value}
    body = post(client, token, batch([good, bad])).json()
    assert body["accepted"] == [good["uuid"]]
    assert len(body["rejected"]) == 1 and body["rejected"][0]["uuid"] == bad["uuid"]
    assert reason in body["rejected"][0]["error"]
    assert ProbeResult.objects.count() == 1
    agent.refresh_from_db()
    assert agent.rejected_total == 1


def test_a_result_of_another_agents_target_is_rejected(client, agent_token, make_target):
    agent, token = agent_token
    other = Agent.objects.create(name="other", token_hash="0" * 64)
    theirs = make_target("theirs", agents=[other])
    r = result(theirs, timezone.now())
    body = post(client, token, batch([r])).json()
    assert body["rejected"] == [
        {"uuid": r["uuid"], "error": f"probe {theirs.pk} does not belong to this agent"}
    ]


def test_future_results_beyond_the_clock_skew_allowance_are_rejected(
    client, agent_token, make_target
):
    agent, token = agent_token
    target = make_target(agents=[agent])
    now = timezone.now()
    within = result(target, now + timedelta(minutes=4))
    beyond = result(target, now + timedelta(minutes=6))
    body = post(client, token, batch([within, beyond])).json()
    assert body["accepted"] == [within["uuid"]]
    assert body["rejected"][0]["uuid"] == beyond["uuid"]
    assert "in the future" in body["rejected"][0]["error"]


def test_results_from_a_box_with_an_unset_clock_are_rejected(client, agent_token, make_target):
    agent, token = agent_token
    target = make_target(agents=[agent])
    epoch = result(target, datetime(1970, 1, 1, 0, 1, tzinfo=UTC))
    body = post(client, token, batch([epoch])).json()
    assert "older than 365 days" in body["rejected"][0]["error"]


def test_icmp_packet_counts_are_taken_from_the_detail(client, agent_token, make_target):
    agent, token = agent_token
    target = make_target(kind="icmp", agents=[agent])
    r = result(
        target,
        timezone.now(),
        loss_pct=33.333,
        detail={"address": "10.20.0.1", "sent": 3, "received": 2, "min_ms": 40.1},
    )
    post(client, token, batch([r]))
    stored = ProbeResult.objects.get()
    assert (stored.packets_sent, stored.packets_lost, stored.loss_pct) == (3, 1, 33.333)
    assert stored.detail["min_ms"] == 40.1


def test_unknown_missing_and_revoked_tokens_are_refused_with_401(client, agent_token, make_target):
    agent, token = agent_token
    target = make_target(agents=[agent])
    body = batch([result(target, timezone.now())])
    for headers in ({}, auth("not-a-token"), {"Authorization": f"Basic {token}"}):
        r = client.post(
            RESULTS, data=json.dumps(body), content_type="application/json", headers=headers
        )
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "unauthenticated"
    agent.revoke()
    r = post(client, token, body)
    assert r.status_code == 401
    assert r.json() == {
        "error": {
            "code": "unauthenticated",
            "message": "Unknown or revoked agent token.",
            "details": [],
        }
    }
    assert client.get(PROBES, headers=auth(token)).status_code == 401
    assert ProbeResult.objects.count() == 0


def test_the_session_is_not_enough_and_csrf_is_not_needed(agent_token, make_target, make_user):
    agent, token = agent_token
    target = make_target(agents=[agent])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user("admin"))
    body = json.dumps(batch([result(target, timezone.now())]))
    assert strict.post(RESULTS, data=body, content_type="application/json").status_code == 401
    r = strict.post(RESULTS, data=body, content_type="application/json", headers=auth(token))
    assert r.status_code == 200 and len(r.json()["accepted"]) == 1


@pytest.mark.parametrize(
    "body,message",
    [
        ("{not json", "not JSON"),
        (json.dumps([1, 2]), "must be a JSON object"),
        (json.dumps({"backlog": 1}), "'results' array"),
        (json.dumps({"results": [{"probe_id": 1}]}), "has no uuid"),
        (json.dumps({"results": ["x"]}), "must be a JSON object"),
        (json.dumps({"results": [], "backlog": -3}), "backlog"),
        (json.dumps({"results": [], "agent_version": 7}), "agent_version"),
    ],
)
def test_a_malformed_batch_is_refused_with_400_logged_and_nothing_stored(
    client, agent_token, make_target, caplog, body, message
):
    agent, token = agent_token
    make_target(agents=[agent])
    with caplog.at_level(logging.WARNING, logger="jangkau.monitoring"):
        r = post(client, token, body, raw=True)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "malformed_batch"
    assert message in r.json()["error"]["message"]
    assert any(
        "agent-desa-1" in rec.getMessage()
        and "malformed" in rec.getMessage()
        or "not JSON" in rec.getMessage()
        for rec in caplog.records
    )
    assert ProbeResult.objects.count() == 0


def test_a_batch_larger_than_the_limit_is_refused(client, agent_token, make_target, settings):
    settings.JANGKAU_MONITORING_MAX_BATCH = 3
    agent, token = agent_token
    target = make_target(agents=[agent])
    many = [result(target, timezone.now()) for _ in range(4)]
    r = post(client, token, batch(many))
    assert r.status_code == 400 and "too many results" in r.json()["error"]["message"]


def test_rejected_results_are_logged_with_the_agent_and_reason(
    client, agent_token, make_target, caplog
):
    agent, token = agent_token
    make_target(agents=[agent])
    bad = {**result(1, timezone.now()), "probe_id": 424242}
    with caplog.at_level(logging.WARNING, logger="jangkau.monitoring.ingest"):
        post(client, token, batch([bad]))
    assert any(
        "agent-desa-1" in rec.getMessage() and "probe 424242" in rec.getMessage()
        for rec in caplog.records
    )


def test_refused_tokens_are_rate_limited_per_address(client, agent_token, settings):
    settings.JANGKAU_AGENT_FAILED_AUTH_PER_MINUTE = 3
    codes = [client.get(PROBES, headers=auth(f"guess-{i}")).status_code for i in range(5)]
    assert codes == [401, 401, 401, 429, 429]


def test_a_valid_agent_is_not_limited_by_the_anonymous_write_limit(
    client, agent_token, make_target, settings
):
    """Agents upload every few seconds; the per-hour anonymous write limit must not apply."""
    settings.JANGKAU_RATELIMIT_WRITE_PER_HOUR = 2
    agent, token = agent_token
    target = make_target(agents=[agent])
    for _ in range(5):
        r = post(client, token, batch([result(target, timezone.now())]))
        assert r.status_code == 200


def test_timestamps_with_offsets_are_stored_in_utc(client, agent_token, make_target):
    agent, token = agent_token
    target = make_target(agents=[agent])
    local = timezone.now().astimezone(timezone.get_fixed_timezone(8 * 60)).replace(microsecond=0)
    r = result(target, local)
    r["ts"] = local.isoformat()
    post(client, token, batch([r]))
    assert ProbeResult.objects.get().ts == local
    assert iso(local).endswith("Z")


def test_the_uuid_is_echoed_exactly_as_sent(client, agent_token, make_target):
    agent, token = agent_token
    target = make_target(agents=[agent])
    r = result(target, timezone.now())
    r["uuid"] = str(uuid.uuid4()).upper()
    assert post(client, token, batch([r])).json()["accepted"] == [r["uuid"]]


def test_the_same_uuid_in_another_spelling_is_a_duplicate(client, agent_token, make_target):
    agent, token = agent_token
    target = make_target(agents=[agent])
    r = result(target, timezone.now())
    post(client, token, batch([r]))
    again = {**r, "uuid": "{" + r["uuid"].upper() + "}"}
    body = post(client, token, batch([again])).json()
    assert body == {"accepted": [], "duplicates": [again["uuid"]], "rejected": []}
    again = {**r, "uuid": r["uuid"].replace("-", "")}
    assert post(client, token, batch([again])).json()["duplicates"] == [again["uuid"]]
    assert ProbeResult.objects.count() == 1


def test_errors_and_details_with_special_characters_are_stored_exactly(
    client, agent_token, make_target
):
    """Tabs, new lines, backslashes and quotes survive the bulk paths (COPY text on PostgreSQL);
    a NUL, which no text column holds, is dropped from the error."""
    agent, token = agent_token
    target = make_target(agents=[agent])
    error = "a\tb\nc\rd \\N e\\\\f \"g\" 'h' ünï\x00"
    detail = {"path": "C:\\temp\\x", "multi\nline": "t\tab", "quote": '"', "n": None, "u": "é"}
    r = result(target, timezone.now(), ok=False, error=error, detail=detail)
    assert post(client, token, batch([r])).json()["accepted"] == [r["uuid"]]
    stored = ProbeResult.objects.get()
    assert stored.error == error.replace("\x00", "")
    assert stored.detail == detail
    assert stored.latency_ms is None and stored.loss_pct is None


def test_a_detail_holding_a_nul_character_is_rejected(client, agent_token, make_target):
    agent, token = agent_token
    target = make_target(agents=[agent])
    good = result(target, timezone.now())
    bad = result(target, timezone.now(), detail={"banner": "x\x00y"})
    body = post(client, token, batch([good, bad])).json()
    assert body["accepted"] == [good["uuid"]]
    assert body["rejected"] == [
        {"uuid": bad["uuid"], "error": "detail must not contain NUL characters"}
    ]


def test_deleting_an_agent_keeps_its_results_and_deleting_a_target_removes_them(
    client, agent_token, make_target
):
    agent, token = agent_token
    kept, dropped = make_target(agents=[agent]), make_target(agents=[agent])
    post(client, token, batch([result(kept, timezone.now()), result(dropped, timezone.now())]))
    assert set(ProbeResult.objects.values_list("agent_id", flat=True)) == {agent.pk}
    Agent.objects.filter(pk=agent.pk).delete()
    assert ProbeResult.objects.count() == 2
    assert set(ProbeResult.objects.values_list("agent_id", flat=True)) == {None}
    dropped.delete()
    assert list(ProbeResult.objects.values_list("target_id", flat=True)) == [kept.pk]

"""Fixtures of the monitoring tests: agents with tokens, targets, results built in code."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

#: a Monday 00:00 WITA (16:00 UTC the day before): day and hour edges line up with it.
T0 = datetime(2026, 5, 3, 16, 0, tzinfo=UTC)


def iso(dt: datetime) -> str:
    """A time as the agent sends it: UTC, milliseconds, ``Z``."""
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def result(target, ts: datetime, ok: bool = True, latency: float | None = 20.0, **extra) -> dict:
    """One result in the wire format of docs/agent.md."""
    body = {
        "uuid": str(uuid.uuid4()),
        "probe_id": target if isinstance(target, int) else target.pk,
        "ts": iso(ts),
        "ok": ok,
        "latency_ms": latency if ok else None,
        "loss_pct": None,
        "error": None if ok else "timeout after 5 s",
        "detail": {},
    }
    body.update(extra)
    return body


def series(target, start: datetime, pattern: str, step_s: int = 60, latency=20.0) -> list[dict]:
    """Results from a pattern: ``.`` success, ``x`` failure, one per ``step_s`` from ``start``."""
    out = []
    for i, ch in enumerate(pattern):
        lat = latency(i) if callable(latency) else latency
        out.append(result(target, start + timedelta(seconds=i * step_s), ch == ".", lat))
    return out


@pytest.fixture
def village(db):
    """A real village of Kutai Timur (loaded once per session by tests/conftest.py)."""
    from jangkau.regions.models import Village

    return Village.objects.select_related("district").order_by("code").first()


@pytest.fixture
def other_village(db, village):
    """A village in another kecamatan."""
    from jangkau.regions.models import Village

    return (
        Village.objects.select_related("district")
        .exclude(district=village.district)
        .order_by("code")
        .first()
    )


@pytest.fixture
def agent_token(db, village):
    """(agent, token) of a fresh agent."""
    from jangkau.monitoring.services.agents import issue_token

    issued = issue_token("agent-desa-1", village.code)
    return issued.agent, issued.token


@pytest.fixture
def make_target(db, village):
    """Create a probe target assigned to the given agents."""
    from jangkau.monitoring.models import ProbeTarget

    def make(name="uplink", kind="tcp", address="10.20.0.1", port=443, agents=(), **kw):
        kw.setdefault("village", village)
        if kind != "tcp" and "port" not in kw:
            port = None
        target = ProbeTarget.objects.create(name=name, kind=kind, address=address, port=port, **kw)
        target.agents.set(agents)
        return target

    return make


@pytest.fixture
def ingest(db):
    """Store results through the same service function the API uses, at a controlled time."""
    from jangkau.monitoring.services.ingest import ingest_batch

    def go(agent, results, now, **envelope):
        payload = {"agent_version": "0.1.0", "backlog": len(results), "results": results}
        payload.update(envelope)
        return ingest_batch(agent, payload, now=now)

    return go

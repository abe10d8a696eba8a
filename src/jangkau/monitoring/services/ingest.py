"""Storing a batch of agent results: ``POST /api/monitoring/agent/results`` (docs/agent.md).

:func:`ingest_batch` is the one function the API view, the tests and ``bench/bench_ingest.py``
call. It validates each result on its own (a bad result is *rejected* with its reason, the
others are stored) and inserts the valid ones with ``INSERT ... ON CONFLICT (uuid) DO NOTHING
RETURNING uuid`` (SQLite >= 3.35: multi-row VALUES; PostgreSQL: ``COPY`` into a temporary
table, then one ``INSERT ... SELECT``). A uuid already stored is thus reported as a
*duplicate* without a prior query and without a race between two uploads of the same result.
The agent's ``last_seen``, backlog and version are updated in the same transaction, which is
committed before the reply is sent.
"""

from __future__ import annotations

import json
import logging
import math
import re
import uuid as uuid_mod
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from jangkau.monitoring import conf
from jangkau.monitoring.models import Agent, ProbeResult

log = logging.getLogger("jangkau.monitoring.ingest")

#: rows per multi-row INSERT on SQLite (13 parameters each, under SQLite's 32,766).
INSERT_CHUNK = 500
MAX_ERROR_CHARS = 2000
SQLITE_WAL_AUTOCHECKPOINT = 10_000
_SMALLINT_MAX = 32767
#: the canonical text form (what the agent sends): validated without building a UUID object
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_COLUMNS = (
    "uuid",
    "target_id",
    "agent_id",
    "ts",
    "received_at",
    "ok",
    "latency_ms",
    "loss_pct",
    "packets_sent",
    "packets_lost",
    "error",
    "detail",
    "rolled_up",
)


class MalformedBatch(ValueError):
    """The batch as a whole is unusable (HTTP 400): not an object, no results array, a result
    that is not an object or has no uuid, too many results."""


class _Rejected(Exception):
    """One result is refused (reported per item)."""


@dataclass
class IngestReply:
    """The reply body: uuids (as the agent sent them) accepted, duplicate, rejected."""

    accepted: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


def _envelope(payload) -> tuple[list, str | None, int | None]:
    if not isinstance(payload, dict):
        raise MalformedBatch("the body must be a JSON object")
    results = payload.get("results")
    if not isinstance(results, list):
        raise MalformedBatch("the body must have a 'results' array")
    if len(results) > conf.max_batch():
        raise MalformedBatch(f"too many results in one batch ({len(results)} > {conf.max_batch()})")
    version = payload.get("agent_version")
    if version is not None and not isinstance(version, str):
        raise MalformedBatch("agent_version must be a string")
    backlog = payload.get("backlog")
    if backlog is not None and (type(backlog) is not int or backlog < 0):
        raise MalformedBatch("backlog must be a non-negative integer")
    return results, version, backlog


def _number(value, name: str, upper: float | None = None) -> float | None:
    if value is None:
        return None
    if type(value) not in (int, float) or not math.isfinite(value) or value < 0:
        raise _Rejected(f"{name} must be a non-negative number or null")
    if upper is not None and value > upper:
        raise _Rejected(f"{name} must be at most {upper:g}")
    return float(value)


def _packets(detail: dict) -> tuple[int, int]:
    """ICMP packets (sent, lost) from ``detail.sent``/``detail.received`` when both are valid."""
    sent, received = detail.get("sent"), detail.get("received")
    if type(sent) is int and type(received) is int and 0 <= received <= sent <= _SMALLINT_MAX:
        return sent, sent - received
    return 0, 0


def _parse(item, allowed: set[int], latest: datetime, oldest: datetime, max_age_days: int):
    """Validate one result; return ``(key, text, row)`` (``MalformedBatch``/``_Rejected``
    otherwise): ``key`` is the uuid as 32 lower-case hex digits, ``text`` as the agent sent it."""
    if not isinstance(item, dict):
        raise MalformedBatch("every result must be a JSON object")
    text = item.get("uuid")
    if not isinstance(text, str) or not text:
        raise MalformedBatch("a result has no uuid")
    if _CANONICAL_UUID.fullmatch(text):
        key = text.replace("-", "")
    else:  # upper case, braces, no hyphens, urn:uuid:...
        try:
            key = uuid_mod.UUID(text).hex
        except ValueError:
            raise _Rejected("uuid is not a valid UUID") from None
    probe_id = item.get("probe_id")
    if type(probe_id) is not int:
        raise _Rejected("probe_id must be an integer")
    if probe_id not in allowed:
        raise _Rejected(f"probe {probe_id} does not belong to this agent")
    ts_text = item.get("ts")
    if not isinstance(ts_text, str):
        raise _Rejected("ts must be an ISO 8601 UTC time such as 2026-06-01T03:04:05.123Z")
    try:
        ts = datetime.fromisoformat(ts_text)
    except ValueError:
        raise _Rejected(f"ts {ts_text[:40]!r} is not an ISO 8601 time") from None
    if ts.tzinfo is None:
        raise _Rejected("ts must carry its time zone (UTC, ending in Z)")
    ts = ts.astimezone(UTC)
    if ts > latest:
        raise _Rejected(
            f"ts {ts_text} is in the future (server time + allowed skew is "
            f"{latest.isoformat(timespec='seconds')})"
        )
    if ts < oldest:
        raise _Rejected(
            f"ts {ts_text} is older than {max_age_days} days (is the agent's clock set?)"
        )
    ok = item.get("ok")
    if type(ok) is not bool:
        raise _Rejected("ok must be true or false")
    latency = _number(item.get("latency_ms"), "latency_ms")
    loss = _number(item.get("loss_pct"), "loss_pct", 100.0)
    error = item.get("error")
    if error is None:
        error = ""
    elif not isinstance(error, str):
        raise _Rejected("error must be a string or null")
    detail = item.get("detail")
    if detail is None:
        detail = {}
    elif not isinstance(detail, dict):
        raise _Rejected("detail must be an object")
    detail_json = json.dumps(detail)
    if "\\u0000" in detail_json:  # PostgreSQL's jsonb cannot hold NUL; SQLite would, so refuse both
        raise _Rejected("detail must not contain NUL characters")
    sent, lost = _packets(detail)
    error = error[:MAX_ERROR_CHARS].replace("\x00", "")  # text columns cannot hold NUL
    return key, text, (probe_id, ts, ok, latency, loss, sent, lost, error, detail_json)


def _insert_sqlite(conn, rows: list[tuple], agent_id: int, received_at: datetime) -> set[str]:
    """SQLite: multi-row VALUES on the raw ``sqlite3`` cursor, values as Django stores them
    (uuid as 32 hex digits, datetimes as naive UTC text, JSON as text)."""
    meta = ProbeResult._meta
    table = conn.ops.quote_name(meta.db_table)
    columns = ", ".join(conn.ops.quote_name(meta.get_field(c).column) for c in _COLUMNS)
    received = str(received_at.astimezone(UTC).replace(tzinfo=None))
    row_sql = "(" + ", ".join(["?"] * len(_COLUMNS)) + ")"
    inserted: set[str] = set()
    conn.ensure_connection()
    cursor = conn.connection.cursor()
    # Random uuids dirty about one index page per result; with the default WAL auto-checkpoint
    # (1,000 pages) nearly every upload would end in a checkpoint and its fsync. 10,000 pages
    # (40 MB of WAL) lets uploads commit without one most of the time (+80 % throughput in
    # bench/bench_ingest.py). Per connection; harmless to set again.
    cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_WAL_AUTOCHECKPOINT}")
    try:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            params: list = []
            for key, (target, ts, ok, latency, loss, sent, lost, error, detail) in chunk:
                params += (
                    key,
                    target,
                    agent_id,
                    str(ts.replace(tzinfo=None)),
                    received,
                    ok,
                    latency,
                    loss,
                    sent,
                    lost,
                    error,
                    detail,
                    False,
                )
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(chunk))} "
                f"ON CONFLICT (uuid) DO NOTHING RETURNING uuid",
                params,
            )
            inserted.update(value for (value,) in cursor.fetchall())
    finally:
        cursor.close()
    return inserted


#: session temporary table the PostgreSQL path copies a batch into (emptied at commit).
_PG_STAGE = "monitoring_ingest_stage"
_PG_COLUMNS = (
    "uuid",
    "target_id",
    "ts",
    "ok",
    "latency_ms",
    "loss_pct",
    "packets_sent",
    "packets_lost",
    "error",
    "detail",
)


def _copy_line(key, target, ts, ok, latency, loss, sent, lost, error, detail) -> str:
    """One row in ``COPY ... FROM STDIN`` text format (tab-separated, ``\\N`` for null,
    backslash escapes); ``detail`` is JSON text, whose only special character is the backslash
    (JSON escapes control characters itself)."""
    if error:
        error = error.translate(_COPY_ESCAPES)
    if "\\" in detail:
        detail = detail.replace("\\", "\\\\")
    return (
        f"{key}\t{target}\t{ts.isoformat()}\t{'t' if ok else 'f'}\t"
        f"{_NULL if latency is None else repr(latency)}\t{_NULL if loss is None else repr(loss)}\t"
        f"{sent}\t{lost}\t{error}\t{detail}\n"
    )


_NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _insert_postgresql(conn, rows: list[tuple], agent_id: int, received_at: datetime) -> set[str]:
    """PostgreSQL: ``COPY`` the batch into a session temporary table (``ON COMMIT DELETE
    ROWS``), then one ``INSERT ... SELECT ... ON CONFLICT (uuid) DO NOTHING RETURNING uuid``.

    The COPY text is written in one piece (``_copy_line``), cheaper than psycopg's per-row
    ``write_row``; binding thousands of parameters or arrays is several times slower.
    Needs a session that keeps temporary tables for the transaction (not a statement-pooling
    proxy).
    """
    import psycopg

    meta = ProbeResult._meta
    qn = conn.ops.quote_name
    table = qn(meta.db_table)
    cols = ", ".join(qn(meta.get_field(c).column) for c in _PG_COLUMNS)
    conn.ensure_connection()
    with psycopg.Cursor(conn.connection) as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_PG_STAGE} (uuid uuid, target_id bigint, "
            "ts timestamptz, ok boolean, latency_ms double precision, loss_pct double precision,"
            " packets_sent integer, packets_lost integer, error text, detail jsonb) "
            "ON COMMIT DELETE ROWS"
        )
        with cursor.copy(f"COPY {_PG_STAGE} ({', '.join(_PG_COLUMNS)}) FROM STDIN") as copy:
            # the uuid goes as 32 hex digits, which PostgreSQL's uuid input accepts
            copy.write("".join([_copy_line(key, *row) for key, row in rows]))
        cursor.execute(
            f"INSERT INTO {table} ({cols}, {qn('agent_id')}, {qn('received_at')}, "
            f"{qn('rolled_up')}) SELECT {', '.join(_PG_COLUMNS)}, %s, %s, false "
            f"FROM {_PG_STAGE} ON CONFLICT ({qn('uuid')}) DO NOTHING "
            f"RETURNING replace({qn('uuid')}::text, '-', '')",
            [agent_id, received_at],
        )
        inserted = {value for (value,) in cursor.fetchall()}
        cursor.execute(f"DELETE FROM {_PG_STAGE}")  # also when the caller's transaction goes on
    return inserted


def _insert_generic(conn, rows: list[tuple], agent_id: int, received_at: datetime) -> set[str]:
    """Any other database Django supports with ``ON CONFLICT ... RETURNING``: through Django's
    cursor and field adapters (slower; SQLite and PostgreSQL have their own paths)."""
    qn = conn.ops.quote_name
    meta = ProbeResult._meta
    uuid_field = meta.get_field("uuid")
    detail_field = meta.get_field("detail")
    adapt_dt = conn.ops.adapt_datetimefield_value
    received = adapt_dt(received_at)
    columns = ", ".join(qn(meta.get_field(c).column) for c in _COLUMNS)
    uuid_col = qn(uuid_field.column)
    row_sql = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    inserted: set[str] = set()
    with conn.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            params: list = []
            for key, (target, ts, ok, latency, loss, sent, lost, error, detail) in chunk:
                params += (
                    uuid_field.get_db_prep_value(uuid_mod.UUID(key), conn),
                    target,
                    agent_id,
                    adapt_dt(ts),
                    received,
                    ok,
                    latency,
                    loss,
                    sent,
                    lost,
                    error,
                    detail_field.get_db_prep_value(json.loads(detail), conn),
                    False,
                )
            cursor.execute(
                f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES "
                f"{', '.join([row_sql] * len(chunk))} "
                f"ON CONFLICT ({uuid_col}) DO NOTHING RETURNING {uuid_col}",
                params,
            )
            for (value,) in cursor.fetchall():
                inserted.add(
                    value.hex if isinstance(value, uuid_mod.UUID) else uuid_mod.UUID(str(value)).hex
                )
    return inserted


def _insert(rows: list[tuple], agent_id: int, received_at: datetime) -> set[str]:
    """Insert ``(hex uuid, (target, ts, ...))`` rows, skipping stored uuids; return the hex
    uuids inserted."""
    conn = connections[ProbeResult.objects.db]
    insert = {"sqlite": _insert_sqlite, "postgresql": _insert_postgresql}.get(
        conn.vendor, _insert_generic
    )
    return insert(conn, rows, agent_id, received_at)


def _allowed_targets(agent: Agent) -> set[int]:
    """Primary keys of the targets assigned to ``agent``: one read of the assignment table (an
    ORM query joining the targets costs a few ms per upload, a tenth of the upload's time)."""
    through = Agent.targets.through
    meta = through._meta
    conn = connections[ProbeResult.objects.db]
    qn = conn.ops.quote_name
    target_col = meta.get_field("probetarget").column
    agent_col = meta.get_field("agent").column
    with conn.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn(target_col)} FROM {qn(meta.db_table)} WHERE {qn(agent_col)} = %s",
            [agent.pk],
        )
        return {pk for (pk,) in cursor.fetchall()}


def ingest_batch(
    agent: Agent, payload, *, now: datetime | None = None, address: str = ""
) -> IngestReply:
    """Validate and store one upload from ``agent``; return the per-uuid reply.

    Parameters
    ----------
    agent : Agent
        The authenticated (active) agent.
    payload : object
        The decoded JSON body ``{"agent_version", "backlog", "results": [...]}``.
    now : datetime, optional
        Server time (tests control it); default ``timezone.now()``.
    address : str
        Client address, recorded on the agent.

    Raises
    ------
    MalformedBatch
        The batch as a whole is unusable (reply 400); nothing is stored.
    """
    now = now or timezone.now()
    results, version, backlog = _envelope(payload)
    allowed = _allowed_targets(agent)
    latest = now + timedelta(seconds=conf.clock_skew_s())
    max_age = conf.max_result_age_days()
    oldest = now - timedelta(days=max_age)
    reply = IngestReply()
    rows: list[tuple] = []
    texts: dict[str, str] = {}
    for item in results:
        try:
            key, text, row = _parse(item, allowed, latest, oldest, max_age)
        except _Rejected as exc:
            reply.rejected.append({"uuid": item["uuid"], "error": str(exc)})
            continue
        if key in texts:  # the same result twice in one batch: stored once, named once
            continue
        texts[key] = text
        rows.append((key, row))
    with transaction.atomic(using=ProbeResult.objects.db):
        inserted = _insert(rows, agent.pk, now) if rows else set()
        updates = {
            "last_seen": now,
            "accepted_total": F("accepted_total") + len(inserted),
            "rejected_total": F("rejected_total") + len(reply.rejected),
        }
        if backlog is not None:
            updates["last_backlog"] = backlog
        if version:
            updates["version"] = version[:40]
        if address:
            updates["last_address"] = address[:64]
        Agent.objects.filter(pk=agent.pk).update(**updates)
    accepted, duplicates = reply.accepted.append, reply.duplicates.append
    for key, _row in rows:
        (accepted if key in inserted else duplicates)(texts[key])
    if reply.rejected:
        log.warning(
            "agent %s: %d of %d result(s) rejected, e.g. %s: %s",
            agent.name,
            len(reply.rejected),
            len(results),
            reply.rejected[0]["uuid"],
            reply.rejected[0]["error"],
        )
    return reply


def touch_agent(agent: Agent, *, now: datetime | None = None, address: str = "") -> None:
    """Record that the agent asked for its probe list."""
    updates = {"last_seen": now or timezone.now()}
    if address:
        updates["last_address"] = address[:64]
    Agent.objects.filter(pk=agent.pk).update(**updates)

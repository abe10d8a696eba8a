"""The agent's SQLite queue: order, idempotency, acknowledgement, dead letters, durability."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import uuid

import pytest

from jangkau.agent.queue import ResultQueue


def result(i, probe_id=1):
    return {"uuid": str(uuid.uuid4()), "probe_id": probe_id, "ts": f"2026-01-01T00:00:{i:02d}Z",
            "ok": True, "latency_ms": float(i), "loss_pct": None, "error": None,
            "detail": {"i": i}}


@pytest.fixture
def queue(tmp_path):
    q = ResultQueue(tmp_path / "q" / "queue.sqlite3")
    yield q
    q.close()


def test_wal_mode_and_full_sync(queue):
    assert queue._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert queue._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_fifo_batches_round_trip_the_dicts(queue):
    rs = [result(i) for i in range(10)]
    assert queue.put(rs[:4]) == 4
    assert queue.put(rs[4:]) == 6
    assert len(queue) == 10
    assert queue.batch(3) == rs[:3]
    assert [r["uuid"] for r in queue.batch(100)] == [r["uuid"] for r in rs]


def test_same_uuid_is_queued_once(queue):
    r = result(1)
    assert queue.put([r, r]) == 1
    assert queue.put([r]) == 0
    assert len(queue) == 1


def test_ack_deletes_accepted_and_duplicates_and_dead_letters_rejected(queue):
    rs = [result(i) for i in range(5)]
    queue.put(rs)
    done, dead = queue.ack(accepted=[rs[0]["uuid"]], duplicates=[rs[1]["uuid"], "unknown"],
                           rejected=[(rs[2]["uuid"], "probe 1 is not yours")])
    assert (done, dead) == (2, 1)
    assert queue.uuids() == [rs[3]["uuid"], rs[4]["uuid"]]
    letters = queue.dead_letters()
    assert [(d["uuid"], d["error"]) for d in letters] == [(rs[2]["uuid"], "probe 1 is not yours")]
    assert letters[0]["result"] == rs[2]


def test_max_queue_drops_oldest(tmp_path):
    with ResultQueue(tmp_path / "q.sqlite3", max_queue=5) as q:
        rs = [result(i) for i in range(8)]
        q.put(rs)
        assert q.uuids() == [r["uuid"] for r in rs[3:]]


def test_state_and_failed_transaction_rolls_back(queue):
    assert queue.get_state("x") is None
    queue.set_state("x", "1")
    queue.set_state("x", "2")
    assert queue.get_state("x") == "2"
    with pytest.raises(KeyError):
        queue.put([result(1), {"uuid": "bad"}])  # second row lacks probe_id
    assert len(queue) == 0


def test_survives_reopen(tmp_path):
    path = tmp_path / "q.sqlite3"
    rs = [result(i) for i in range(3)]
    with ResultQueue(path) as q:
        q.put(rs)
    with ResultQueue(path) as q:
        assert q.batch(10) == rs


def test_committed_results_survive_sigkill(tmp_path):
    """A process killed right after put() returns loses nothing (commit is durable)."""
    path = tmp_path / "q.sqlite3"
    code = textwrap.dedent(f"""
        import os, signal, sys, uuid
        from jangkau.agent.queue import ResultQueue
        q = ResultQueue({str(path)!r})
        rows = [{{"uuid": str(uuid.uuid4()), "probe_id": 1, "ts": "t", "ok": True}}
                for _ in range(50)]
        q.put(rows)
        print(",".join(r["uuid"] for r in rows), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": _src_path()})
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    written = proc.stdout.strip().split(",")
    with ResultQueue(path) as q:
        assert q.uuids() == written
    # and the database is consistent
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def _src_path():
    import jangkau
    return os.path.dirname(os.path.dirname(jangkau.__file__))

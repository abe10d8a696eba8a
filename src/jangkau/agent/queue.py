"""The agent's durable result queue: SQLite (stdlib ``sqlite3``) in WAL mode.

Every probe result is committed here *before* any upload is attempted, and leaves only when the
server has answered 200 naming its uuid (accepted, duplicate or rejected). The database is
opened with ``journal_mode=WAL`` and ``synchronous=FULL``: a commit survives a killed process
and a power cut (village boxes lose power), at the cost of one fsync per commit, which is why
results are written in one transaction per probe round.

Tables:

``results``
    ``seq`` (autoincrement, upload order = oldest first), ``uuid`` (unique), ``probe_id``,
    ``ts``, ``body`` (the result JSON exactly as uploaded).
``dead_letter``
    results the server rejected, with its error, kept for inspection and never retried.
``state``
    small key/value store (the last probe list, so probing continues after a reboot while the
    server is unreachable).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    probe_id INTEGER NOT NULL,
    ts TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dead_letter (
    uuid TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    error TEXT NOT NULL,
    dead_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class ResultQueue:
    """Durable FIFO of result dicts keyed by uuid.

    Parameters
    ----------
    path : path-like
        Database file (parent directories are created); ``":memory:"`` for tests.
    max_queue : int
        When more results are queued, the oldest are deleted (logged as a warning) so a box
        offline for months cannot fill its SD card.

    Notes
    -----
    Not thread-safe; the agent uses it from its event loop thread only.
    """

    def __init__(self, path: str | Path, max_queue: int = 2_000_000):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.max_queue = int(max_queue)
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    # -- context manager -----------------------------------------------------------------
    def __enter__(self) -> ResultQueue:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the database (pending transactions are already committed)."""
        self._db.close()

    # -- writing -------------------------------------------------------------------------
    def put(self, results: Iterable[dict]) -> int:
        """Commit results (dicts with at least ``uuid``, ``probe_id``, ``ts``) in one transaction.

        A uuid already queued is ignored. Returns the number of rows inserted.
        """
        rows = [
            (r["uuid"], int(r["probe_id"]), r["ts"], json.dumps(r, separators=(",", ":")))
            for r in results
        ]
        if not rows:
            return 0
        with self._tx() as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO results (uuid, probe_id, ts, body) VALUES (?, ?, ?, ?)", rows
            )
            inserted = db.total_changes - before
            excess = self._count(db) - self.max_queue
            if excess > 0:
                db.execute(
                    "DELETE FROM results WHERE seq IN "
                    "(SELECT seq FROM results ORDER BY seq LIMIT ?)",
                    (excess,),
                )
                log.warning("queue over %d results: dropped the %d oldest", self.max_queue, excess)
        return inserted

    def ack(
        self,
        accepted: Iterable[str] = (),
        duplicates: Iterable[str] = (),
        rejected: Iterable[tuple[str, str]] = (),
    ) -> tuple[int, int]:
        """Apply a server reply in one transaction.

        Accepted and duplicate uuids are deleted; rejected ones move to ``dead_letter`` with
        the server's error. Unknown uuids are ignored.

        Returns
        -------
        (int, int)
            Rows deleted as delivered, rows moved to the dead-letter table.
        """
        done = [(u,) for u in {*accepted, *duplicates}]
        now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        with self._tx() as db:
            before = db.total_changes
            db.executemany("DELETE FROM results WHERE uuid = ?", done)
            n_done = db.total_changes - before
            n_dead = 0
            for uuid, error in rejected:
                row = db.execute("SELECT body FROM results WHERE uuid = ?", (uuid,)).fetchone()
                if row is None:
                    continue
                db.execute(
                    "INSERT OR REPLACE INTO dead_letter (uuid, body, error, dead_at) "
                    "VALUES (?, ?, ?, ?)",
                    (uuid, row[0], str(error), now),
                )
                db.execute("DELETE FROM results WHERE uuid = ?", (uuid,))
                n_dead += 1
        return n_done, n_dead

    # -- reading -------------------------------------------------------------------------
    def batch(self, limit: int) -> list[dict]:
        """The ``limit`` oldest queued results, as the dicts that were put."""
        cur = self._db.execute("SELECT body FROM results ORDER BY seq LIMIT ?", (int(limit),))
        return [json.loads(b) for (b,) in cur]

    def __len__(self) -> int:
        return self._count(self._db)

    def __bool__(self) -> bool:  # an empty queue is still a queue
        return True

    def uuids(self) -> list[str]:
        """All queued uuids, oldest first."""
        return [u for (u,) in self._db.execute("SELECT uuid FROM results ORDER BY seq")]

    def dead_letters(self) -> list[dict]:
        """Rejected results: ``{"uuid", "error", "dead_at", "result"}`` dicts."""
        cur = self._db.execute(
            "SELECT uuid, error, dead_at, body FROM dead_letter ORDER BY dead_at, uuid"
        )
        return [
            {"uuid": u, "error": e, "dead_at": d, "result": json.loads(b)} for u, e, d, b in cur
        ]

    # -- small state ---------------------------------------------------------------------
    def get_state(self, key: str) -> str | None:
        """Value stored under ``key``, or None."""
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_state(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` (committed)."""
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, value))

    # -- internals -----------------------------------------------------------------------
    @staticmethod
    def _count(db: sqlite3.Connection) -> int:
        return int(db.execute("SELECT COUNT(*) FROM results").fetchone()[0])

    def _tx(self):
        return _Transaction(self._db)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on exception)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")

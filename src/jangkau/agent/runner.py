"""The probe agent: schedule probes, queue results durably, upload them until acknowledged.

``jangkau agent [--config FILE] [--once] [--status]`` calls :func:`main`. Continuous mode runs
three asyncio tasks:

* the **scheduler** runs each probe every ``interval_s`` (fixed rate; a run still in flight is
  not started twice) with at most ``concurrency`` probes at once, and commits each round's
  results to the SQLite queue in one transaction;
* the **uploader** sends the queue oldest first in batches of ``batch_size`` whenever results
  are committed (or every ``flush_interval_s``), deletes only what a 200 reply names, and backs
  off exponentially with jitter on network errors, 5xx and 401;
* the **refresher** fetches the probe list every ``refresh_s``; the last list is cached in the
  queue database so a box rebooted while the uplink is down keeps probing.

Crash safety: a result is committed before any upload; it is deleted only after a 200 reply
naming its uuid; a kill at any moment leaves it queued and it is sent again, the server
deduplicating by uuid. Exit codes of ``--once``: 0 all delivered, 2 configuration error,
3 results left queued (server unreachable, 5xx, or no probe list), 4 token refused (401/403).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
import time
from dataclasses import dataclass

from jangkau import __version__
from jangkau.agent.client import (
    AuthError,
    Backoff,
    BatchError,
    ProbeList,
    ServerClient,
    ServerError,
    TransientError,
)
from jangkau.agent.config import AgentConfig, ConfigError, load_config
from jangkau.agent.probes import ProbeSpec, run_probe
from jangkau.agent.queue import ResultQueue

log = logging.getLogger("jangkau.agent")

EXIT_OK = 0
EXIT_CONFIG = 2
EXIT_QUEUED = 3
EXIT_AUTH = 4
_PROBES_STATE = "probe_list"


@dataclass(frozen=True)
class FlushOutcome:
    """Result of one :meth:`Agent.flush`.

    Attributes
    ----------
    delivered : int
        Results deleted because accepted or duplicate.
    dead : int
        Results moved to the dead-letter table (rejected).
    remaining : int
        Results still queued.
    error : ServerError or None
        Why the flush stopped early, if it did.
    """

    delivered: int
    dead: int
    remaining: int
    error: ServerError | None = None

    @property
    def ok(self) -> bool:
        """True when the queue was emptied without error."""
        return self.error is None and self.remaining == 0


class Agent:
    """The probe agent.

    Parameters
    ----------
    config : AgentConfig
    client : ServerClient, optional
        Default: built from ``config``.
    queue : ResultQueue, optional
        Default: opened at ``config.queue``.
    sleep : coroutine function, optional
        Used for backoff waits (tests inject a recorder).
    backoff : Backoff, optional
    ssl_context : ssl.SSLContext, optional
        Trust store for https probes (default: system CAs).
    """

    def __init__(
        self,
        config: AgentConfig,
        *,
        client: ServerClient | None = None,
        queue: ResultQueue | None = None,
        sleep=None,
        backoff: Backoff | None = None,
        ssl_context=None,
    ):
        self.config = config
        self.client = client or ServerClient(
            config.server, config.token, timeout_s=config.http_timeout_s, ca_file=config.ca_file
        )
        self.queue = queue if queue is not None else ResultQueue(config.queue, config.max_queue)
        self.backoff = backoff or Backoff(config.backoff_base_s, config.backoff_cap_s)
        self.probes: list[ProbeSpec] = []
        self.produced = 0
        self.last_round_failed = 0
        self._sleep = sleep or asyncio.sleep
        self._ssl_context = ssl_context
        self._loop = None
        self._bind()

    def _bind(self) -> None:
        """(Re)create the loop-bound primitives when used from a new event loop."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is self._loop and loop is not None:
            return
        self._loop = loop
        self._semaphore = asyncio.Semaphore(self.config.concurrency)
        self._committed = asyncio.Event()
        self._probes_changed = asyncio.Event()

    # -- probe list ------------------------------------------------------------------------
    def _apply_probe_list(self, pl: ProbeList) -> None:
        for why in pl.invalid:
            log.warning("skipping invalid probe: %s", why)
        changed = pl.probes != self.probes
        self.probes = pl.probes
        if changed:
            self._probes_changed.set()

    async def refresh_probes(self) -> ServerError | None:
        """Fetch the probe list; on failure keep the current or cached one.

        Returns the error, or None on success.
        """
        self._bind()
        try:
            pl = await self.client.afetch_probes()
        except ServerError as exc:
            level = logging.ERROR if isinstance(exc, AuthError) else logging.WARNING
            log.log(level, "cannot fetch probe list: %s", exc)
            if not self.probes:
                cached = self.queue.get_state(_PROBES_STATE)
                if cached:
                    self._apply_probe_list(ProbeList.from_json(json.loads(cached)))
                    log.info("using the cached probe list (%d probes)", len(self.probes))
            return exc
        self._apply_probe_list(pl)
        self.queue.set_state(_PROBES_STATE, json.dumps(pl.raw))
        log.info("probe list: %d probes for agent %r", len(self.probes), pl.agent)
        return None

    # -- probing ---------------------------------------------------------------------------
    async def _run_one(self, spec: ProbeSpec) -> dict:
        async with self._semaphore:
            result = await run_probe(
                spec,
                icmp_count=self.config.icmp_count,
                icmp_interval_s=self.config.icmp_interval_s,
                ssl_context=self._ssl_context,
            )
        return result.to_json()

    async def run_round(self, probes: list[ProbeSpec] | None = None) -> int:
        """Run the given probes (default all) concurrently and commit their results.

        Returns the number of results committed.
        """
        self._bind()
        probes = self.probes if probes is None else probes
        if not probes:
            return 0
        results = await asyncio.gather(*(self._run_one(p) for p in probes))
        n = self.queue.put(results)
        self.produced += n
        self._committed.set()
        self.last_round_failed = failed = sum(not r["ok"] for r in results)
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "round: %d probes, %d failed, %d queued", len(results), failed, len(self.queue)
            )
        return n

    # -- uploading -------------------------------------------------------------------------
    async def _upload(self, batch: list[dict]) -> tuple[int, int]:
        """Upload one batch; 400 -> bisect down to the bad result. Returns (delivered, dead)."""
        try:
            reply = await self.client.apost_results(batch, backlog=len(self.queue))
        except BatchError as exc:
            if len(batch) == 1:
                uuid = batch[0]["uuid"]
                log.error(
                    "server refused result %s as malformed (%s): moved to dead letter", uuid, exc
                )
                _, dead = self.queue.ack(rejected=[(uuid, str(exc))])
                return 0, dead
            mid = len(batch) // 2
            d1, x1 = await self._upload(batch[:mid])
            d2, x2 = await self._upload(batch[mid:])
            return d1 + d2, x1 + x2
        sent = {r["uuid"] for r in batch}
        accepted = [u for u in reply.accepted if u in sent]
        duplicates = [u for u in reply.duplicates if u in sent]
        rejected = [(u, e) for u, e in reply.rejected if u in sent]
        for uuid, error in rejected:
            log.error("server rejected result %s: %s (moved to dead letter)", uuid, error)
        delivered, dead = self.queue.ack(accepted, duplicates, rejected)
        missing = len(sent) - len({*accepted, *duplicates, *(u for u, _ in rejected)})
        if missing:
            raise TransientError(
                f"server acknowledged only {len(sent) - missing} of "
                f"{len(sent)} results; the rest stay queued"
            )
        return delivered, dead

    async def flush(self) -> FlushOutcome:
        """Upload the queue oldest first until it is empty or a request fails."""
        self._bind()
        delivered = dead = 0
        while True:
            batch = self.queue.batch(self.config.batch_size)
            if not batch:
                return FlushOutcome(delivered, dead, 0)
            try:
                d, x = await self._upload(batch)
            except ServerError as exc:
                remaining = len(self.queue)
                if isinstance(exc, AuthError):
                    log.error(
                        "upload refused: %s; %d results kept in the queue (check the agent token)",
                        exc,
                        remaining,
                    )
                else:
                    log.warning("upload failed: %s; %d results kept in the queue", exc, remaining)
                return FlushOutcome(delivered, dead, remaining, exc)
            delivered += d
            dead += x

    async def upload_loop(self, stop: asyncio.Event) -> None:
        """Flush after each commit (or every ``flush_interval_s``), backing off on failure."""
        self._bind()
        while not stop.is_set():
            try:
                await asyncio.wait_for(self._committed.wait(), self.config.flush_interval_s)
            except TimeoutError:
                pass
            self._committed.clear()
            outcome = await self.flush()
            if outcome.error is None:
                self.backoff.reset()
                continue
            delay = self.backoff.next_delay()
            log.info("next upload attempt in %.1f s", delay)
            await self._sleep(delay)

    # -- scheduling ------------------------------------------------------------------------
    async def schedule_loop(self, stop: asyncio.Event) -> None:
        """Run each probe every ``interval_s`` (fixed rate, no overlap of one probe)."""
        self._bind()
        loop = asyncio.get_running_loop()
        next_due: dict[int, float] = {}
        in_flight: set[int] = set()
        rounds: set[asyncio.Task] = set()

        async def round_of(due: list[ProbeSpec]) -> None:
            try:
                await self.run_round(due)
            finally:
                in_flight.difference_update(p.id for p in due)

        try:
            while not stop.is_set():
                now = loop.time()
                current = {p.id: p for p in self.probes}
                for pid in list(next_due):
                    if pid not in current:
                        del next_due[pid]
                due = []
                for pid, p in current.items():
                    at = next_due.setdefault(pid, now)
                    if at <= now and pid not in in_flight:
                        due.append(p)
                        nxt = at + p.interval_s
                        next_due[pid] = nxt if nxt > now else now + p.interval_s
                if due:
                    in_flight.update(p.id for p in due)
                    task = asyncio.create_task(round_of(due))
                    rounds.add(task)
                    task.add_done_callback(rounds.discard)
                wake = min(next_due.values(), default=now + 1.0)
                self._probes_changed.clear()
                try:
                    await asyncio.wait_for(
                        self._probes_changed.wait(), max(0.0, min(wake - loop.time(), 1.0))
                    )
                except TimeoutError:
                    pass
        finally:
            if rounds:  # let running probes finish and commit (bounded by their timeouts)
                await asyncio.gather(*rounds, return_exceptions=True)

    async def refresh_loop(self, stop: asyncio.Event) -> None:
        """Fetch the probe list every ``refresh_s`` (every 30 s at most while there is none)."""
        while not stop.is_set():
            period = self.config.refresh_s if self.probes else min(self.config.refresh_s, 30.0)
            try:
                await asyncio.wait_for(stop.wait(), period)
            except TimeoutError:
                await self.refresh_probes()

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set; results still queued stay in the database."""
        self._bind()
        await self.refresh_probes()
        tasks = [
            asyncio.create_task(self.schedule_loop(stop), name="schedule"),
            asyncio.create_task(self.upload_loop(stop), name="upload"),
            asyncio.create_task(self.refresh_loop(stop), name="refresh"),
        ]
        await stop.wait()
        self._probes_changed.set()
        await tasks[0]  # finishes the running rounds
        for t in tasks[1:]:
            t.cancel()
        await asyncio.gather(*tasks[1:], return_exceptions=True)

    async def run_once(self) -> int:
        """One round of every probe and one flush; returns the ``--once`` exit code."""
        fetch_error = await self.refresh_probes()
        if not self.probes and fetch_error is not None:
            log.error("no probe list (server unreachable and nothing cached)")
        await self.run_round()
        outcome = await self.flush()
        log.info(
            "once: %d results produced, %d delivered, %d dead-lettered, %d queued",
            self.produced,
            outcome.delivered,
            outcome.dead,
            outcome.remaining,
        )
        if isinstance(outcome.error, AuthError) or isinstance(fetch_error, AuthError):
            return EXIT_AUTH
        if not outcome.ok or (not self.probes and fetch_error is not None):
            return EXIT_QUEUED
        return EXIT_OK

    def close(self) -> None:
        """Close the queue."""
        self.queue.close()


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="jangkau agent",
        description="Jangkau probe agent: probe targets, queue results in SQLite, upload them.",
    )
    p.add_argument(
        "--config",
        metavar="FILE",
        help="TOML config file (default $JANGKAU_AGENT_CONFIG); env vars override it",
    )
    p.add_argument(
        "--once",
        action="store_true",
        help="run every probe once, upload, and exit (for cron and tests)",
    )
    p.add_argument(
        "--status",
        action="store_true",
        help="print the queue backlog and dead-letter count, and exit",
    )
    p.add_argument(
        "--log-level",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="override the configured log level",
    )
    p.add_argument("--version", action="version", version=f"jangkau-agent {__version__}")
    return p


async def _run_forever(agent: Agent) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    await agent.run(stop)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``jangkau agent``; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        config = load_config(args.config, require_credentials=not args.status)
    except ConfigError as exc:
        print(f"jangkau agent: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    logging.basicConfig(
        level=args.log_level or config.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.Formatter.converter = time.gmtime
    if args.status:
        with ResultQueue(config.queue, config.max_queue) as q:
            print(json.dumps({"queued": len(q), "dead_letter": len(q.dead_letters())}))
        return EXIT_OK

    async def go() -> int:
        agent = Agent(config)
        try:
            if args.once:
                return await agent.run_once()
            await _run_forever(agent)
            return EXIT_OK
        finally:
            agent.close()

    return asyncio.run(go())


if __name__ == "__main__":
    raise SystemExit(main())

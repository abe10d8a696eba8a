"""Benchmark: one agent probing 1,000 TCP targets per minute on one core.

A helper process (so its CPU is not counted) listens on loopback ports that accept and close
connections, and serves the agent protocol (probe list, result upload) from memory. This
process runs the real :class:`jangkau.agent.runner.Agent`: each round runs every probe
concurrently, commits the results to the SQLite queue, then uploads them in batches. Reported:
wall time of the probe phase and of the upload, CPU time of the agent process
(``resource.getrusage``), and its peak RSS (goal < 100 MB, a round well under 60 s).

Run: ``python bench/bench_agent.py [--quick] [--targets N] [--ports P] [--rounds R]``.
Prints markdown.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

from jangkau.agent.config import AgentConfig
from jangkau.agent.runner import Agent

HELPER = textwrap.dedent("""
    import asyncio, json, sys, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    n_ports, n_targets = int(sys.argv[1]), int(sys.argv[2])
    store = set()

    async def sink(reader, writer):
        writer.close()

    async def listeners():
        servers = [await asyncio.start_server(sink, "127.0.0.1", 0, backlog=1024)
                   for _ in range(n_ports)]
        return [s.sockets[0].getsockname()[1] for s in servers], servers

    loop = asyncio.new_event_loop()
    ports, servers = loop.run_until_complete(listeners())
    probes = [{"id": i + 1, "kind": "tcp", "target": "127.0.0.1",
               "port": ports[i % len(ports)], "interval_s": 60, "timeout_s": 5.0,
               "expect_status": None} for i in range(n_targets)]

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *a):
            pass
        def send(self, doc):
            body = json.dumps(doc).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def do_GET(self):
            self.send({"agent": "bench", "interval_default_s": 60, "probes": probes})
        def do_POST(self):
            doc = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            acc, dup = [], []
            for r in doc["results"]:
                (dup if r["uuid"] in store else acc).append(r["uuid"])
                store.add(r["uuid"])
            self.send({"accepted": acc, "duplicates": dup, "rejected": []})

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    print(json.dumps({"http_port": httpd.server_address[1]}), flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass
""")


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


async def bench(args, server: str, queue: Path) -> list[dict]:
    cfg = AgentConfig(server=server, token="bench", queue=queue, batch_size=args.batch_size,
                      concurrency=args.concurrency)
    agent = Agent(cfg)
    rows = []
    try:
        err = await agent.refresh_probes()
        if err is not None:
            raise SystemExit(f"cannot fetch probes: {err}")
        for i in range(args.rounds):
            c0, t0 = cpu_s(), time.perf_counter()
            n = await agent.run_round()
            c1, t1 = cpu_s(), time.perf_counter()
            outcome = await agent.flush()
            c2, t2 = cpu_s(), time.perf_counter()
            rows.append({"round": i + 1, "results": n, "failed": agent.last_round_failed,
                         "probe_s": t1 - t0, "probe_cpu": c1 - c0,
                         "upload_s": t2 - t1, "upload_cpu": c2 - c1,
                         "delivered": outcome.delivered, "left": outcome.remaining,
                         "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    finally:
        agent.close()
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100 targets, 1 round")
    ap.add_argument("--targets", type=int, default=1000)
    ap.add_argument("--ports", type=int, default=250, help="loopback listeners")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--concurrency", type=int, default=256)
    ap.add_argument("--batch-size", type=int, default=500)
    args = ap.parse_args(argv)
    if args.quick:
        args.targets, args.ports, args.rounds = 100, 25, 1
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_setaffinity") else []
    helper = subprocess.Popen([sys.executable, "-c", HELPER, str(args.ports), str(args.targets)],
                              stdout=subprocess.PIPE, text=True)
    pinned = "not pinned"
    if len(cpus) >= 2:  # the agent on one core, the helper on the others
        os.sched_setaffinity(0, {cpus[0]})
        os.sched_setaffinity(helper.pid, set(cpus[1:]))
        pinned = f"agent pinned to CPU {cpus[0]}, helper to CPU {cpus[1:]}"
    try:
        info = json.loads(helper.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rows = asyncio.run(bench(args, f"http://127.0.0.1:{info['http_port']}",
                                     Path(tmp) / "queue.sqlite3"))
    finally:
        helper.terminate()
        helper.wait(10)
    peak = max(r["rss_mb"] for r in rows)
    print("## Probe agent: one round of TCP-connect probes\n")
    print(f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    print(f"- machine: {machine()}")
    print(f"- {args.targets} TCP probes to {args.ports} loopback listeners, concurrency "
          f"{args.concurrency}, SQLite queue (WAL, synchronous=FULL), upload batches of "
          f"{args.batch_size} to a loopback protocol server in another process; {pinned}\n")
    print("| round | results | failed | probe phase wall | probe CPU | upload wall | upload CPU"
          " | delivered | left queued | peak RSS |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['round']} | {r['results']} | {r['failed']} | {r['probe_s']:.2f} s | "
              f"{r['probe_cpu']:.2f} s"
              f" | {r['upload_s']:.2f} s | {r['upload_cpu']:.2f} s | {r['delivered']} | "
              f"{r['left']} | {r['rss_mb']:.0f} MB |")
    worst = max(r["probe_s"] + r["upload_s"] for r in rows)
    print(f"\n- worst round (probes + upload): {worst:.2f} s of the 60 s interval; peak RSS "
          f"{peak:.0f} MB (interpreter and imports before the first round: {rss0:.0f} MB)")
    return 0 if worst < 60 and peak < 100 and all(r["left"] == 0 for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

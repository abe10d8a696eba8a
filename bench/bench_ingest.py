"""Benchmark: storing agent results through the ingest service, SQLite and PostgreSQL.

Times :func:`jangkau.monitoring.services.ingest.ingest_batch` - the function behind
``POST /api/monitoring/agent/results`` - on batches in the agent's wire format (500 results per
upload, the agent's default), into a fresh SQLite file (WAL, as configured in production) and
into a temporary PostgreSQL database on 127.0.0.1:5432 (user postgres, trust auth; skipped if
it does not answer). Validation, the multi-row ``INSERT ... ON CONFLICT DO NOTHING RETURNING``,
the agent update and the commit are all inside the timing; building the JSON the agent would
send is not. Also times a re-sent backlog (every result a duplicate). Goal: >= 20,000 results/s
on each database.

Result uuids are made as the agent makes them: time-ordered UUIDv7 (``jangkau.agent.ids``). A
second row per database uses random uuid4s, as a client other than our agent might send, which
cost the unique index more; the goal is judged on the agent's own format.

Each database runs in a child process (Django is configured once per process):
``python bench/bench_ingest.py [--quick] [--results N] [--batch B] [--backend sqlite|postgres]
[--uuid v7|v4]``.
Prints markdown.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
GOAL = 20_000


def settings_module() -> str:
    """The project's test settings, or the monitoring app's development settings before the
    app is wired into them."""
    if os.environ.get("JANGKAU_BENCH_SETTINGS"):
        return os.environ["JANGKAU_BENCH_SETTINGS"]
    if importlib.util.find_spec("jangkau.monitoring.settings_dev"):
        return "jangkau.monitoring.settings_dev"
    return "jangkau.settings_test"


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def proc_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of a local process (the PostgreSQL backend), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:
        return False


# -- child: one database ------------------------------------------------------------------------


def child(backend: str, n_results: int, batch: int, n_targets: int, uuid_kind: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from jangkau.agent.ids import uuid7
    from jangkau.monitoring.models import Agent, ProbeResult, ProbeTarget
    from jangkau.monitoring.services.agents import issue_token
    from jangkau.monitoring.services.ingest import ingest_batch
    from jangkau.regions.models import District, Regency, Village

    call_command("migrate", verbosity=0)
    regency = Regency.objects.create(code="99.01", name="Bench")
    district = District.objects.create(code="99.01.01", name="Bench", regency=regency)
    village = Village.objects.create(
        code="99.01.01.2001", name="Bench", district=district, kind="desa"
    )
    agent = issue_token("bench-agent", village.code).agent
    targets = ProbeTarget.objects.bulk_create(
        ProbeTarget(
            name=f"t{i}", kind="icmp", address=f"10.0.{i // 250}.{i % 250}", village=village
        )
        for i in range(n_targets)
    )
    agent.targets.set(targets)
    ids = [t.pk for t in targets]
    agent = Agent.objects.get(pk=agent.pk)

    now = datetime.now(UTC).replace(microsecond=0)
    t0 = now - timedelta(days=2)

    def wire(k: int) -> dict:
        ts = t0 + timedelta(seconds=k * 0.5)
        ok = k % 97 != 0
        uid = uuid7(int(ts.timestamp() * 1000)) if uuid_kind == "v7" else uuid.uuid4()
        return {
            "uuid": str(uid),
            "probe_id": ids[k % n_targets],
            "ts": ts.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "ok": ok,
            "latency_ms": round(20.0 + (k * 7919 % 1000) / 10.0, 3) if ok else None,
            "loss_pct": 0.0 if ok else 100.0,
            "error": None if ok else "timeout after 2 s",
            "detail": {"address": "10.0.0.1", "sent": 3, "received": 3 if ok else 0},
        }

    payloads = [
        {
            "agent_version": "0.1.0",
            "backlog": n_results - start,
            "results": [wire(k) for k in range(start, min(start + batch, n_results))],
        }
        for start in range(0, n_results, batch)
    ]
    # warm-up (connection, statement caches) on a separate small batch
    ingest_batch(agent, {"results": [wire(n_results + k) for k in range(50)]}, now=now)

    server_pid = None
    if backend == "postgres":
        with connection.cursor() as cur:
            cur.execute("select pg_backend_pid()")
            server_pid = cur.fetchone()[0]
    server_cpu0 = proc_cpu_s(server_pid) if server_pid else 0.0
    cpu0 = time.process_time()
    started = time.perf_counter()
    accepted = 0
    for p in payloads:
        accepted += len(ingest_batch(agent, p, now=now).accepted)
    fresh_s = time.perf_counter() - started
    cpu_s = time.process_time() - cpu0
    server_cpu1 = proc_cpu_s(server_pid) if server_pid else 0.0
    if server_cpu0 is not None and server_cpu1 is not None:
        cpu_s += server_cpu1 - server_cpu0
    else:
        cpu_s = float("nan")

    resend = payloads[: max(1, len(payloads) // 5)]
    started = time.perf_counter()
    duplicates = 0
    for p in resend:
        duplicates += len(ingest_batch(agent, p, now=now).duplicates)
    dup_s = time.perf_counter() - started

    stored = ProbeResult.objects.count()
    assert accepted == n_results and stored == n_results + 50, (accepted, stored)
    assert duplicates == sum(len(p["results"]) for p in resend)
    with connection.cursor() as cur:
        cur.execute("select sqlite_version()" if backend == "sqlite" else "show server_version")
        version = cur.fetchone()[0]
    return {
        "backend": backend,
        "uuid": uuid_kind,
        "version": version,
        "results": n_results,
        "batch": batch,
        "targets": n_targets,
        "seconds": fresh_s,
        "rate": n_results / fresh_s,
        "cpu_s": cpu_s,
        "cpu_rate": n_results / cpu_s if cpu_s == cpu_s else None,
        "dup_results": duplicates,
        "dup_seconds": dup_s,
        "dup_rate": duplicates / dup_s,
    }


def run_child(backend: str, uuid_kind: str, args) -> dict | None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module(),
        "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "JANGKAU_LOG_LEVEL": "WARNING",
    }
    tmp = tempfile.mkdtemp(prefix="jangkau-bench-ingest-")
    db_name = f"jangkau_bench_ingest_{os.getpid()}"
    if backend == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{db_name}"
    try:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                backend,
                "--results",
                str(args.results),
                "--batch",
                str(args.batch),
                "--targets",
                str(args.targets),
                "--uuid",
                uuid_kind,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(f"<!-- {backend} failed:\n{out.stderr[-3000:]}\n-->")
            return None
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        if backend == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20,000 results")
    ap.add_argument("--results", type=int, default=200_000)
    ap.add_argument("--batch", type=int, default=500, help="results per upload (agent default)")
    ap.add_argument("--targets", type=int, default=500)
    ap.add_argument("--backend", choices=["sqlite", "postgres"], action="append")
    ap.add_argument(
        "--uuid",
        choices=["v7", "v4"],
        action="append",
        help="result uuids: v7 as the agent sends (default) and/or random v4",
    )
    ap.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.quick:
        args.results = 20_000
    if args.child:
        kind = (args.uuid or ["v7"])[0]
        print(json.dumps(child(args.child, args.results, args.batch, args.targets, kind)))
        return 0
    backends = args.backend or ["sqlite", "postgres"]
    print("# Ingest benchmark (results through `ingest_batch`)\n")
    print(f"- date: {datetime.now(UTC).isoformat(timespec='seconds')}")
    print(f"- machine: {machine()}")
    print(f"- load average before the run: {load_average()} (other jobs on the machine)")
    print(
        f"- {args.results:,} results in batches of {args.batch} over {args.targets} targets; "
        f"goal >= {GOAL:,} results/s\n"
    )
    print(
        "| database | version | result uuids | results | wall s | results/s (wall) | CPU s "
        "(client + server) | results per CPU-second | goal (wall) | re-sent, all duplicates, "
        "results/s |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---|---:|")
    ok = True
    kinds = args.uuid or ["v7", "v4"]
    labels = {"v7": "UUIDv7 (the agent's)", "v4": "random uuid4 (other clients)"}
    for backend in backends:
        name = "SQLite (file, WAL)" if backend == "sqlite" else "PostgreSQL"
        if backend == "postgres" and not pg_available():
            print(
                f"| {name} | – | – | – | – | – | – | – | skipped: 127.0.0.1:5432 does not "
                "answer | – |"
            )
            continue
        for kind in kinds:
            r = run_child(backend, kind, args)
            if r is None:
                ok = False
                print(
                    f"| {name} | – | {labels[kind]} | – | – | – | – | – | failed (see comment) "
                    "| – |"
                )
                continue
            met = r["rate"] >= GOAL
            if kind == "v7":  # the goal is judged on what the agent sends
                ok &= met
            verdict = ("met" if met else "NOT met") if kind == "v7" else "(not judged)"
            cpu_rate = f"{r['cpu_rate']:,.0f}" if r["cpu_rate"] else "–"
            print(
                f"| {name} | {r['version']} | {labels[kind]} | {r['results']:,} | "
                f"{r['seconds']:.2f} | {r['rate']:,.0f} | {r['cpu_s']:.2f} | {cpu_rate} | "
                f"{verdict} | {r['dup_rate']:,.0f} |"
            )
    print(
        "\nWall time counts waiting for a CPU when the machine is shared; CPU seconds are "
        "those of this process and, for PostgreSQL, of its server backend (read from /proc)."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

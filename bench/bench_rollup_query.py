"""Benchmark: availability and p95 of 500 targets over 90 days, from the stored rollups.

Synthesises 1-minute results for every target (per-target failure rates, a few outages,
lognormal latencies like fibre, LTE, microwave and VSAT links), rolls them up with the core,
stores daily and weekly rows as the monitoring app does (in time order, as a running system
writes them), then times the query the status page, the target statistics and the stability
gate make for every target over "the last 90 whole WITA days and today so far":
``window_rollup`` (the ORM: a ``GROUP BY target`` for the sums, then the histogram blobs of
the weekly and daily rows that tile the window, decoded and added) plus ``window_stats``. The
row-level read (every tiling row through the ORM, ``tiled_rollup``) is timed for comparison.
Checks the availability against the raw data exactly and p95 against ``numpy.percentile``
within the documented bound. Goal: < 0.5 s. SQLite and PostgreSQL (127.0.0.1:5432, user
postgres, trust; a temporary database, skipped if it does not answer).

``python bench/bench_rollup_query.py [--quick] [--targets N] [--days D] [--repeat R]
[--backend sqlite|postgres]``. Prints markdown.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
GOAL_S = 0.5


def settings_module() -> str:
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
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:
        return False


def synthetic(rng, t0: float, n: int):
    """n one-minute results of one target."""
    import numpy as np

    ts = t0 + np.arange(n) * 60.0 + rng.uniform(0, 2.0, n)
    ok = rng.random(n) >= rng.choice([0.0005, 0.002, 0.01, 0.05])
    for _ in range(int(rng.integers(0, 4))):  # outages of 10 minutes to 6 hours
        s = int(rng.integers(0, n))
        ok[s : s + int(rng.integers(10, 360))] = False
    median = rng.choice([15.0, 40.0, 90.0, 650.0])
    lat = rng.lognormal(np.log(median), rng.uniform(0.2, 0.7), n)
    keep = rng.random(n) >= 0.01  # 1 % missing: agent restarts
    return ts[keep], ok[keep], lat[keep]


def child(n_targets: int, days: int, repeat: int) -> dict:
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command
    from django.db import connection

    from jangkau.cores.probes import DAY_S, HOUR_S, coarsen, rollup
    from jangkau.monitoring.models import ProbeTarget, ResultRollup
    from jangkau.monitoring.services.rollup_store import (
        OFFSET_S,
        SPEC,
        WEEK_S,
        day_window,
        floor_to,
        rollup_models,
        tiled_rollup,
        window_rollup,
        window_stats_for,
    )
    from jangkau.regions.models import District, Regency, Village

    call_command("migrate", verbosity=0)
    regency = Regency.objects.create(code="99.02", name="Bench")
    district = District.objects.create(code="99.02.01", name="Bench", regency=regency)
    village = Village.objects.create(
        code="99.02.01.2001", name="Bench", district=district, kind="desa"
    )
    targets = ProbeTarget.objects.bulk_create(
        ProbeTarget(
            name=f"t{i}", kind="icmp", address=f"10.1.{i // 250}.{i % 250}", village=village
        )
        for i in range(n_targets)
    )
    ids = [t.pk for t in targets]

    # "the last `days` whole WITA days and today so far", now = 13:07 WITA
    first_day = floor_to(1767225600.0, DAY_S)  # 2026-01-01 00:00 WITA
    now = first_day + days * DAY_S + 13 * HOUR_S + 7 * 60
    start, end = day_window(now, days)
    n = int((now - first_day) // 60)
    rng = np.random.default_rng(2026)
    exact_avail = np.zeros(n_targets)
    sample = {int(i): None for i in rng.choice(n_targets, size=min(5, n_targets), replace=False)}
    t_gen = time.perf_counter()
    rows = []
    for k, pk in enumerate(ids):
        ts, ok, lat = synthetic(rng, first_day, n)
        win = (ts >= start) & (ts < end)
        exact_avail[k] = 100.0 * ok[win].sum() / win.sum()
        if k in sample:
            sample[k] = float(np.percentile(lat[win & ok], 95))
        daily = coarsen(
            rollup(ts, ok, lat, width_s=HOUR_S, target=pk, offset_s=OFFSET_S, spec=SPEC), DAY_S
        )
        rows += rollup_models(daily) + rollup_models(coarsen(daily, WEEK_S))
    # production writes each day's rows for all targets together: insert in time order
    rows.sort(key=lambda r: (r.bucket_start + r.width_s, r.width_s, r.target_id))
    ResultRollup.objects.bulk_create(rows, batch_size=2000)
    t_gen = time.perf_counter() - t_gen
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE monitoring_resultrollup")

    def query():
        return window_stats_for(window_rollup(start, end), start, end, interval_s=60, targets=ids)

    def row_level():
        return window_stats_for(tiled_rollup(start, end), start, end, interval_s=60, targets=ids)

    def timed(fn):
        fn()  # warm-up
        wall, cpu = [], []
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            result = fn()
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        return result, wall, cpu

    ws, wall, cpu = timed(query)
    _, wall_rows, _ = timed(row_level)
    tiled = tiled_rollup(start, end)
    avail_err = float(np.nanmax(np.abs(ws.availability_pct - exact_avail)))
    p95_rel = max(abs(float(ws.latency_p95_ms[k]) - p) / p for k, p in sample.items())
    with connection.cursor() as cur:
        cur.execute(
            "select sqlite_version()" if connection.vendor == "sqlite" else "show server_version"
        )
        version = cur.fetchone()[0]
    return {
        "vendor": connection.vendor,
        "version": version,
        "targets": n_targets,
        "days": days,
        "rows_in_window": len(tiled),
        "rows_stored": len(rows),
        "setup_s": t_gen,
        "median_s": statistics.median(wall),
        "min_s": min(wall),
        "max_s": max(wall),
        "cpu_median_s": statistics.median(cpu),
        "row_level_median_s": statistics.median(wall_rows),
        "availability_max_abs_error": avail_err,
        "p95_max_rel_error": p95_rel,
        "p95_bound": SPEC.relative_error,
    }


def run_child(backend: str, args) -> dict | None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module(),
        "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "JANGKAU_LOG_LEVEL": "WARNING",
    }
    tmp = tempfile.mkdtemp(prefix="jangkau-bench-rollup-")
    db_name = f"jangkau_bench_rollup_{os.getpid()}"
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
                "--targets",
                str(args.targets),
                "--days",
                str(args.days),
                "--repeat",
                str(args.repeat),
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
    ap.add_argument("--quick", action="store_true", help="50 targets x 30 days")
    ap.add_argument("--targets", type=int, default=500)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--repeat", type=int, default=7, help="timed queries (median reported)")
    ap.add_argument("--backend", choices=["sqlite", "postgres"], action="append")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.quick:
        args.targets, args.days = 50, 30
    if args.child:
        print(json.dumps(child(args.targets, args.days, args.repeat)))
        return 0
    print("# Rollup query benchmark (availability and p95 of every target)\n")
    print(f"- date: {datetime.now(UTC).isoformat(timespec='seconds')}")
    print(f"- machine: {machine()}")
    try:
        print(f"- load average before the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    except OSError:
        pass
    print(
        f"- {args.targets} targets x {args.days} days of 1-minute results; window: the last "
        f"{args.days} whole WITA days and today until 13:07; {args.repeat} timed runs; "
        f"goal < {GOAL_S} s\n"
    )
    print(
        "| database | version | tiling rows | median s | min s | max s | CPU median s | goal "
        "| row-level read median s | availability error | p95 max rel. error (bound) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---|")
    ok = True
    for backend in args.backend or ["sqlite", "postgres"]:
        if backend == "postgres" and not pg_available():
            print("| PostgreSQL | – | – | – | – | – | – | skipped: no server | – | – | – |")
            continue
        r = run_child(backend, args)
        if r is None:
            ok = False
            print(f"| {backend} | – | – | – | – | – | – | failed (see comment) | – | – | – |")
            continue
        met = r["median_s"] < GOAL_S
        ok &= met
        name = "SQLite (file, WAL)" if backend == "sqlite" else "PostgreSQL"
        print(
            f"| {name} | {r['version']} | {r['rows_in_window']:,} | {r['median_s']:.3f} | "
            f"{r['min_s']:.3f} | {r['max_s']:.3f} | {r['cpu_median_s']:.3f} | "
            f"{'met' if met else 'NOT met'} | {r['row_level_median_s']:.3f} | "
            f"{r['availability_max_abs_error']:.1e} pp | "
            f"{100 * r['p95_max_rel_error']:.2f} % ({100 * r['p95_bound']:.2f} %) |"
        )
    print(
        "\nCPU is this process's (SQLite runs in it; PostgreSQL's server time is not "
        "included). The machine was shared with other jobs: see the load average."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

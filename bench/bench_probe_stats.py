"""Benchmark: 500 targets x 90 days of 1-minute probe results -> rollups -> window query.

Generates synthetic results target by target (so memory stays small), builds 5-minute rollups,
coarsens them to hourly and daily, and times the query the dashboards and the stability gate
make: availability, loss and p95 of every target over the last 90 days from the daily rollups
(goal < 0.5 s). It also checks the histogram p95 against ``numpy.percentile`` on the raw data
for a sample of targets and reports the worst error next to the documented bound, and times a
30-day gate evaluation for all villages.

Run: ``python bench/bench_probe_stats.py [--quick] [--targets N] [--days D]``. Prints markdown.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from datetime import UTC, datetime

import numpy as np

from jangkau.cores.probes import (
    DAY_S,
    HOUR_S,
    GateThresholds,
    HistogramSpec,
    coarsen,
    concat_rollups,
    evaluate_village,
    metrics_from_window,
    rollup,
    window_stats,
)

MIN = 60.0


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
            f"Python {platform.python_version()}, numpy {np.__version__}")


def synthetic_target(rng: np.random.Generator, t0: float, n: int):
    """1-minute results with a per-target failure rate, a few outages and lognormal latency."""
    ts = t0 + np.arange(n) * MIN + rng.uniform(-1.5, 1.5, n)  # scheduling jitter / skew
    ok = rng.random(n) >= rng.choice([0.0005, 0.002, 0.01, 0.05])
    for _ in range(rng.integers(0, 4)):  # outages of 10 minutes to 6 hours
        s = rng.integers(0, n)
        ok[s:s + rng.integers(10, 360)] = False
    median = rng.choice([15.0, 40.0, 90.0, 650.0])  # fibre, LTE, microwave, VSAT
    lat = rng.lognormal(np.log(median), rng.uniform(0.2, 0.7), n)
    keep = rng.random(n) >= 0.01  # 1 % of results missing (agent restarts)
    return ts[keep], ok[keep], lat[keep]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="50 targets x 30 days")
    ap.add_argument("--targets", type=int, default=500)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--repeat", type=int, default=7, help="query repetitions (median reported)")
    args = ap.parse_args(argv)
    if args.quick:
        args.targets, args.days = 50, 30
    rng = np.random.default_rng(2026)
    spec = HistogramSpec()
    n = args.days * 1440
    t0 = 1767225600.0 - 8 * HOUR_S  # 2026-01-01 00:00 WITA
    t_gen = t_roll = t_coarse = 0.0
    daily_parts = []
    samples = []
    n_results = 0
    for tid in range(args.targets):
        a = time.perf_counter()
        ts, ok, lat = synthetic_target(rng, t0, n)
        b = time.perf_counter()
        five = rollup(ts, ok, lat, width_s=300, target=tid, offset_s=8 * HOUR_S, spec=spec)
        c = time.perf_counter()
        daily_parts.append(coarsen(coarsen(five, HOUR_S), DAY_S))
        d = time.perf_counter()
        t_gen += b - a
        t_roll += c - b
        t_coarse += d - c
        n_results += ts.size
        if tid % max(1, args.targets // 10) == 0:
            samples.append((tid, np.percentile(lat[ok], 95, method="linear")))
    a = time.perf_counter()
    table = concat_rollups(daily_parts)
    t_concat = time.perf_counter() - a
    start, end = t0, t0 + args.days * DAY_S

    times = []
    for _ in range(args.repeat):
        a = time.perf_counter()
        ws = window_stats(table, start, end, interval_s=MIN)
        times.append(time.perf_counter() - a)
    q_med, q_max = float(np.median(times)), max(times)

    worst_rel, worst_bound = 0.0, 0.0
    for tid, exact in samples:
        got = ws.latency_p95_ms[np.flatnonzero(ws.target == tid)[0]]
        err = abs(got - exact)
        worst_rel = max(worst_rel, err / exact)
        worst_bound = max(worst_bound, err / (spec.relative_error * exact + spec.lo_ms / 2))

    a = time.perf_counter()
    th = GateThresholds()
    ws30 = window_stats(table, end - th.window_s, end, interval_s=MIN)
    metrics = metrics_from_window(ws30)
    villages = [evaluate_village(v, metrics[v * 2:v * 2 + 2], th)
                for v in range(len(metrics) // 2)]
    t_gate = time.perf_counter() - a
    ready = sum(v.ready for v in villages)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print("## Probe statistics: rollups and the 90-day query\n")
    print(f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    print(f"- machine: {machine()}")
    print(f"- data: {args.targets} targets x {args.days} days of 1-minute results = "
          f"{n_results:,} results (1 % missing, skewed clocks, outages)")
    print(f"- histogram: {spec.n_bins} buckets, ratio {spec.ratio}, bound "
          f"|err| <= {spec.relative_error:.4f} * p + {spec.lo_ms / 2} ms\n")
    print("| step | time |")
    print("| --- | ---: |")
    print(f"| generate raw results (not part of the system) | {t_gen:.2f} s |")
    print(f"| raw -> 5-minute rollups | {t_roll:.2f} s ({n_results / t_roll / 1e6:.1f} M "
          "results/s) |")
    print(f"| 5-minute -> hourly -> daily | {t_coarse:.2f} s |")
    print(f"| concatenate daily rollups ({len(table):,} rows) | {t_concat * 1000:.1f} ms |")
    print(f"| **availability + loss + p50/p95/p99 for {ws.target.size} targets over "
          f"{args.days} days** | **{q_med * 1000:.1f} ms** median, {q_max * 1000:.1f} ms max "
          f"of {args.repeat} (goal < 500 ms) |")
    print(f"| 30-day gate for {len(villages)} villages (2 targets each) | "
          f"{t_gate * 1000:.1f} ms ({ready} ready) |")
    print(f"\n- p95 from rollups vs numpy on raw data ({len(samples)} sampled targets): worst "
          f"relative error {worst_rel * 100:.2f} %, {worst_bound * 100:.0f} % of the bound")
    print(f"- peak RSS: {peak_mb:.0f} MB")
    return 0 if q_med < 0.5 and worst_bound <= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

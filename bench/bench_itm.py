"""Benchmark: ITM point-to-point throughput, our vectorised core (numpy + numba) vs itmlogic.

Both run on identical seeded random profiles (``tests/cores/itm_reference_profile.py``): ours
on all of them in one vectorised call, itmlogic (pure Python, one profile at a time) on the
first few. Prints a markdown table with profiles per second for each, the speed ratio and the
largest loss difference between the two on the shared profiles.

Times are CPU times of this process (:func:`time.process_time`), the best of ``--repeat``
runs for each of the two (the same treatment, so a hiccup of the machine favours neither);
both implementations are single-threaded. Goal (issue 4): ours at least 50x the profiles per
second of itmlogic. The first call of ours (in the first size) also loads numba's compiled
kernels, or compiles them when the cache is empty; it is printed apart and not in the rate.

Usage::

    python bench/bench_itm.py            # 5,000 profiles of 201 and of 1001 points
    python bench/bench_itm.py --quick    # a tiny run (seconds)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GOAL = 50.0
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.cores.itm_reference_profile import random_cases, run_itmlogic  # noqa: E402

from jangkau.cores.propagation.itm import itm_p2p  # noqa: E402


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _arrays(cases):
    z = np.stack([c[0] for c in cases])
    params = {key: [c[1][key] for c in cases] for key in cases[0][1]}
    for key, values in params.items():
        if not isinstance(values[0], str):
            params[key] = np.array(values)
    return z, params


def bench(n_points: int, n_profiles: int, n_reference: int, seed: int, repeat: int) -> dict:
    """Time both implementations on the same ``n_profiles`` random profiles."""
    cases = random_cases(seed, n_profiles, n_points=n_points)
    z, params = _arrays(cases)
    step = params.pop("step_m")
    freq = params.pop("freq_mhz")
    tx = params.pop("tx_height_m")
    rx = params.pop("rx_height_m")

    times = []
    for _ in range(repeat):
        start = time.process_time()
        ours = itm_p2p(z, step, freq, tx, rx, **params)
        times.append(time.process_time() - start)
    best = min(times)

    n_reference = min(n_reference, n_profiles)
    elapsed = float("inf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for _ in range(repeat):
            reference = []
            start = time.process_time()
            for zk, pk in cases[:n_reference]:
                reference.append(run_itmlogic(zk, **pk))
            elapsed = min(elapsed, time.process_time() - start)

    theirs = np.array([r["loss_db"] for r in reference])
    diff = np.abs(ours.loss_db[:n_reference] - theirs)
    modes = np.array([r["mode"] for r in reference]) == ours.mode[:n_reference]
    ours_rate = n_profiles / best
    ref_rate = n_reference / elapsed
    return {
        "points": n_points,
        "profiles": n_profiles,
        "first_call_s": times[0],
        "reference_profiles": n_reference,
        "ours_rate": ours_rate,
        "ref_rate": ref_rate,
        "ratio": ours_rate / ref_rate,
        "max_diff": float(np.nanmax(diff)) if diff.size else float("nan"),
        "modes_agree": int(modes.sum()),
        "mode_counts": np.bincount(ours.mode, minlength=3).tolist(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny run (a few seconds)")
    parser.add_argument("--profiles", type=int, default=5000, help="profiles for our core")
    parser.add_argument(
        "--reference-profiles",
        type=int,
        default=300,
        help="profiles for itmlogic (a prefix of ours)",
    )
    parser.add_argument(
        "--points", default="201,1001", help="comma-separated profile lengths (points per profile)"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs of each implementation (best is kept)"
    )
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    if args.quick:
        args.profiles, args.reference_profiles, args.points, args.repeat = 300, 30, "101", 1

    rows = [
        bench(int(p), args.profiles, args.reference_profiles, args.seed, args.repeat)
        for p in args.points.split(",")
    ]
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print("## ITM point-to-point: jangkau (vectorised numpy + numba loops) vs itmlogic")
    print()
    print(f"- date: {now}")
    print(f"- machine: {platform.platform()}; {_cpu_name()}; {os.cpu_count()} CPUs")
    import numba

    print(
        f"- python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}"
    )
    print(
        "- timing: CPU time of this process, single thread; best of "
        f"{args.repeat} runs for each; goal: ours >= {GOAL:.0f}x itmlogic; random profiles "
        f"(seed {args.seed}), mixed terrain, 100-3000 MHz, 1-100 km"
    )
    print(
        f"- first call of ours ({rows[0]['points']} points, includes loading numba's cached "
        f"kernels or compiling them): {rows[0]['first_call_s']:.2f} s CPU"
    )
    print()
    print(
        "| points/profile | profiles (ours / itmlogic) | ours (profiles/s) "
        "| itmlogic (profiles/s) | speed ratio | max abs diff (dB) | modes agree "
        "| modes los/diff/scatter | goal |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        counts = "/".join(str(c) for c in r["mode_counts"])
        print(
            f"| {r['points']} | {r['profiles']} / {r['reference_profiles']} "
            f"| {r['ours_rate']:,.0f} | {r['ref_rate']:,.0f} | {r['ratio']:.0f}x "
            f"| {r['max_diff']:.4f} | {r['modes_agree']}/{r['reference_profiles']} "
            f"| {counts} | {'met' if r['ratio'] >= GOAL else 'NOT met'} |"
        )
    return 0 if args.quick or all(r["ratio"] >= GOAL for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

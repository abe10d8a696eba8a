"""Benchmark: Jangkau's MCLP core (sparse arrays + HiGHS) against PySAL spopt's MCLP (PuLP + CBC).

Both tools solve the same seeded instances (same points, weights, radius and ``p``) and must
report the same optimal objective.

Instances (``make_instance``): a box of 200 km x 200 km (about the size of Kutai Timur, which
covers 31,573 km2 per BIG). Demand points are clustered like villages and hamlets: ``n / 100``
settlement centres uniform in the box, each point normal around a centre (sigma 4 km), clipped
to the box (``--layout uniform`` spreads them uniformly instead). Weights are people:
``max(1, round(lognormal(5, 1)))`` (median about 150). Candidate sites are uniform in the box.
A candidate covers a point within the service radius (15 km). ``p`` is 5 % of the candidates.

What is timed, end to end, for each tool exactly as its users run it:

* **Jangkau**: cover sets from a k-d tree (``scipy.spatial.cKDTree.query_ball_point``), then
  :func:`jangkau.cores.planning.mclp.solve_mclp` (validation, reductions, array build, HiGHS).
* **spopt**: the dense distance matrix (``scipy.spatial.distance.cdist``, the usual way to get
  the ``cost_matrix``), ``MCLP.from_cost_matrix(cost, weights, service_radius, p_facilities)``
  and ``.solve(pulp.PULP_CBC_CMD(msg=False))`` (PuLP's bundled CBC, spopt's documented
  default), in a separate process.

Data preparation (cover sets / cost matrix) is reported as its own column and included in the
end-to-end total of both tools; the ratio is given on the total and on build + solve alone.
Generating the points themselves is excluded for both.

spopt runs in a subprocess with a wall-clock limit (``--spopt-timeout``, default 900 s) and an
address-space limit (``--spopt-memory-gib``, default 14 GiB); when it is exceeded the process
group is killed and the row says so. spopt builds its constraints with a Python loop over every
demand-candidate pair of the dense matrix, so its build time grows with demand x candidates:
at 50,000 x 5,000 (250 million pairs) the build alone took 28 CPU-minutes here (measured on a
2,000-row slice, 66 CPU-s) and the default limit stops it; ``--spopt-timeout 7200`` lets it
finish (peak memory about 5 GiB). ``--cbc-fallback-limit S`` re-runs a killed spopt with CBC's
``timeLimit=S``, which only helps when CBC, not the build, is the slow part.

Objectives are recomputed for both tools from the chosen sites (sum of the weights of the
points within the radius of a chosen site), so they are compared on the same definition.

Usage::

    python bench/bench_mclp.py                    # 2,000x500, 10,000x2,000, 50,000x5,000
    python bench/bench_mclp.py --quick            # 2,000x500 only
    python bench/bench_mclp.py --sizes 10000x2000 --spopt-timeout 1800
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

SIZES = ((2_000, 500), (10_000, 2_000), (50_000, 5_000))
BOX_KM = 200.0
RADIUS_KM = 15.0
P_SHARE = 0.05
SEED = 20260501


def make_instance(
    n_demand: int, n_candidates: int, seed: int, layout: str = "clustered"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seeded demand points (km), integer weights and candidate points (km) in the box."""
    rng = np.random.default_rng(seed)
    if layout == "clustered":
        n_centres = max(10, n_demand // 100)
        centres = rng.uniform(0.0, BOX_KM, (n_centres, 2))
        label = rng.integers(0, n_centres, n_demand)
        demand = np.clip(centres[label] + rng.normal(0.0, 4.0, (n_demand, 2)), 0.0, BOX_KM)
    elif layout == "uniform":
        demand = rng.uniform(0.0, BOX_KM, (n_demand, 2))
    else:
        raise ValueError(f"unknown layout {layout!r}")
    weights = np.maximum(1, np.round(rng.lognormal(5.0, 1.0, n_demand))).astype(np.int64)
    candidates = rng.uniform(0.0, BOX_KM, (n_candidates, 2))
    return demand, weights, candidates


def covered_weight(
    demand: np.ndarray, weights: np.ndarray, sites: np.ndarray, radius: float
) -> tuple[int, int]:
    """Objective recomputed from chosen site coordinates: (covered weight, covered points)."""
    from scipy.spatial import cKDTree

    if sites.shape[0] == 0:
        return 0, 0
    distance, _ = cKDTree(sites).query(demand, k=1)
    hit = distance <= radius
    return int(weights[hit].sum()), int(hit.sum())


def run_jangkau(n: int, m: int, p: int, seed: int, layout: str, radius: float) -> dict:
    from scipy.spatial import cKDTree

    from jangkau.cores.planning.mclp import solve_mclp

    demand, weights, candidates = make_instance(n, m, seed, layout)
    t0 = time.perf_counter()
    lists = cKDTree(candidates).query_ball_point(demand, r=radius)
    covers = [np.asarray(row, dtype=np.int64) for row in lists]
    t1 = time.perf_counter()
    result = solve_mclp(weights, covers, m, p=p)
    t2 = time.perf_counter()
    objective, n_covered = covered_weight(demand, weights, candidates[result.chosen], radius)
    return {
        "prep": t1 - t0,
        "model": t2 - t1,
        "status": result.status,
        "gap": result.gap,
        "proof": (
            "simple bound"
            if result.stats.get("proven_by_simple_bound")
            else "LP bound"
            if result.stats.get("proven_by_lp")
            else "branch and bound"
        ),
        "objective": objective,
        "reported_objective": result.objective,
        "covered_points": n_covered,
        "sites": len(result.chosen),
        "pairs": int(sum(len(row) for row in lists)),
        "total_weight": int(weights.sum()),
    }


def spopt_worker(
    n: int, m: int, p: int, seed: int, layout: str, radius: float, cbc_time_limit: float | None
) -> dict:
    """Run spopt's MCLP as its users do; called in a child process."""
    import pulp
    from scipy.spatial.distance import cdist
    from spopt.locate import MCLP

    demand, weights, candidates = make_instance(n, m, seed, layout)
    t0 = time.perf_counter()
    cost = cdist(demand, candidates)
    t1 = time.perf_counter()
    model = MCLP.from_cost_matrix(cost, weights, service_radius=radius, p_facilities=p)
    t2 = time.perf_counter()
    solver = (
        pulp.PULP_CBC_CMD(msg=False)
        if cbc_time_limit is None
        else pulp.PULP_CBC_CMD(msg=False, timeLimit=cbc_time_limit)
    )
    status = "optimal"
    try:
        model.solve(solver)
    except RuntimeError as exc:  # spopt raises when PuLP's status is not "Optimal"
        status = f"not solved ({exc})"
    t3 = time.perf_counter()
    if model.problem.sol_status == pulp.LpSolutionIntegerFeasible:
        status = "feasible (CBC time limit)"
    chosen = [j for j, var in enumerate(model.fac_vars) if (var.value() or 0) > 0.5]
    objective, n_covered = covered_weight(demand, weights, candidates[chosen], radius)
    return {
        "prep": t1 - t0,
        "build": t2 - t1,
        "solve": t3 - t2,
        "model": t3 - t1,
        "status": status,
        "objective": objective,
        "covered_points": n_covered,
        "sites": len(chosen),
        "pairs": int((cost <= radius).sum()),
        "peak_rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
    }


def run_spopt(
    n: int, m: int, p: int, args: argparse.Namespace, cbc_time_limit: float | None = None
) -> dict:
    """Run :func:`spopt_worker` in a child process group with time and memory limits."""
    cmd = [
        sys.executable,
        __file__,
        "--spopt-worker",
        f"{n}x{m}",
        "--p",
        str(p),
        "--seed",
        str(args.seed),
        "--layout",
        args.current_layout,
        "--radius",
        str(args.radius),
    ]
    if cbc_time_limit is not None:
        cmd += ["--cbc-time-limit", str(cbc_time_limit)]
    limit = int(args.spopt_memory_gib * 2**30)

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=limit_memory,
    )
    try:
        out, err = proc.communicate(timeout=args.spopt_timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {
            "error": f"killed after {args.spopt_timeout:.0f} s wall clock (not finished)",
            "elapsed": time.perf_counter() - started,
        }
    if proc.returncode != 0:
        last = (err.strip().splitlines() or ["no message"])[-1]
        return {
            "error": f"exit {proc.returncode}: {last}",
            "elapsed": time.perf_counter() - started,
        }
    return json.loads(out.strip().splitlines()[-1])


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
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in ("highspy", "numpy", "scipy", "spopt", "pulp"):
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    return ", ".join(parts)


def fmt(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.2f}"


def parse_size(text: str) -> tuple[int, int]:
    n, _, m = text.lower().partition("x")
    return int(n.replace(",", "").replace("_", "")), int(m.replace(",", "").replace("_", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smallest size only")
    parser.add_argument(
        "--sizes",
        nargs="+",
        type=parse_size,
        help="sizes as DEMANDxCANDIDATES, e.g. 2000x500 10000x2000",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--layout",
        nargs="+",
        choices=("clustered", "uniform"),
        default=["clustered", "uniform"],
        help="instance layouts; by default both, uniform only up to 10,000 x 2,000 (at "
        "50,000 x 5,000 its p sites cover everyone, a trivial instance)",
    )
    parser.add_argument("--radius", type=float, default=RADIUS_KM)
    parser.add_argument("--p-share", type=float, default=P_SHARE)
    parser.add_argument(
        "--spopt-timeout",
        type=float,
        default=900.0,
        help="wall-clock seconds for one spopt run (default 900)",
    )
    parser.add_argument("--spopt-memory-gib", type=float, default=14.0)
    parser.add_argument(
        "--cbc-fallback-limit",
        type=float,
        default=None,
        help="if spopt is killed, run it again with CBC timeLimit=SECONDS",
    )
    parser.add_argument("--skip-spopt", action="store_true")
    parser.add_argument("--spopt-worker", type=parse_size, help=argparse.SUPPRESS)
    parser.add_argument("--p", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cbc-time-limit", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.spopt_worker:
        n, m = args.spopt_worker
        print(
            json.dumps(
                spopt_worker(
                    n, m, args.p, args.seed, args.layout[0], args.radius, args.cbc_time_limit
                )
            )
        )
        return 0

    sizes = [SIZES[0]] if args.quick else (args.sizes or list(SIZES))
    runs = [
        (layout, n, m)
        for layout in args.layout
        for n, m in sizes
        if args.quick or args.sizes or layout == "clustered" or (n, m) in SIZES[:2]
    ]
    print("## MCLP: Jangkau (sparse arrays + HiGHS) vs PySAL spopt (PuLP + CBC)\n")
    print(f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    print(f"- machine: {machine()}; load average before: {os.getloadavg()[0]:.2f}")
    print(f"- versions: {versions()}")
    print(
        f"- instances: demand ({' or '.join(args.layout)}) in a {BOX_KM:.0f} km x "
        f"{BOX_KM:.0f} km box, "
        f"radius {args.radius:g} km, p = {args.p_share:.0%} of candidates, seed {args.seed}"
    )
    print(
        "- times in seconds; prep = cover sets (k-d tree) / dense cost matrix (cdist); "
        "model = build + solve; total = prep + model\n"
    )
    print(
        "| layout | demand x candidates | p | pairs | Jangkau prep | Jangkau model | Jangkau total "
        "| Jangkau status | spopt prep | spopt build | spopt solve | spopt total "
        "| spopt status | objective Jangkau | objective spopt | equal | speed-up total "
        "| speed-up model |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for layout, n, m in runs:
        args.current_layout = layout
        p = max(1, round(args.p_share * m))
        ours = run_jangkau(n, m, p, args.seed, layout, args.radius)
        ours_total = ours["prep"] + ours["model"]
        theirs: dict = {"error": "skipped"}
        if not args.skip_spopt:
            theirs = run_spopt(n, m, p, args)
            if "error" in theirs and args.cbc_fallback_limit is not None:
                first_error = theirs["error"]
                theirs = run_spopt(n, m, p, args, cbc_time_limit=args.cbc_fallback_limit)
                theirs.setdefault("note", f"default run: {first_error}")
        row = [
            layout,
            f"{n:,} x {m:,}",
            str(p),
            f"{ours['pairs']:,}",
            fmt(ours["prep"]),
            fmt(ours["model"]),
            fmt(ours_total),
            f"{ours['status']} (gap {ours['gap']}; proof: {ours['proof']})",
        ]
        if theirs.get("error") == "skipped":
            row += ["–", "–", "–", "–", "skipped", f"{ours['objective']:,}"] + ["–"] * 4
        elif "error" in theirs:
            row += [
                "–",
                "–",
                "–",
                f"> {theirs.get('elapsed', 0):.0f}",
                theirs["error"],
                f"{ours['objective']:,}",
                "–",
                "–",
                f"> {theirs.get('elapsed', 0) / ours_total:.0f}x" if "elapsed" in theirs else "–",
                "–",
            ]
        else:
            spopt_total = theirs["prep"] + theirs["model"]
            equal = "yes" if theirs["objective"] == ours["objective"] else "**NO**"
            if theirs["pairs"] != ours["pairs"]:
                equal += f" (pairs differ: {theirs['pairs']:,})"
            status = theirs["status"] + (f"; {theirs['note']}" if "note" in theirs else "")
            row += [
                fmt(theirs["prep"]),
                fmt(theirs["build"]),
                fmt(theirs["solve"]),
                fmt(spopt_total),
                f"{status}, peak RSS {theirs['peak_rss_gib']:.1f} GiB",
                f"{ours['objective']:,}",
                f"{theirs['objective']:,}",
                equal,
                f"{spopt_total / ours_total:.1f}x",
                f"{theirs['model'] / ours['model']:.1f}x",
            ]
        print("| " + " | ".join(row) + " |", flush=True)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run every benchmark in bench/ and write the results to docs/benchmarks.md.

Each ``bench_*.py`` is a plain script that prints a markdown section (its own table with the
reference tool side by side). This runner runs them one after another (never in parallel, so they
do not compete for the two cores), then writes the machine, the date and every section.
``--quick`` passes ``--quick`` to each script; ``--only NAME`` runs one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOC = HERE.parent / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = "unknown CPU"
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
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores{mem}, "
        f"Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default=None)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if args.only in s.stem]
    sections = []
    failed = 0
    for script in scripts:
        print(f"== {script.name}", flush=True)
        cmd = [sys.executable, str(script)] + (["--quick"] if args.quick else [])
        result = subprocess.run(cmd, capture_output=True, text=True)
        print(result.stdout, flush=True)
        if result.returncode != 0:
            failed += 1
            print(result.stderr, file=sys.stderr)
            # a script exits non-zero when a goal is missed: keep its table, say so
            sections.append(
                (
                    result.stdout.strip() + "\n\n"
                    if result.stdout.strip()
                    else f"## {script.stem}\n\n"
                )
                + f"**{script.name} exited {result.returncode}**: a goal above is not met, or the "
                "script failed (its error output went to the terminal).\n"
            )
        else:
            sections.append(result.stdout.strip() + "\n")
    if not args.no_write and not args.only:
        header = (
            "# Benchmarks\n\n"
            f"Run by `make bench` on {dt.date.today().isoformat()}; machine: {machine()}.\n"
            f"{'Quick mode (reduced sizes).' if args.quick else 'Full sizes.'} Each section "
            "compares Jangkau with the reference tool named by its issue, in the same run.\n\n"
        )
        DOC.write_text(header + "\n".join(sections), encoding="utf-8")
        print(f"wrote {DOC}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Commands that run without Django: the contract batch commands and the probe agent."""

from __future__ import annotations

import argparse
import sys


def _io_parser(prog: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--input", required=True, help="input file")
    parser.add_argument("--output", required=True, help="output file")
    return parser


def run(argv: list[str]) -> int:
    """Dispatch ``coverage p2p``, ``plan mclp`` or ``agent``; return the exit code."""
    name, rest = argv[0], argv[1:]
    if name == "agent":
        from jangkau.agent.runner import main as agent_main

        return agent_main(rest)
    subcommands = {"coverage": {"p2p"}, "plan": {"mclp"}}[name]
    if not rest or rest[0] not in subcommands:
        print(
            f"usage: jangkau {name} {{{','.join(sorted(subcommands))}}} --input FILE --output FILE",
            file=sys.stderr,
        )
        return 2
    sub = rest[0]
    if (name, sub) == ("coverage", "p2p"):
        args = _io_parser(
            "jangkau coverage p2p",
            "ITM (Longley-Rice 1.2.2) point-to-point loss for each profile of a JSON-lines file",
        ).parse_args(rest[1:])
        from jangkau.cores.propagation.p2p_batch import run_p2p

        return run_p2p(args.input, args.output, stderr=sys.stderr)
    args = _io_parser(
        "jangkau plan mclp", "Solve a maximal covering location problem (HiGHS)"
    ).parse_args(rest[1:])
    from jangkau.cores.planning.mclp_batch import run_mclp

    return run_mclp(args.input, args.output, stderr=sys.stderr)

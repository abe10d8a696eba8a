"""The ``jangkau`` console script.

``jangkau COMMAND ...`` runs the Django management command of that name with Jangkau's
settings. The batch commands whose inputs and outputs are contracts (``coverage p2p``,
``plan mclp``) and the probe ``agent`` run without Django or a database, so they work on any
machine that has the package installed.
"""

from __future__ import annotations

import os
import sys

#: command -> one-line help, in the order ``jangkau --help`` lists them.
COMMANDS = {
    "setup": "create/upgrade the database, roles and load the regency's shipped data",
    "regions": "regions import FILE | regions export --format geojson|gpkg|csv | load-kutim",
    "createuser": "create a user with a role (admin, planner, network_operator, ...)",
    "recompute-status": "recompute every village's connectivity status now",
    "import": "import KIND FILE: sites, links, facilities, accesspoints, speedtests, signals, ...",
    "terrain": "terrain import FILE.tif | terrain load-demo (elevation model for coverage)",
    "agent-token": "agent-token NAME [--revoke]: issue or revoke a probe agent's token",
    "monitoring-rollup": "roll up probe results, detect outages, evaluate the gate, send alerts",
    "coverage": "coverage p2p --input PROFILES.jsonl --output OUT.jsonl (ITM point-to-point)",
    "plan-costs": "plan-costs load|list: the versioned cost tables used by plans",
    "plan": "plan mclp --input INSTANCE.json --output RESULT.json (maximal covering location)",
    "agent": "run the network probe agent (see docs/agent.md)",
    "db_worker": "run the background task worker",
    "runserver": "serve the web app (development server)",
    "migrate": "apply database migrations",
}

PURE = {"coverage", "plan", "agent"}


def print_help() -> None:
    print("usage: jangkau COMMAND [options]\n")
    print("Jangkau: get every village online and keep it online.\n")
    print("commands:")
    for name, text in COMMANDS.items():
        print(f"  {name:<18} {text}")
    print("\nAll Django management commands are available too: jangkau help --commands")
    print("Settings come from environment variables: see docs/configuration.md")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        print_help()
        return 0
    name = argv[0]
    if name in PURE:
        from jangkau import batch

        return batch.run(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jangkau.settings")
    from django.core.management import execute_from_command_line

    django_name = name.replace("-", "_")
    try:
        execute_from_command_line(["jangkau", django_name, *argv[1:]])
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

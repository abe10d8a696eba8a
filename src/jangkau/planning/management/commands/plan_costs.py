"""``jangkau plan-costs load [--file CSV] [--name NAME] [--default]`` and ``plan-costs list``.

``load`` stores a cost table file (default: the shipped ``cost_table_v1.csv``) as a new
version after the planning core has checked it. Loading the shipped table again is refused
while a version already holds it, so the command is safe to repeat (``jangkau setup`` may call
it). ``list`` prints the versions.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jangkau.cores.planning import CostTableError
from jangkau.planning.costs import SHIPPED_NAME, load_from_csv
from jangkau.planning.models import CostTable


class Command(BaseCommand):
    help = "Load a planning cost table as a new version, or list the versions."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="store a cost table CSV as a new version")
        load.add_argument("--file", help="CSV with the cost table columns (default: shipped v1)")
        load.add_argument("--name", default="", help="name of the new version")
        load.add_argument(
            "--default", action="store_true", help="use the new version for new scenarios"
        )
        sub.add_parser("list", help="list the stored versions")

    def handle(self, *args, **options):
        if options["action"] == "list":
            for table in CostTable.objects.order_by("version"):
                flag = " (default)" if table.is_default else ""
                self.stdout.write(
                    f"v{table.version}{flag}: {table.name} — {table.items.count()} items"
                )
            return
        path = options.get("file")
        if path is None and CostTable.objects.filter(name=SHIPPED_NAME).exists():
            table = CostTable.objects.get(name=SHIPPED_NAME)
            self.stdout.write(f"The shipped cost table is already loaded as v{table.version}.")
            return
        try:
            table = load_from_csv(
                path,
                name=options["name"],
                make_default=True if options["default"] else None,
            )
        except CostTableError as exc:
            raise CommandError(str(exc)) from exc
        flag = " (default)" if table.is_default else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {table.items.count()} items as cost table v{table.version}{flag}."
            )
        )

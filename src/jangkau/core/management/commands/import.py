"""``jangkau import KIND FILE``: check a file and import it all-or-nothing.

Prints a summary (created/updated/unchanged/skipped) or every problem by row and column; exits
non-zero when the file is rejected, and then nothing was written. ``jangkau import --list``
lists the kinds; ``jangkau import KIND --template`` prints the kind's CSV template.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from jangkau.core.importing import (
    REGISTRY,
    InputFileError,
    check_file,
    get_spec,
    run_import,
    template_csv,
)


def parse_values(pairs: list[str]) -> dict[str, str]:
    """``["period=2024-10-01", ...]`` as a dict; CommandError for a pair without ``=``."""
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"--set expects NAME=VALUE, got {pair!r}")
        values[name.strip()] = value.strip()
    return values


class Command(BaseCommand):
    help = (
        "Import a CSV, GeoJSON, GeoPackage or Parquet file of one kind (speed tests, signal "
        "readings, surveys, Ookla tiles, M-Lab tests, sites ...). Any problem rejects the whole "
        "file and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", help="the kind of data (see --list)")
        parser.add_argument("file", nargs="?", help="the file to import")
        parser.add_argument("--list", action="store_true", help="list the kinds and exit")
        parser.add_argument(
            "--template", action="store_true", help="print the kind's CSV template and exit"
        )
        parser.add_argument(
            "--crs",
            default=None,
            help="CRS of the coordinates when the file does not state it (CSV), or to "
            "override it, e.g. EPSG:32650; default EPSG:4326",
        )
        parser.add_argument(
            "--period",
            default=None,
            help="the period of the data when the file has no 'period' column (Ookla: the "
            "first day of the quarter, e.g. 2024-10-01)",
        )
        parser.add_argument(
            "--set",
            dest="values",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="a value for a column the file lacks, for every row (repeatable), e.g. "
            "--set network=mobile",
        )
        parser.add_argument(
            "--check", action="store_true", help="only check the file; write nothing"
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=None,
            help="refuse larger files (default JANGKAU_MAX_UPLOAD_BYTES; 0 = no limit)",
        )

    @no_translations
    def handle(self, *args, **options):
        if options["list"]:
            for kind in sorted(REGISTRY):
                spec = REGISTRY[kind]
                self.stdout.write(f"{kind:<12} {spec.title}")
            return
        if not options["kind"]:
            raise CommandError("give KIND and FILE (jangkau import --list shows the kinds)")
        try:
            spec = get_spec(options["kind"])
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        if options["template"]:
            self.stdout.write(template_csv(spec), ending="")
            return
        if not options["file"]:
            raise CommandError("give the FILE to import")
        path = Path(options["file"])
        values = parse_values(options["values"])
        if options["period"]:
            values["period"] = options["period"]
        max_bytes = options["max_bytes"]
        if max_bytes is None:
            max_bytes = settings.JANGKAU_MAX_UPLOAD_BYTES
        try:
            if options["check"]:
                rows, skipped = check_file(
                    spec, path, max_bytes=max_bytes, crs=options["crs"], options=values
                )
                extra = f", {skipped} skipped" if skipped else ""
                self.stdout.write(f"{path.name}: {rows} row(s) are fine{extra}; nothing written")
                return
            result = run_import(spec, path, max_bytes=max_bytes, crs=options["crs"], options=values)
        except InputFileError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path.name}: {error}")
            total = getattr(exc, "total", len(exc.errors))
            raise CommandError(
                f"{path.name}: rejected, nothing was changed ({total} problem(s))"
            ) from exc
        self.stdout.write(result.summary())

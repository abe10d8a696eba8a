"""``jangkau regions import|export|load-kutim``."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jangkau.regions.io.errors import InputFileError
from jangkau.regions.io.writer import FORMATS


class Command(BaseCommand):
    help = "Import or export regions (kabupaten, kecamatan, desa/kelurahan)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a GeoJSON, GeoPackage, zipped Shapefile or CSV")
        imp.add_argument("file")
        imp.add_argument(
            "--crs",
            default=None,
            help="CRS of the coordinates when the file does not state it (CSV), "
            "e.g. EPSG:32650; default EPSG:4326",
        )
        imp.add_argument("--repair", action="store_true", help="repair invalid geometry")
        imp.add_argument(
            "--tolerance",
            type=float,
            default=None,
            help="how far outside the regency boundary a geometry may reach, degrees",
        )
        exp = sub.add_parser("export", help="export regions")
        exp.add_argument("--format", choices=FORMATS, default="geojson")
        exp.add_argument("--level", choices=["desa", "kecamatan", "kabupaten"], default="desa")
        exp.add_argument("--output", default=None, help="output file (default regions-LEVEL.EXT)")
        sub.add_parser("load-kutim", help="load the shipped Kutai Timur dataset")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "import":
            return self._import(options)
        if action == "export":
            return self._export(options)
        from django.core.management import call_command

        call_command("setup", no_migrate=True, stdout=self.stdout, stderr=self.stderr)

    def _import(self, options):
        from jangkau.regions.importer import DEFAULT_TOLERANCE_DEG, import_regions
        from jangkau.regions.io.reader import read_regions

        path = Path(options["file"])
        try:
            records = read_regions(
                path, crs=options["crs"], max_bytes=settings.JANGKAU_MAX_UPLOAD_BYTES
            )
            report = import_regions(
                records,
                repair=options["repair"],
                tolerance_deg=options["tolerance"]
                if options["tolerance"] is not None
                else DEFAULT_TOLERANCE_DEG,
                boundary_source=f"imported from {path.name}",
            )
        except InputFileError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(
                f"{path.name}: rejected, nothing was changed ({len(exc.errors)} problem(s))"
            ) from exc
        self.stdout.write(report.summary())

    def _export(self, options):
        from jangkau.regions.exports import export_rows
        from jangkau.regions.io.writer import write_regions

        fmt, level = options["format"], options["level"]
        output = Path(options["output"] or f"regions-{level}.{fmt}")
        rows = export_rows(level)
        if not rows:
            raise CommandError(f"no {level} regions to export")
        n = write_regions(rows, output, fmt)
        self.stdout.write(f"wrote {n} {level} features to {output}")

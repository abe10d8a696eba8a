"""``jangkau terrain import FILE.tif [--name] [--source] | load-demo | list``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

COARSE_WARNING = (
    "WARNING: this terrain is coarse (cells of about {m:.0f} m; the demo DEM's are about 9 km). "
    "It shows where the hills roughly are and cannot show the shadow of a ridge. For real "
    "planning import SRTM or Copernicus GLO-30/GLO-90 (30-90 m) tiles: "
    "jangkau terrain import FILE.tif"
)


class Command(BaseCommand):
    help = "Register digital elevation models (DEMs) for coverage predictions."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="check a DEM (GeoTIFF) and copy it into DATA_DIR")
        imp.add_argument("file")
        imp.add_argument("--name", default=None, help="name of the terrain (default: file name)")
        imp.add_argument("--source", default="", help="where the DEM comes from (provenance)")
        imp.add_argument("--source-url", default="")
        imp.add_argument("--as-of", default=None, help="date the DEM describes, YYYY-MM-DD")
        imp.add_argument("--band", type=int, default=None, help="elevation band (multi-band files)")
        imp.add_argument(
            "--no-activate", action="store_true", help="register without making it the active one"
        )
        demo = sub.add_parser(
            "load-demo", help="register the shipped coarse demo DEM (about 9 km cells)"
        )
        demo.add_argument(
            "--activate", action="store_true", help="make it active even if another one is"
        )
        sub.add_parser("list", help="list registered terrains")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "import":
            return self._import(options)
        if action == "load-demo":
            return self._load_demo(options)
        return self._list()

    def _import(self, options):
        from jangkau.radio.terrains import TerrainImportError, import_terrain

        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(f"--as-of: {options['as_of']!r} is not YYYY-MM-DD") from exc
        path = Path(options["file"])
        try:
            terrain, warnings = import_terrain(
                path,
                name=options["name"],
                source=options["source"],
                source_url=options["source_url"],
                as_of=as_of,
                band=options["band"],
                activate=not options["no_activate"],
            )
        except TerrainImportError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(f"{path.name}: refused, nothing was changed") from exc
        for warning in warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"registered terrain {terrain.name!r}: {terrain.width}x{terrain.height} cells of about "
            f"{terrain.resolution_m:.0f} m, {terrain.crs_label}"
            + (", active" if terrain.active else "")
        )
        if terrain.is_coarse:
            self.stderr.write(COARSE_WARNING.format(m=terrain.resolution_m))

    def _load_demo(self, options):
        from jangkau.radio.terrains import load_demo

        terrain, created = load_demo(activate=True if options["activate"] else None)
        verb = "registered" if created else "already registered"
        self.stdout.write(
            f"{verb}: demo terrain {terrain.name!r} ({terrain.resolution_m:.0f} m cells)"
            + (", active" if terrain.active else ", not active (another terrain is)")
        )
        self.stderr.write(COARSE_WARNING.format(m=terrain.resolution_m))

    def _list(self):
        from jangkau.radio.models import Terrain

        rows = Terrain.objects.order_by("-active", "name")
        if not rows:
            self.stdout.write("no terrain registered: coverage assumes a flat earth")
        for t in rows:
            flags = ("active " if t.active else "") + ("coarse" if t.is_coarse else "")
            self.stdout.write(f"{t.name}\t{t.resolution_m:.0f} m\t{t.crs_label}\t{flags.strip()}")

"""Load the shipped dataset of a regency (Kutai Timur out of the box), idempotently.

Everything runs in one transaction through the same importer as user files, so the shipped data
pass the same checks. Running it twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import transaction
from shapely.geometry import box, mapping, shape
from shapely.ops import unary_union

from jangkau.core.choices import QualityChoices
from jangkau.core.upsert import upsert
from jangkau.cores.population import KnownFigure, estimate_population
from jangkau.regions.derive import recompute_derived
from jangkau.regions.importer import import_regions
from jangkau.regions.io.errors import InputFileError, RowError
from jangkau.regions.io.reader import read_regions
from jangkau.regions.models import District, Island, PopulationFigure, Regency, RegionFact, Village

DATA_ROOT = Path(__file__).resolve().parent.parent / "data"
KUTIM_DIR = DATA_ROOT / "kutim"
TERRAIN_ASC = DATA_ROOT / "terrain" / "altitude_5arcmin_kutim_bbox.asc"

#: see docs/data-sources.md: the shipped island file gives latitudes with a minus sign, which
#: puts every island 100–190 km away in the Makassar Strait; with the sign flipped each lies in a
#: coastal Kutai Timur desa. We flip it and say so on each island.
ISLAND_LAT_NOTE = (
    "Latitude sign corrected: the source gives -{lat}, which lies outside the regency; "
    "+{lat} falls inside desa {village}."
)

ESTIMATE_SOURCE = "Jangkau estimate (rule in docs/population.md)"


@dataclass
class LoadReport:
    """What loading a dataset did."""

    regions: str = ""
    population_written: int = 0
    facts_written: int = 0
    islands_written: int = 0
    evidence: str = ""
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"regions: {self.regions}",
            f"population figures written: {self.population_written}",
            f"facts written: {self.facts_written}",
            f"islands written: {self.islands_written}",
        ]
        if self.evidence:
            lines.append(f"evidence: {self.evidence}")
        lines.extend(self.notes)
        return "\n".join(lines)


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _read_asc(path: Path):
    header = {}
    with path.open() as fh:
        lines = fh.read().split("\n")
    i = 0
    while lines[i].split() and lines[i].split()[0][0].isalpha():
        key, value = lines[i].split()
        header[key.lower()] = float(value)
        i += 1
    grid = np.array([[float(x) for x in line.split()] for line in lines[i:] if line.strip()])
    return header, grid


def compute_coastline(regency_code: str, regency_geom, neighbours_path: Path, sea_grid_path: Path):
    """Boundary parts that face the sea (see docs/remoteness.md).

    The regency boundary minus the parts shared with neighbouring kab/kota (buffered 0.01°),
    kept only within 0.4° of a sea cell of the coarse DEM; the wide buffer is needed because
    the 9 km DEM fills narrow bays with land, and the DEM only serves to drop land borders
    with regions missing from the neighbours file.
    """
    with neighbours_path.open(encoding="utf-8") as fh:
        neighbours = json.load(fh)
    others = unary_union(
        [
            shape(f["geometry"])
            for f in neighbours["features"]
            if f["properties"].get("kode") != regency_code
        ]
    ).buffer(0.01)
    line = regency_geom.boundary.difference(others)
    if sea_grid_path.exists():
        header, grid = _read_asc(sea_grid_path)
        nrows, ncols = grid.shape
        cs, x0, y0 = header["cellsize"], header["xllcorner"], header["yllcorner"]
        nodata = header.get("nodata_value", -9999)
        cells = [
            box(x0 + c * cs, y0 + (nrows - 1 - r) * cs, x0 + (c + 1) * cs, y0 + (nrows - r) * cs)
            for r in range(nrows)
            for c in range(ncols)
            if grid[r, c] == nodata
        ]
        if cells:
            line = line.intersection(unary_union(cells).buffer(0.4))
    return line


def load_kutim(directory: Path = KUTIM_DIR) -> LoadReport:
    """Load the shipped Kutai Timur dataset (idempotent, all or nothing)."""
    meta = json.loads((directory / "dataset.json").read_text(encoding="utf-8"))
    files = {k: directory / v for k, v in meta["files"].items()}
    code = meta["regency_code"]
    report = LoadReport()

    records = []
    for key in ("regency", "districts", "villages"):
        records.extend(read_regions(files[key]))
    # Renumber rows so errors point at "file:feature".
    code_list = {r["kode"]: r for r in _read_csv(files["code_list"])}
    errors = []
    for r in records:
        listed = code_list.get(r.code)
        if listed is None:
            errors.append(
                RowError(
                    r.row, "code", f"{r.code} is not in the code list {files['code_list'].name}"
                )
            )
        elif listed["nama"].strip() != r.name and not (
            listed["level"] == "kabupaten" and listed["nama"].endswith(r.name)
        ):
            errors.append(
                RowError(
                    r.row, "name", f"{r.name!r} differs from the code list's {listed['nama']!r}"
                )
            )
        if listed is not None and listed["level"] == "kabupaten":
            r.name = listed["nama"]
    if len(code_list) != len(records):
        errors.append(
            RowError(0, "", f"{len(records)} boundaries for {len(code_list)} listed codes")
        )
    if errors:
        raise InputFileError(errors)

    with transaction.atomic():
        result = import_regions(
            records, regency_code=code, boundary_source=meta["boundary_source"], derive=False
        )
        report.regions = result.summary()
        regency = Regency.objects.get(code=code)
        seat = meta["seat"]
        seat_village = Village.objects.get(code=seat["village_code"])
        seat_geom = shape(seat_village.boundary).centroid
        coast = compute_coastline(code, shape(regency.boundary), files["neighbours"], TERRAIN_ASC)
        cgj = mapping(coast)
        from jangkau.cores.geo import round_coords

        upsert(
            Regency,
            {"code": code},
            {
                "seat_name": seat["name"],
                "seat_lat": round(seat_geom.y, 6),
                "seat_lon": round(seat_geom.x, 6),
                "seat_source": seat["note"],
                "coastline": {
                    "type": cgj["type"],
                    "coordinates": round_coords(cgj["coordinates"], 5),
                },
                "coastline_source": (
                    "derived: regency boundary minus the boundaries of neighbouring kab/kota "
                    "(cahyadsn/wilayah_boundaries), near sea cells of the pvlib 5-arc-minute DEM"
                ),
            },
        )
        report.islands_written = _load_islands(files["islands"], code)
        recompute_derived(code)
        report.population_written = _load_population(meta, files, regency)
        report.facts_written = _load_facts(files, code)
    return report


def _load_islands(path: Path, regency_code: str) -> int:
    from shapely.geometry import Point

    villages = [
        (v.name, shape(v.boundary))
        for v in Village.objects.filter(district__regency__code=regency_code).exclude(boundary=None)
    ]
    written = 0
    for row in _read_csv(path):
        lat, lon = float(row["lat"]), float(row["lng"])
        notes = row.get("notes", "")
        if not any(g.contains(Point(lon, lat)) for _, g in villages):
            flipped = next((n for n, g in villages if g.contains(Point(lon, -lat))), None)
            if flipped is not None:
                notes = ISLAND_LAT_NOTE.format(lat=abs(lat), village=flipped)
                lat = -lat
        values = {
            "name": row["nama"],
            "lat": lat,
            "lon": lon,
            "status": row["status"].strip(),
            "area_km2": float(row["luas_km2"]) if row["luas_km2"] else None,
            "notes": notes,
            "source": "Kepmendagri 300.2.2-2430/2025 via cahyadsn/wilayah db/wilayah_pulau.sql",
            "source_url": "https://github.com/cahyadsn/wilayah",
            "as_of": dt.date(2025, 1, 1),
            "as_of_label": "2025",
            "quality": QualityChoices.OFFICIAL,
        }
        written += upsert(Island, {"code": row["kode"]}, values)
    return written


def _load_population(meta: dict, files: dict, regency: Regency) -> int:
    pop = meta["population"]
    year = pop["target_year"]
    written = 0
    row = next(r for r in _read_csv(files["population"]) if r["kode"] == regency.code)
    total = int(row["total"])
    written += upsert(
        PopulationFigure,
        {"regency": regency, "year": year, "source": pop["regency_source"]},
        {
            "value": total,
            "male": int(row["pria"]),
            "female": int(row["wanita"]),
            "source_url": pop["regency_source_url"],
            "as_of": dt.date(year, 7, 1),
            "as_of_label": f"mid-{year}",
            "quality": QualityChoices.OFFICIAL,
            "method": "",
        },
    )
    totals = {year: total}
    for extra in pop["extra_regency_totals"]:
        totals[extra["year"]] = extra["value"]
        written += upsert(
            PopulationFigure,
            {"regency": regency, "year": extra["year"], "source": extra["source"]},
            {
                "value": extra["value"],
                "source_url": extra["source_url"],
                "as_of": dt.date(extra["year"], 7, 1),
                "as_of_label": str(extra["year"]),
                "quality": QualityChoices.OFFICIAL,
                "method": "",
            },
        )
    known = []
    districts = {d.code: d for d in District.objects.filter(regency=regency)}
    for r in _read_csv(files["kecamatan_facts"]):
        if r["metric"] != "penduduk" or r["kode"] not in districts:
            continue
        fig_year = int(r["as_of"][:4])
        known.append(KnownFigure(r["kode"], fig_year, int(float(r["value"])), r["source"]))
        written += upsert(
            PopulationFigure,
            {"district": districts[r["kode"]], "year": fig_year, "source": r["source"]},
            {
                "value": int(float(r["value"])),
                "source_url": r["source_url"],
                "as_of": dt.date(fig_year, 7, 1),
                "as_of_label": r["as_of"],
                "quality": QualityChoices.OFFICIAL,
                "method": r["notes"],
            },
        )
    villages_by_kec: dict[str, list[str]] = {c: [] for c in districts}
    for v in Village.objects.filter(district__regency=regency).select_related("district"):
        villages_by_kec[v.district.code].append(v.code)
    est = estimate_population(total, year, totals, villages_by_kec, known)
    for kcode, k in est.kecamatan.items():
        written += upsert(
            PopulationFigure,
            {"district": districts[kcode], "year": year, "source": ESTIMATE_SOURCE},
            {
                "value": k.value,
                "quality": QualityChoices.ESTIMATED,
                "as_of": dt.date(year, 7, 1),
                "as_of_label": f"mid-{year}",
                "source_url": "",
                "method": f"{k.method}: {k.basis}",
            },
        )
    villages = {v.code: v for v in Village.objects.filter(district__regency=regency)}
    for vcode, value in est.villages.items():
        v = villages[vcode]
        kec = est.kecamatan[vcode.rsplit(".", 1)[0]]
        written += upsert(
            PopulationFigure,
            {"village": v, "year": year, "source": ESTIMATE_SOURCE},
            {
                "value": value,
                "quality": QualityChoices.ESTIMATED,
                "as_of": dt.date(year, 7, 1),
                "as_of_label": f"mid-{year}",
                "source_url": "",
                "method": f"equal share of the kecamatan estimate {kec.value:,} ({kec.method})",
            },
        )
    return written


def _parse_as_of(text: str) -> dt.date | None:
    text = text.strip()
    for fmt, length in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            return dt.datetime.strptime(text[:length], fmt).date()
        except ValueError:
            continue
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 4:
        try:
            return dt.date(int(digits[:4]), 1, 1)
        except ValueError:
            return None
    return None


def _load_facts(files: dict, regency_code: str) -> int:
    written = 0
    for r in _read_csv(files["area"]):
        if r["kode"] != regency_code:
            continue
        written += upsert(
            RegionFact,
            {"key": f"area-big-2024:{r['kode']}"},
            {
                "region_code": r["kode"],
                "metric": "luas_wilayah",
                "value": float(r["luas_km2"]),
                "unit": "km2",
                "source": "BIG letter B-16.10/DIGD-BIG/IGD.04.04/12/2024 via cahyadsn/wilayah",
                "source_url": "https://github.com/cahyadsn/wilayah",
                "as_of": dt.date(2024, 12, 1),
                "as_of_label": "2024-12",
                "quality": QualityChoices.OFFICIAL,
                "notes": "",
            },
        )
    for r in _read_csv(files["kecamatan_facts"]):
        if r["metric"] == "penduduk":
            continue  # stored as PopulationFigure
        written += upsert(
            RegionFact,
            {"key": f"kecamatan-facts:{r['kode']}:{r['metric']}:{r['as_of']}"},
            {
                "region_code": r["kode"],
                "metric": r["metric"],
                "value": float(r["value"]),
                "unit": r["unit"],
                "source": r["source"],
                "source_url": r["source_url"],
                "as_of": _parse_as_of(r["as_of"]),
                "as_of_label": r["as_of"],
                "quality": QualityChoices.OFFICIAL,
                "notes": r["notes"],
            },
        )
    for r in _read_csv(files["connectivity_facts"]):
        scope_code = (
            regency_code
            if "Kutai Timur" in r["scope"]
            else regency_code.split(".")[0]
            if "Kalimantan Timur" in r["scope"]
            else r["scope"][:16]
        )
        try:
            value = float(r["value"])
            text = ""
        except ValueError:
            value, text = None, r["value"][:200]
        written += upsert(
            RegionFact,
            {"key": f"connectivity-facts:{r['fact_id']}"},
            {
                "region_code": scope_code,
                "metric": r["metric"][:120],
                "value": value,
                "value_text": text,
                "unit": r["unit"][:40],
                "source": r["reported_by"][:300],
                "source_url": r["source_url"],
                "as_of": _parse_as_of(r["as_of"]),
                "as_of_label": r["as_of"],
                "quality": QualityChoices.OFFICIAL,
                "notes": r["notes"],
            },
        )
    return written

"""Importing sites, links, facilities and access points through the shared framework."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jangkau.core.importing import REGISTRY, InputFileError, run_import, template_csv
from jangkau.inventory.importers import SPECS
from jangkau.inventory.models import AccessPoint, Facility, Link, Site, SiteStatusChange

from .builders import make_site, point_in, write_csv

pytestmark = pytest.mark.django_db


def site_row(code: str, village: str, **values) -> dict:
    lat, lon = point_in(village)
    row = {
        "code": code,
        "name": f"Site {code}",
        "operator": "telkomsel",
        "lat": f"{lat:.7f}",
        "lon": f"{lon:.7f}",
        "technologies": "4G;2G",
        "bands_mhz": "1800;900",
        "azimuths": "0;120;240",
        "status": "on_air",
        "source": "Telkomsel site list 2025",
        "as_of": "2025-06-01",
        "quality": "official",
    }
    row.update(values)
    return row


def rejected(kind: str, path) -> list[tuple[int, str, str]]:
    with pytest.raises(InputFileError) as err:
        run_import(kind, path)
    return [(e.row, e.field, e.message) for e in err.value.errors]


def test_every_inventory_kind_is_registered_on_app_ready():
    assert {"sites", "links", "facilities", "accesspoints"} <= set(REGISTRY)


def test_a_good_site_file_is_imported_with_villages_sectors_and_history(kutim, tmp_path):
    path = write_csv(
        tmp_path / "sites.csv",
        [
            site_row("TSEL-1", "64.08.11.2001"),
            site_row(
                "ISAT-1",
                "64.08.04.2012",
                operator="indosat",
                status="building",
                status_date="2025-05-20",
                azimuths="",
                omni="ya",
            ),
            site_row(
                "LOC-1",
                "64.08.12.2003",
                operator="other",
                operator_name="PT Desa Net",
                village_code="64.08.12.2003",
            ),
        ],
    )
    result = run_import("sites", path)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    tsel = Site.objects.get(code="TSEL-1")
    assert tsel.village.code == "64.08.11.2001"
    assert tsel.technologies == ["2G", "4G"] and tsel.bands_mhz == [900, 1800]
    assert [s.azimuth_deg for s in tsel.sectors.all()] == [0, 120, 240]
    isat = Site.objects.get(code="ISAT-1")
    assert isat.omni and isat.sectors.count() == 0
    (first,) = isat.status_changes.all()
    assert (first.to_status, first.changed_on) == ("building", dt.date(2025, 5, 20))
    assert Site.objects.get(code="LOC-1").operator_display == "PT Desa Net"


def test_importing_the_same_site_file_twice_changes_nothing(kutim, tmp_path):
    path = write_csv(
        tmp_path / "sites.csv",
        [site_row("TSEL-1", "64.08.11.2001"), site_row("XL-1", "64.08.11.2002", operator="xl")],
    )
    run_import("sites", path)
    history = SiteStatusChange.objects.count()
    again = run_import("sites", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert SiteStatusChange.objects.count() == history


def test_a_reimported_status_change_is_a_dated_history_row(kutim, tmp_path):
    run_import("sites", write_csv(tmp_path / "a.csv", [site_row("TSEL-1", "64.08.11.2001")]))
    changed = site_row(
        "TSEL-1",
        "64.08.11.2001",
        status="down",
        status_date="2025-09-03",
        name="Sandaran (renamed)",
    )
    result = run_import("sites", write_csv(tmp_path / "b.csv", [changed]))
    assert result.updated == 1
    site = Site.objects.get(code="TSEL-1")
    assert site.status == "down" and site.name == "Sandaran (renamed)"
    last = site.status_changes.order_by("-changed_on").first()
    assert (last.from_status, last.to_status, last.changed_on) == (
        "on_air",
        "down",
        dt.date(2025, 9, 3),
    )
    assert "b.csv" in last.note


def test_a_bad_site_file_is_refused_whole_with_every_problem_by_row(one_frame, tmp_path):
    make_site("OLD-1", "64.08.11.2003", status="decommissioned")
    lat, lon = point_in("64.08.11.2001")
    path = write_csv(
        tmp_path / "bad.csv",
        [
            site_row("OK-1", "64.08.11.2001"),
            site_row("SEA-1", "64.08.11.2001", lat="-0.5854", lon="117.4807"),
            site_row("T6-1", "64.08.11.2001", technologies="4G;6G"),
            site_row("OMNI-1", "64.08.11.2001", omni="true"),
            site_row("OTH-1", "64.08.11.2001", operator="other"),
            site_row("OLD-1", "64.08.11.2003", status="on_air"),
            site_row("OK-1", "64.08.11.2002"),
            site_row("AZ-1", "64.08.11.2001", azimuths="0;400"),
            site_row("VIL-1", "64.08.11.2001", village_code="64.08.01.2001"),
        ],
    )
    problems = rejected("sites", path)
    by_row = {row: field for row, field, _message in problems}
    assert by_row == {
        2: "lat/lon",
        3: "technologies",
        4: "azimuths",
        5: "operator_name",
        6: "status",
        8: "azimuths",
        9: "village_code",
    }
    assert not Site.objects.filter(code="OK-1").exists()  # nothing written


def test_duplicate_site_codes_in_one_file_are_refused(kutim, tmp_path):
    path = write_csv(
        tmp_path / "dup.csv",
        [site_row("OK-1", "64.08.11.2001"), site_row("OK-1", "64.08.11.2002")],
    )
    problems = rejected("sites", path)
    assert [(row, field) for row, field, _m in problems] == [(2, "code")]
    assert "duplicate of row 1" in problems[0][2]


def test_links_are_imported_from_geojson_with_lengths_and_end_sites(one_frame, tmp_path):
    a = make_site("A-1", "64.08.04.2012")
    b = make_site("B-1", "64.08.04.2001")
    features = [
        {
            "type": "Feature",
            "properties": {
                "code": "MW-1",
                "kind": "microwave_hop",
                "endpoint_a": "A-1",
                "endpoint_b": "B-1",
                "capacity_mbps": 400,
                "status": "active",
                "source": "operator",
                "as_of": "2025-06-01",
            },
            "geometry": {"type": "LineString", "coordinates": [[a.lon, a.lat], [b.lon, b.lat]]},
        },
        {
            "type": "Feature",
            "properties": {"code": "FO-1", "kind": "fiber_route", "source": "Telkom"},
            "geometry": {"type": "LineString", "coordinates": [[117.5, 0.5], [117.5, 0.6]]},
        },
    ]
    path = tmp_path / "links.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    result = run_import("links", path)
    assert result.created == 2
    fiber = Link.objects.get(code="FO-1")
    assert fiber.length_km == pytest.approx(11.057, abs=0.002) and fiber.status == "planned"
    hop = Link.objects.get(code="MW-1")
    assert (hop.endpoint_a, hop.endpoint_b) == (a, b)
    assert run_import("links", path).unchanged == 2


def test_a_bad_link_file_names_each_problem(one_frame, tmp_path):
    make_site("A-1", "64.08.04.2012")
    make_site("FAR-1", "64.08.11.2007")
    a = Site.objects.get(code="A-1")
    rows = [
        {
            "code": "L-OUT",
            "kind": "fiber_route",
            "source": "x",
            "wkt": "LINESTRING (117.5 0.5, 117.15 -0.5)",
        },
        {
            "code": "L-FAR",
            "kind": "microwave_hop",
            "source": "x",
            "endpoint_a": "FAR-1",
            "wkt": f"LINESTRING ({a.lon} {a.lat}, {a.lon + 0.02} {a.lat})",
        },
        {
            "code": "L-NOSITE",
            "kind": "microwave_hop",
            "source": "x",
            "endpoint_b": "NOPE",
            "wkt": f"LINESTRING ({a.lon} {a.lat}, {a.lon + 0.02} {a.lat})",
        },
        {"code": "L-PT", "kind": "vsat", "source": "x", "wkt": "POINT (117.5 0.5)"},
    ]
    problems = rejected("links", write_csv(tmp_path / "links.csv", rows))
    assert [(row, field) for row, field, _m in problems] == [
        (1, "wkt"),
        (2, "endpoint_a"),
        (3, "endpoint_b"),
        (4, "wkt"),
    ]
    assert "leaves the regency" in problems[0][2] and "FAR-1" in problems[1][2]
    assert not Link.objects.exists()


def test_facilities_import_checks_the_connection_and_updates_by_code(kutim, tmp_path):
    lat, lon = point_in("64.08.11.2001")
    base = {
        "code": "30400001",
        "kind": "SD",
        "name": "SDN 001 Sandaran",
        "lat": lat,
        "lon": lon,
        "connected": "no",
        "connection_kind": "none",
        "source": "Dapodik 2025",
    }
    assert run_import("facilities", write_csv(tmp_path / "a.csv", [base])).created == 1
    facility = Facility.objects.get(code="30400001")
    assert facility.kind == "sd" and facility.village.code == "64.08.11.2001"
    bad = {**base, "connected": "yes", "connection_kind": ""}  # stored "none" stays: refused
    problems = rejected("facilities", write_csv(tmp_path / "b.csv", [bad]))
    assert [(r, f) for r, f, _m in problems] == [(1, "connection_kind")]
    good = {**base, "connected": "yes", "connection_kind": "vsat"}
    assert run_import("facilities", write_csv(tmp_path / "c.csv", [good])).updated == 1
    assert Facility.objects.get(code="30400001").connection_kind == "vsat"


def test_access_points_import_and_reimport(kutim, tmp_path):
    lat, lon = point_in("64.08.11.2002")
    row = {
        "code": "BAI-1",
        "kind": "bakti_ai",
        "provider": "BAKTI",
        "capacity_mbps": "20",
        "installed_on": "2023-11-01",
        "lat": lat,
        "lon": lon,
        "source": "BAKTI AI list",
    }
    path = write_csv(tmp_path / "ap.csv", [row])
    assert run_import("accesspoints", path).created == 1
    ap = AccessPoint.objects.get(code="BAI-1")
    assert ap.village.code == "64.08.11.2002" and ap.installed_on == dt.date(2023, 11, 1)
    assert run_import("accesspoints", path).unchanged == 1
    future = {**row, "installed_on": (dt.date.today() + dt.timedelta(days=30)).isoformat()}
    problems = rejected("accesspoints", write_csv(tmp_path / "f.csv", [future]))
    assert [(r, f) for r, f, _m in problems] == [(1, "installed_on")]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind)
def test_each_template_imports_cleanly(kutim, tmp_path, spec):
    path = tmp_path / f"{spec.kind}.csv"
    path.write_text(template_csv(spec), encoding="utf-8")
    result = run_import(spec.kind, path)
    assert result.created == len(spec.example_rows) == 1

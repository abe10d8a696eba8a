"""The import rules: every row checked, all problems listed, nothing written on rejection,
duplicates refused, re-imports change nothing, statuses recomputed for what changed."""

from __future__ import annotations

import pytest
from pyproj import Transformer
from shapely.geometry import LineString, Polygon

from jangkau.core.importing import (
    MAX_ERRORS,
    Column,
    ImportRejected,
    ImportSpec,
    InputFileError,
    check_rows,
    run_import,
)
from tests.importing.files import (
    AT_SEA,
    KERAYAAN,
    KERAYAAN_CODE,
    NEAR_EDGE,
    NEAR_EDGE_NEAREST,
    SAMARINDA,
    SANGATTA_SELATAN,
    SANGATTA_SELATAN_CODE,
    snapshot,
    speedtest_row,
    write_dicts,
)

pytestmark = pytest.mark.django_db


def rejected(path, **kwargs) -> ImportRejected:
    with pytest.raises(InputFileError) as info:
        run_import("speedtests", path, **kwargs)
    return info.value


def where(exc) -> list[tuple[int, str]]:
    return [(e.row, e.field) for e in exc.errors]


def test_every_problem_of_every_row_is_listed_and_nothing_is_written(kutim, tmp_path):
    before = snapshot()
    rows = [
        speedtest_row(test_id="ok"),
        speedtest_row(test_id="2", download_mbps="-3", operator="tri"),
        speedtest_row(test_id="3", measured_at="2099-01-01T00:00:00+08:00"),
        speedtest_row(test_id="4", lat=SAMARINDA[0], lon=SAMARINDA[1]),
        speedtest_row(test_id="5", village_code="64.08.12.2999"),
        speedtest_row(test_id="6", lat="utara"),
    ]
    exc = rejected(write_dicts(tmp_path / "bad.csv", rows))
    assert where(exc) == [
        (2, "download_mbps"),
        (2, "operator"),
        (3, "measured_at"),
        (4, "lat/lon"),
        (5, "village_code"),
        (6, "lat"),
    ]
    messages = [e.message for e in exc.errors]
    assert "-3.0 is below the minimum 0" in messages[0]
    assert "'tri' is not one of" in messages[1]
    assert "is in the future" in messages[2]
    assert messages[3] == "coordinates (-0.50220, 117.15360) are outside the regency"
    assert "'64.08.12.2999' does not exist" in messages[4]
    assert "'utara' is not a number" in messages[5]
    assert snapshot() == before


def test_the_list_stops_at_a_thousand_problems_and_counts_the_rest(kutim, tmp_path):
    rows = [speedtest_row(test_id=str(i), download_mbps="x") for i in range(MAX_ERRORS + 234)]
    exc = rejected(write_dicts(tmp_path / "many.csv", rows))
    assert exc.total == MAX_ERRORS + 234
    assert len(exc.errors) == MAX_ERRORS + 1
    assert [e.row for e in exc.errors[:MAX_ERRORS]] == list(range(1, MAX_ERRORS + 1))
    closing = exc.errors[-1]
    assert closing.row == 0 and "234 more problem(s) not listed" in closing.message


def test_duplicate_natural_keys_in_one_file_are_errors(kutim, tmp_path):
    before = snapshot()
    rows = [
        speedtest_row(test_id="a"),
        speedtest_row(test_id="b"),
        speedtest_row(test_id="a", download_mbps="20"),
        speedtest_row(test_id="", measured_at="2025-03-14T11:00:00+08:00"),
        speedtest_row(test_id="", measured_at="2025-03-14T11:00:00+08:00"),
    ]
    exc = rejected(write_dicts(tmp_path / "dup.csv", rows))
    key = "tool/test_id/measured_at/lat/lon/operator"
    assert where(exc) == [(3, key), (5, key)]
    assert "duplicate of row 1 (same key 'ookla_app:a')" in exc.errors[0].message
    assert "duplicate of row 4" in exc.errors[1].message
    assert snapshot() == before


def test_a_points_village_is_found_and_points_near_the_edge_go_to_the_nearest(kutim, tmp_path):
    from jangkau.measurements.models import SpeedTest

    rows = [
        speedtest_row(test_id="in", lat=SANGATTA_SELATAN[0], lon=SANGATTA_SELATAN[1]),
        speedtest_row(test_id="edge", lat=NEAR_EDGE[0], lon=NEAR_EDGE[1]),
    ]
    run_import("speedtests", write_dicts(tmp_path / "pts.csv", rows))
    villages = dict(SpeedTest.objects.values_list("test_id", "village__code"))
    assert villages == {"in": SANGATTA_SELATAN_CODE, "edge": NEAR_EDGE_NEAREST}


def test_swapped_coordinates_get_a_hint(kutim, tmp_path):
    rows = [speedtest_row(lat=SANGATTA_SELATAN[1], lon=SANGATTA_SELATAN[0])]
    exc = rejected(write_dicts(tmp_path / "swap.csv", rows))
    assert where(exc) == [(1, "lat/lon")]
    assert "not longitude/latitude" in exc.errors[0].message  # lat 117 is not a latitude
    rows = [speedtest_row(lat=AT_SEA[0], lon=AT_SEA[1])]
    assert (
        "outside the regency" in rejected(write_dicts(tmp_path / "sea.csv", rows)).errors[0].message
    )


def test_a_given_village_code_must_match_the_coordinates(kutim, tmp_path):
    rows = [speedtest_row(village_code=KERAYAAN_CODE)]
    exc = rejected(write_dicts(tmp_path / "other.csv", rows))
    assert where(exc) == [(1, "village_code")]
    assert f"lie in {SANGATTA_SELATAN_CODE} Sangatta Selatan, not in {KERAYAAN_CODE}" in (
        exc.errors[0].message
    )
    ok = [speedtest_row(village_code=SANGATTA_SELATAN_CODE.replace(".", ""))]
    assert run_import("speedtests", write_dicts(tmp_path / "same.csv", ok)).created == 1


def test_coordinates_in_another_crs_are_reprojected(kutim, tmp_path):
    from jangkau.measurements.models import SpeedTest

    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32650", always_xy=True)
    x, y = to_utm.transform(SANGATTA_SELATAN[1], SANGATTA_SELATAN[0])
    path = write_dicts(tmp_path / "utm.csv", [speedtest_row(lat=round(y, 2), lon=round(x, 2))])
    exc = rejected(path)
    assert "not longitude/latitude" in exc.errors[0].message and "--crs" in exc.errors[0].message
    run_import("speedtests", path, crs="EPSG:32650")
    test = SpeedTest.objects.get()
    assert test.village.code == SANGATTA_SELATAN_CODE
    assert abs(test.lat - SANGATTA_SELATAN[0]) < 1e-6 and abs(test.lon - SANGATTA_SELATAN[1]) < 1e-6


def test_a_wkt_column_may_replace_lat_and_lon(kutim, tmp_path):
    row = speedtest_row(wkt=f"POINT ({SANGATTA_SELATAN[1]} {SANGATTA_SELATAN[0]})")
    del row["lat"], row["lon"]
    assert run_import("speedtests", write_dicts(tmp_path / "wkt.csv", [row])).created == 1
    row["wkt"] = "LINESTRING (117.5 0.5, 117.6 0.6)"
    exc = rejected(write_dicts(tmp_path / "line.csv", [row]))
    assert where(exc) == [(1, "wkt")] and "a point is needed" in exc.errors[0].message


def test_reimporting_the_same_file_changes_nothing(kutim, tmp_path):
    rows = [speedtest_row(test_id=str(i)) for i in range(5)]
    path = write_dicts(tmp_path / "same.csv", rows)
    first = run_import("speedtests", path)
    assert (first.created, first.updated, first.unchanged) == (5, 0, 0)
    assert first.recompute_progress_id is not None
    before = snapshot()
    again = run_import("speedtests", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert again.recompute_progress_id is None and again.villages == ()
    assert snapshot() == before


def test_a_corrected_row_is_updated_and_only_its_village_recomputed(kutim, tmp_path):
    from jangkau.evidence.models import Evidence

    rows = [speedtest_row(test_id="1"), speedtest_row(test_id="2")]
    run_import("speedtests", write_dicts(tmp_path / "v1.csv", rows))
    rows[1]["download_mbps"] = "1.5"
    result = run_import("speedtests", write_dicts(tmp_path / "v2.csv", rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert result.villages == (SANGATTA_SELATAN_CODE,)
    evidence = Evidence.objects.get(key="speedtests:ookla_app:2")
    assert (evidence.status, evidence.detail["download_mbps"]) == ("4g_weak", 1.5)  # 4G, < 10


def test_new_measurements_recompute_the_village_status(kutim, tmp_path):
    from jangkau.evidence.models import VillageStatus

    assert VillageStatus.objects.get(village__code=KERAYAAN_CODE, operator="").status == (
        "no_signal"
    )  # the 2021-22 blank-spot list
    rows = [
        speedtest_row(test_id="k1", lat=KERAYAAN[0], lon=KERAYAAN[1], download_mbps="25"),
        speedtest_row(test_id="k2", lat=KERAYAAN[0], lon=KERAYAAN[1], download_mbps="18"),
    ]
    result = run_import("speedtests", write_dicts(tmp_path / "k.csv", rows))
    assert result.villages == (KERAYAAN_CODE,)
    status = VillageStatus.objects.get(village__code=KERAYAAN_CODE, operator="")
    assert status.status == "4g_good"
    assert "speedtests:ookla_app:k1" in status.decided_by


def test_values_for_missing_columns_come_from_options(kutim, tmp_path):
    from jangkau.measurements.models import SpeedTest

    row = speedtest_row()
    del row["tool"]
    path = write_dicts(tmp_path / "notool.csv", [row])
    exc = rejected(path)
    assert where(exc) == [(0, "tool")] and "missing column 'tool'" in exc.errors[0].message
    run_import("speedtests", path, options={"tool": "field_team"})
    assert SpeedTest.objects.get().tool == "field_team"
    for options, field, fragment in [
        ({"colour": "red"}, "colour", "not a column of this kind"),
        ({"operator": "xl"}, "operator", "both a column of the file and a given value"),
        ({"tool": "drone"}, "tool", "given value: 'drone' is not one of"),
    ]:
        exc = rejected(path, options={"tool": "field_team", **options})
        assert (exc.errors[0].row, exc.errors[0].field) == (0, field)
        assert fragment in exc.errors[0].message


def test_a_header_naming_one_column_twice_is_refused(kutim, tmp_path):
    row = speedtest_row(latitude=SANGATTA_SELATAN[0])
    exc = rejected(write_dicts(tmp_path / "twice.csv", [row]))
    assert where(exc) == [(0, "lat")] and "keep one" in exc.errors[0].message


def test_unknown_columns_are_ignored_and_named(kutim, tmp_path):
    row = speedtest_row(server="Jakarta")
    result = run_import("speedtests", write_dicts(tmp_path / "extra.csv", [row]))
    assert result.ignored_columns == ("server",)


SQUARE = Polygon([(117.50, 0.50), (117.52, 0.50), (117.52, 0.52), (117.50, 0.52)])


def _shape_spec(geometry):
    def refuse_to_write(rows, ctx):  # check_rows never writes
        raise AssertionError("write_batch called by a check")

    return ImportSpec(
        kind=f"test-{geometry}",
        title="test",
        columns=(Column("name", "str"),),
        geometry=geometry,
        natural_key=lambda row: row["name"],
        write_batch=refuse_to_write,
    )


def test_lines_and_polygons_are_checked_for_type_validity_and_place(kutim):
    polygons = _shape_spec("polygon")
    [row] = check_rows(polygons, [{"name": "a", "wkt": SQUARE.wkt}])
    assert row["geometry"].equals(SQUARE)
    bowtie = "POLYGON ((117.5 0.5, 117.52 0.52, 117.52 0.5, 117.5 0.52, 117.5 0.5))"
    far = SQUARE.buffer(0).wkt.replace("117.5", "110.5")
    with pytest.raises(InputFileError) as info:
        check_rows(
            polygons,
            [
                {"name": "b", "wkt": bowtie},
                {"name": "c", "wkt": far},
                {"name": "d", "wkt": "POINT (117.5 0.5)"},
                {"name": "e", "wkt": "POLYGON ((1 2,"},
            ],
        )
    messages = {e.row: e.message for e in info.value.errors}
    assert "invalid geometry: Self-intersection" in messages[1]
    assert "lies outside the regency" in messages[2]
    assert "a MultiPolygon or Polygon is needed, not a Point" in messages[3]
    assert "unreadable geometry" in messages[4]
    lines = _shape_spec("line")
    line = LineString([(117.3, 0.5), (117.6, 0.5)])
    [row] = check_rows(lines, [{"name": "l", "wkt": line.wkt}])
    assert row["geometry"].equals(line)

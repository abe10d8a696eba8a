"""The shipped Kutai Timur data, loaded through the real importer, meets its promises."""

from __future__ import annotations

import csv
import json

import pytest
from shapely.geometry import shape

from jangkau.regions.datasets import KUTIM_DIR

pytestmark = pytest.mark.django_db


def test_it_has_141_villages_whose_codes_match_the_shipped_code_list(kutim):
    from jangkau.regions.models import Village

    with (KUTIM_DIR / "wilayah_6408.csv").open(encoding="utf-8") as fh:
        listed = {r["kode"] for r in csv.DictReader(fh) if r["level"] == "desa_kelurahan"}
    codes = list(Village.objects.values_list("code", flat=True))
    assert len(codes) == 141
    assert len(set(codes)) == 141
    assert set(codes) == listed


def test_it_has_18_kecamatan_and_two_kelurahan(kutim):
    from jangkau.regions.models import District, Village

    assert District.objects.filter(regency=kutim).count() == 18
    assert sorted(Village.objects.filter(kind="kelurahan").values_list("code", flat=True)) == [
        "64.08.04.1010",
        "64.08.12.1002",
    ]


def test_every_village_lies_inside_its_kecamatan(kutim):
    from jangkau.regions.models import Village

    for v in Village.objects.select_related("district"):
        village, district = shape(v.boundary), shape(v.district.boundary)
        assert district.buffer(0.01).contains(village.representative_point()), v.code
        overlap = village.intersection(district.buffer(0.005)).area / village.area
        assert overlap > 0.9, (v.code, overlap)


def test_all_geometries_are_valid(kutim):
    from jangkau.regions.models import District, Village

    for obj in [*Village.objects.all(), *District.objects.all(), kutim]:
        assert shape(obj.boundary).is_valid, obj.code
        assert shape(obj.boundary_display).is_valid, obj.code


def test_total_area_is_within_one_percent_of_the_official_31573_km2(kutim):
    from jangkau.regions.models import Village

    total = sum(Village.objects.values_list("area_km2", flat=True))
    assert abs(total - 31_572.691) / 31_572.691 < 0.01
    assert abs(kutim.area_km2 - 31_572.691) / 31_572.691 < 0.01


def test_37_villages_carry_blank_spot_evidence_with_source_urls(kutim):
    from jangkau.evidence.models import Evidence

    prior = Evidence.objects.filter(kind="prior_list")
    assert prior.values("village").distinct().count() == 37
    assert all("http" in e.source_url for e in prior)
    assert all(e.as_of_label for e in prior)


def test_no_village_without_evidence_is_shown_as_covered(kutim):
    from jangkau.evidence.models import VillageStatus
    from jangkau.regions.models import Village

    covered = {"4g_good", "4g_weak", "2g_3g_only"}
    for v in Village.objects.prefetch_related("evidence", "statuses"):
        overall = [s for s in v.statuses.all() if s.operator == ""]
        if not v.evidence.exists():
            assert overall and overall[0].status == "unknown", v.code
        assert not (overall and overall[0].status in covered and not v.evidence.exists())
    assert VillageStatus.objects.filter(operator="", status="no_signal").count() == 37


def test_village_population_estimates_add_up_to_the_official_regency_total(kutim):
    from jangkau.regions.models import PopulationFigure

    official = kutim.best_population()
    assert (official.value, official.year, official.quality) == (448_850, 2024, "official")
    estimates = PopulationFigure.objects.filter(village__isnull=False, year=2024)
    assert estimates.count() == 141
    assert {f.quality for f in estimates} == {"estimated"}
    assert sum(f.value for f in estimates) == 448_850


def test_an_official_village_figure_entered_later_wins_over_the_estimate(kutim):
    from jangkau.regions.models import PopulationFigure, Village

    v = Village.objects.get(code="64.08.11.2001")
    assert v.best_population().quality == "estimated"
    PopulationFigure.objects.create(
        village=v, year=2024, value=1234, source="Disdukcapil test", quality="official"
    )
    v = Village.objects.get(code="64.08.11.2001")
    assert (v.best_population().value, v.best_population().quality) == (1234, "official")


def test_remoteness_puts_the_seat_first_and_the_far_coast_last(kutim):
    from jangkau.regions.models import Village

    seat = Village.objects.get(code="64.08.04.2012")  # Swarga Bara, Sangatta
    far = Village.objects.get(code="64.08.11.2007")  # Tanjung Mangkaliat
    assert seat.remoteness_class == 1 and seat.distance_to_seat_km == 0.0
    assert far.remoteness_class == 4 and far.distance_to_seat_km > 150
    assert far.is_coastal
    assert Village.objects.filter(remoteness_class__isnull=True).count() == 0


def test_inhabited_islands_land_in_coastal_villages_after_the_sign_correction(kutim):
    from jangkau.regions.models import Island

    inhabited = Island.objects.filter(status="BP")
    assert inhabited.count() == 4
    for island in Island.objects.all():
        assert island.lat > 0, island.code
        assert island.village is not None and island.village.is_coastal, island.code
    miang = Island.objects.get(name="Pulau Miang Besar")
    assert miang.village.code == "64.08.05.2018" and miang.village.is_island
    assert "sign corrected" in miang.notes


def test_loading_twice_changes_nothing(kutim):
    from jangkau.regions.datasets import load_kutim

    report = load_kutim()
    assert "0 created, 0 updated, 141 unchanged" in report.regions
    assert report.population_written == 0
    assert report.facts_written == 0
    assert report.islands_written == 0


def test_the_display_payload_of_the_whole_regency_is_under_500_kb(kutim, client):
    villages = client.get("/api/regions/villages.geojson")
    kecamatan = client.get("/api/regions/kecamatan.geojson")
    assert villages.status_code == 200 and kecamatan.status_code == 200
    assert len(json.loads(villages.content)["features"]) == 141
    assert len(villages.content) + len(kecamatan.content) < 500_000

"""Coverage runs on built data: files, village figures, evidence, the cache, replacement."""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np
import pytest

from jangkau.cores.propagation.raster import (
    GridSpec,
    compute_best_server,
    read_coverage_geotiff,
)
from jangkau.evidence.models import Evidence, VillageStatus
from jangkau.radio.adapters import core_site
from jangkau.radio.engine import RunOptions, compute, params_from_json, prepare_run
from jangkau.radio.models import CoverageRun, ProposedSite, Terrain, VillageCoverage
from jangkau.radio.predictions import predicted_status
from jangkau.radio.tasks import request_run
from jangkau.radio.terrains import load_demo
from jangkau.regions.models import Village
from tests.inventory.builders import make_site

from .conftest import BANGUN_JAYA, MUARA_WAHAU, point_in

pytestmark = pytest.mark.django_db

#: coarse grid and the terrain-blind model keep each run well under a second.
FAST = RunOptions(model="hata", resolution_m=1000.0)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    return width, height


def test_a_run_writes_the_geotiff_the_overlay_and_village_figures(two_sites, data_dir):
    run, queued = request_run(FAST)
    run.refresh_from_db()
    assert queued and run.state == "done", run.error
    assert run.n_sites == 2 and run.quality == "estimated"
    assert run.as_of == dt.date(2025, 6, 1)  # the inventory's date, not the run's
    tif = data_dir / run.geotiff_path
    png = data_dir / run.png_path
    result = read_coverage_geotiff(tif)
    assert sorted(result.site_ids) == [0, 1] and result.model == "hata"
    assert np.isfinite(result.signal_dbm).any()
    width, height = _png_size(png.read_bytes())
    assert width > 100 and height > 100
    lat, lon = point_in(MUARA_WAHAU)
    assert run.overlay_west < lon < run.overlay_east
    assert run.overlay_south < lat < run.overlay_north

    villages = Village.objects.count()
    assert VillageCoverage.objects.filter(run=run, operator="").count() == villages
    assert VillageCoverage.objects.filter(run=run, operator="telkomsel").count() == villages
    assert VillageCoverage.objects.filter(run=run, operator="xl").count() == villages
    mwh = VillageCoverage.objects.get(run=run, village__code=MUARA_WAHAU, operator="")
    assert mwh.share_good == 1.0 and mwh.best_site_code == "TSEL-MWH"
    assert mwh.best_operator == "telkomsel" and mwh.margin_db > 0
    assert mwh.people_covered_estimate == pytest.approx(mwh.population * mwh.share_good)
    # The XL site is not Telkomsel's: its village has no Telkomsel coverage.
    bjy = VillageCoverage.objects.get(run=run, village__code=BANGUN_JAYA, operator="telkomsel")
    assert bjy.share_weak == 0.0 and bjy.best_site_code == ""
    far = VillageCoverage.objects.get(run=run, village__code="64.08.11.2001", operator="")
    assert far.share_weak == 0.0 and far.people_covered_estimate == 0.0


def test_a_run_publishes_model_predictions_per_operator_and_recomputes(two_sites, data_dir):
    run, _ = request_run(FAST)
    run.refresh_from_db()
    predictions = Evidence.objects.filter(kind="model_prediction")
    key = f"coverage:{run.inputs_hash}:{MUARA_WAHAU}:telkomsel"
    evidence = predictions.get(key=key)
    assert evidence.status == "4g_good" and evidence.quality == "estimated"
    assert evidence.as_of == dt.date(2025, 6, 1)
    assert evidence.detail["share_good"] == 1.0
    assert predictions.get(village__code=BANGUN_JAYA, operator="xl").status == "4g_good"
    # Only coverage is evidence: no village gets a "no_signal" prediction.
    assert not predictions.exclude(status__in=["4g_good", "4g_weak"]).exists()
    assert not predictions.filter(operator="").exists()
    assert run.published_at is not None
    status = VillageStatus.objects.get(village__code=MUARA_WAHAU, operator="telkomsel")
    assert status.status == "4g_good" and evidence.key in status.decided_by


def test_identical_inputs_reuse_the_finished_run(two_sites, data_dir):
    first, queued = request_run(FAST)
    assert queued
    second, queued_again = request_run(FAST)
    assert not queued_again and second.pk == first.pk
    assert CoverageRun.objects.count() == 1
    other, queued_other = request_run(
        RunOptions(model="hata", resolution_m=1000.0, good_dbm=-100.0)
    )
    assert queued_other and other.pk != first.pk  # thresholds are part of the inputs


def test_a_cached_run_whose_files_were_removed_is_computed_again(two_sites, data_dir):
    first, _ = request_run(FAST)
    first.refresh_from_db()
    (data_dir / first.png_path).unlink()
    again, queued = request_run(FAST)
    again.refresh_from_db()
    assert queued and again.pk == first.pk and again.state == "done"
    assert (data_dir / again.png_path).exists()


def test_a_changed_inventory_is_a_new_run_that_replaces_the_predictions(two_sites, data_dir):
    tsel, _xl = two_sites
    first, _ = request_run(FAST)
    first.refresh_from_db()
    old_key = f"coverage:{first.inputs_hash}:{MUARA_WAHAU}:telkomsel"
    assert Evidence.objects.filter(key=old_key).exists()
    tsel.set_status("down", dt.date(2025, 6, 2), "power cut")
    second, queued = request_run(FAST)
    assert queued and second.pk != first.pk and second.n_sites == 1
    assert not Evidence.objects.filter(key__startswith=f"coverage:{first.inputs_hash}").exists()
    assert not Evidence.objects.filter(kind="model_prediction", operator="telkomsel").exists()
    status = VillageStatus.objects.filter(village__code=MUARA_WAHAU, operator="telkomsel")
    assert not status.exists()  # no evidence left for Telkomsel there
    # Asking for the first inputs again (site back on air) reuses run 1 and republishes it.
    tsel.set_status("on_air", dt.date(2025, 6, 3), "repaired")
    again, queued_again = request_run(FAST)
    assert not queued_again and again.pk == first.pk
    assert Evidence.objects.filter(key=old_key).exists()


def test_per_operator_rasters_merge_into_the_all_sites_raster(two_sites, data_dir):
    make_site("TSEL-2", "64.08.02.2008", antenna_height_m=30.0)  # next to TSEL-MWH
    run, _ = prepare_run(FAST)
    combined, per_operator = compute(run)
    direct = compute_best_server(
        [core_site(s) for s in run.sites],
        GridSpec(**run.grid),
        None,
        "hata",
        params_from_json(run.params),
    )
    np.testing.assert_array_equal(combined.signal_dbm, direct.signal_dbm)
    np.testing.assert_array_equal(combined.serving, direct.serving)
    assert set(per_operator) == {"telkomsel", "xl"}


def test_sites_without_4g_are_left_out_and_missing_figures_are_assumed(one_frame, data_dir):
    make_site("G2-ONLY", MUARA_WAHAU, technologies=["2G"])
    make_site("BARE", BANGUN_JAYA)  # no height, EIRP or band recorded
    make_site("PLANNED", MUARA_WAHAU, status="planned")
    run, _ = prepare_run(FAST)
    assert [s["code"] for s in run.sites] == ["BARE"]
    assert run.sites[0]["assumed"] == ["antenna_height_m", "eirp_dbm", "freq_mhz"]
    assert any("without 4G/5G" in n for n in run.notes)
    assert any("assumed antenna height 30 m" in n for n in run.notes)


def test_a_run_with_proposed_sites_publishes_no_evidence(two_sites, data_dir, make_user):
    lat, lon = point_in("64.08.14.2009")
    ProposedSite.objects.create(
        name="Masalap", lat=lat, lon=lon, operator="telkomsel", created_by=make_user("planner")
    )
    run, _ = request_run(RunOptions(model="hata", resolution_m=1000.0, include_proposed=True))
    run.refresh_from_db()
    assert run.state == "done" and run.n_sites == 3 and run.published_at is None
    assert not Evidence.objects.filter(kind="model_prediction").exists()
    masalap = VillageCoverage.objects.get(run=run, village__code="64.08.14.2009", operator="")
    assert masalap.share_good >= 0.5 and masalap.best_site_code.startswith("P-")


def test_a_run_over_the_demo_terrain_with_itm(two_sites, data_dir):
    demo, _ = load_demo()
    run, _ = request_run(
        RunOptions(model="itm", resolution_m=2000.0, terrain_id=demo.pk, max_radius_m=20_000.0)
    )
    run.refresh_from_db()
    assert run.state == "done", run.error
    assert run.terrain_label == "demo-5arcmin" and run.terrain_is_coarse
    assert (
        VillageCoverage.objects.get(run=run, village__code=MUARA_WAHAU, operator="").share_weak > 0
    )


def test_a_run_with_no_sites_is_empty_and_clears_old_predictions(one_frame, data_dir):
    site = make_site("ONLY", MUARA_WAHAU)
    request_run(FAST)
    assert Evidence.objects.filter(kind="model_prediction").exists()
    site.set_status("decommissioned", dt.date(2025, 6, 5))
    run, _ = request_run(FAST)
    run.refresh_from_db()
    assert run.state == "done" and run.n_sites == 0
    assert not Evidence.objects.filter(kind="model_prediction").exists()
    assert not VillageCoverage.objects.filter(run=run, share_weak__gt=0).exists()


def test_a_failed_run_is_marked_and_queued_again_on_the_next_request(two_sites, data_dir):
    demo, _ = load_demo()
    demo.path.unlink()  # the file disappeared
    run, queued = request_run(RunOptions(model="hata", resolution_m=1000.0, terrain_id=demo.pk))
    run.refresh_from_db()
    assert queued and run.state == "failed" and "missing" in run.error
    assert run.progress.state == "failed"
    Terrain.objects.filter(pk=demo.pk).delete()
    again_demo, _ = load_demo()  # registered again, the same file content
    again, queued_again = request_run(
        RunOptions(model="hata", resolution_m=1000.0, terrain_id=again_demo.pk)
    )
    again.refresh_from_db()
    assert queued_again and again.pk == run.pk and again.state == "done" and not again.error
    assert CoverageRun.objects.count() == 1


@pytest.mark.parametrize(
    "good, weak, expected",
    [
        (0.6, 0.9, "4g_good"),
        (0.5, 0.5, "4g_good"),
        (0.3, 0.6, "4g_weak"),
        (0.2, 0.49, None),
        (None, None, None),
    ],
)
def test_the_prediction_status_rule(good, weak, expected):
    assert predicted_status(good, weak) == expected


def test_the_overlay_png_decodes_to_the_grid_size(two_sites, data_dir):
    run, _ = request_run(FAST)
    run.refresh_from_db()
    data = (data_dir / run.png_path).read_bytes()
    width, height = _png_size(data)
    idat = data.index(b"IDAT")
    length = int.from_bytes(data[idat - 4 : idat], "big")
    raw = zlib.decompress(data[idat + 4 : idat + 4 + length])
    assert len(raw) == height * (1 + 4 * width)
    pixels = np.frombuffer(raw, np.uint8).reshape(height, 1 + 4 * width)[:, 1:]
    alpha = pixels.reshape(height, width, 4)[:, :, 3]
    assert 0 < np.count_nonzero(alpha) < alpha.size  # coloured near the sites, clear elsewhere

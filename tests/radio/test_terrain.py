"""Terrain: importing DEM files (refused ones change nothing), the demo DEM, windowed reads."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from django.core.management import call_command
from django.core.management.base import CommandError

from jangkau.cores.propagation.terrain import FlatTerrain
from jangkau.cores.propagation.terrain import Terrain as CoreTerrain
from jangkau.radio.models import Terrain
from jangkau.radio.terrains import TerrainImportError, import_terrain, load_demo, open_terrain

from .conftest import write_dem

pytestmark = pytest.mark.django_db


def _stored_files(data_dir):
    folder = data_dir / "terrain"
    return sorted(p.name for p in folder.glob("*.tif")) if folder.exists() else []


def test_a_good_geotiff_is_copied_registered_and_activated(kutim, data_dir, tmp_path):
    dem = write_dem(tmp_path / "srtm_tile.tif")
    terrain, warnings = import_terrain(dem, name="SRTM test", source="synthetic tile")
    assert terrain.active and not terrain.is_coarse
    assert terrain.resolution_m == pytest.approx(92.8, abs=0.5)  # 3 arc-seconds, like SRTM
    assert terrain.path.exists() and terrain.path.parent == data_dir / "terrain"
    assert terrain.path.read_bytes() == dem.read_bytes()
    assert (terrain.west, terrain.north) == pytest.approx((117.0, 1.2))
    assert any("covers only" in w for w in warnings)  # a small tile of a large regency


def test_a_fine_dem_is_not_coarse(kutim, data_dir, tmp_path):
    dem = write_dem(tmp_path / "copernicus.tif", cell_deg=0.0003, shape=(100, 100))
    terrain, _warnings = import_terrain(dem)
    assert terrain.name == "copernicus"
    assert terrain.resolution_m == pytest.approx(0.0003 * 111_320, rel=0.01)
    assert not terrain.is_coarse


def test_the_command_imports_and_a_second_import_takes_over_as_active(kutim, data_dir, tmp_path):
    call_command("terrain", "import", str(write_dem(tmp_path / "a.tif")), "--name", "A")
    call_command(
        "terrain",
        "import",
        str(write_dem(tmp_path / "b.tif", seed=3)),
        "--name",
        "B",
        "--source",
        "Copernicus GLO-30",
        "--as-of",
        "2021-04-01",
    )
    assert list(Terrain.objects.filter(active=True).values_list("name", flat=True)) == ["B"]
    b = Terrain.objects.get(name="B")
    assert b.source == "Copernicus GLO-30" and b.as_of.isoformat() == "2021-04-01"


@pytest.mark.parametrize(
    "case, message",
    [
        ("no_crs", "no coordinate reference system"),
        ("unreadable", "not a raster that can be read"),
        ("outside", "does not overlap"),
        ("multiband", "has 2 bands"),
        ("not_elevation", "do not look like elevations"),
    ],
)
def test_a_refused_file_changes_nothing(kutim, data_dir, tmp_path, case, message):
    existing = import_terrain(write_dem(tmp_path / "ok.tif"), name="existing")[0]
    if case == "no_crs":
        path = write_dem(tmp_path / "bad.tif", crs=None)
    elif case == "unreadable":
        path = tmp_path / "bad.tif"
        path.write_text("this is not a GeoTIFF")
    elif case == "outside":  # a tile over Java
        path = write_dem(tmp_path / "bad.tif", west=110.0, north=-7.0)
    elif case == "multiband":
        path = write_dem(tmp_path / "bad.tif", bands=2)
    else:
        path = write_dem(tmp_path / "bad.tif", values=np.full((200, 300), 50_000.0))
    before = (_stored_files(data_dir), list(Terrain.objects.values_list("pk", "active")))
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("terrain", "import", str(path), "--name", "refused")
    with pytest.raises(TerrainImportError, match=message):
        import_terrain(path, name="refused")
    assert (_stored_files(data_dir), list(Terrain.objects.values_list("pk", "active"))) == before
    assert Terrain.objects.get(pk=existing.pk).active


def test_a_multiband_file_is_accepted_with_its_elevation_band(kutim, data_dir, tmp_path):
    terrain, _ = import_terrain(write_dem(tmp_path / "two.tif", bands=2), band=2)
    assert terrain.band == 2
    core = open_terrain(terrain)
    with rasterio.open(terrain.path) as src:
        assert np.allclose(core.data, src.read(2))


def test_a_taken_name_is_refused(kutim, data_dir, tmp_path):
    import_terrain(write_dem(tmp_path / "a.tif"), name="same")
    with pytest.raises(TerrainImportError, match="exists already"):
        import_terrain(write_dem(tmp_path / "b.tif"), name="same")
    assert Terrain.objects.filter(name="same").count() == 1


def test_load_demo_registers_the_coarse_demo_once(kutim, data_dir, capsys):
    call_command("terrain", "load-demo")
    demo = Terrain.objects.get()
    assert demo.is_coarse and demo.active
    assert 8_000 < demo.resolution_m < 10_000  # 5 arc-minutes
    assert demo.quality == "illustrative" and "pvlib" in demo.source
    assert "coarse" in capsys.readouterr().err
    again, created = load_demo()
    assert not created and again.pk == demo.pk and Terrain.objects.count() == 1
    core = open_terrain(demo)
    assert core.n_nodata > 0  # the sea cells, filled with 0 m
    assert float(core.data.max()) > 1000  # the inland hills


def test_load_demo_does_not_replace_an_active_fine_dem(kutim, data_dir, tmp_path):
    fine, _ = import_terrain(write_dem(tmp_path / "fine.tif", cell_deg=0.0003))
    demo, _created = load_demo()
    assert not demo.active and Terrain.objects.get(pk=fine.pk).active


def test_a_window_read_matches_the_whole_dem(kutim, data_dir, tmp_path):
    terrain, _ = import_terrain(write_dem(tmp_path / "w.tif"))
    whole = open_terrain(terrain)
    part = open_terrain(terrain, (117.05, 1.05, 117.10, 1.10), margin_deg=0.0)
    assert isinstance(part, CoreTerrain) and part.data.size < whole.data.size / 4
    lon = np.array([117.06, 117.08, 117.095])
    lat = np.array([1.06, 1.07, 1.09])
    np.testing.assert_allclose(part.elevation(lon, lat), whole.elevation(lon, lat), atol=1e-3)
    assert isinstance(open_terrain(terrain, (100.0, 5.0, 100.1, 5.1)), FlatTerrain)
    assert isinstance(open_terrain(None), FlatTerrain)

"""Coverage engine: terrain sampling, antenna patterns, best-server rasters, village metrics."""

import importlib.util
import math
from dataclasses import replace

import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine
from pyproj import CRS, Geod, Transformer

from jangkau.cores.propagation.antenna import (
    Sector,
    horizontal_attenuation_db,
    sector_attenuation_db,
    vertical_attenuation_db,
)
from jangkau.cores.propagation.empirical import (
    FSPL_CONSTANT_DB,
    free_space_loss_db,
    hata_mobile_correction_db,
)
from jangkau.cores.propagation.linkbudget import LinkBudget, ServiceThresholds, eirp_per_re_dbm
from jangkau.cores.propagation.metrics import Village, village_metrics
from jangkau.cores.propagation.raster import (
    CoverageParams,
    CoverageResult,
    GridSpec,
    Site,
    compute_best_server,
    coverage_inputs_hash,
    read_coverage_geotiff,
    write_coverage_geotiff,
)
from jangkau.cores.propagation.terrain import (
    DEMO_DEM_PATH,
    FlatTerrain,
    Terrain,
    esri_ascii_to_geotiff,
    load_demo_terrain,
    read_esri_ascii,
)

UTM = "EPSG:32650"
TO_LONLAT = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
TO_UTM = Transformer.from_crs("EPSG:4326", UTM, always_xy=True)
# A point in Kutai Timur near Sangatta, snapped to a 100 m grid node in UTM 50N.
X0, Y0 = 555_000.0, 110_000.0
WEAK = -115.0


def lonlat(x, y):
    lon, lat = TO_LONLAT.transform(x, y)
    return float(lon), float(lat)


def grid_around(half_width_m, half_height_m=None, res=100.0):
    half_height_m = half_width_m if half_height_m is None else half_height_m
    return GridSpec(X0 - half_width_m, Y0 - half_height_m, X0 + half_width_m,
                    Y0 + half_height_m, res, UTM)


def cell_centres(grid):
    rows, cols = grid.shape
    xc = grid.xmin + (np.arange(cols) + 0.5) * grid.resolution_m
    yc = grid.ymax - (np.arange(rows) + 0.5) * grid.resolution_m
    return np.meshgrid(xc, yc)


def itm_available():
    try:
        return importlib.util.find_spec("jangkau.cores.propagation.itm") is not None
    except ModuleNotFoundError:
        return False


# --------------------------------------------------------------------------- terrain


def write_tif(path, data, transform, crs, nodata=None):
    with rasterio.open(path, "w", driver="GTiff", width=data.shape[1], height=data.shape[0],
                       count=1, dtype="float32", crs=crs, transform=transform,
                       nodata=nodata) as dst:
        dst.write(data.astype(np.float32), 1)
    return path


# four neighbouring cells (rows 1-2, cols 1-2) hold 10, 20 / 30, 60
SYNTHETIC = np.array([
    [0.0, 0.0, 0.0, 0.0, 0.0],
    [0.0, 10.0, 20.0, 0.0, 0.0],
    [0.0, 30.0, 60.0, 0.0, -9999.0],
    [0.0, 0.0, 0.0, 0.0, 0.0],
])
# a point at centre-based pixel coordinates (col 1.25, row 1.5), i.e. u = 0.25, v = 0.5:
# z = 0.75*0.5*10 + 0.25*0.5*20 + 0.75*0.5*30 + 0.25*0.5*60 = 3.75 + 2.5 + 11.25 + 7.5 = 25.0
BILINEAR_EXPECTED = 25.0


def test_bilinear_geotiff_epsg4326(tmp_path):
    path = write_tif(tmp_path / "dem4326.tif", SYNTHETIC,
                     Affine(0.01, 0, 117.0, 0, -0.01, 1.0), "EPSG:4326", nodata=-9999.0)
    terrain = Terrain.from_file(path)
    assert terrain.crs.to_epsg() == 4326
    # cell centres at lon 117.005 + 0.01 c, lat 0.995 - 0.01 r
    lon = 117.005 + 0.01 * 1.25
    lat = 0.995 - 0.01 * 1.5
    assert float(terrain.elevation(lon, lat)) == pytest.approx(BILINEAR_EXPECTED, abs=1e-6)
    # exactly at a cell centre: the cell value
    assert float(terrain.elevation(117.025, 0.975)) == pytest.approx(60.0, abs=1e-9)
    # the nodata cell (row 2, col 4) is filled with 0 m; outside -> outside value
    assert float(terrain.elevation(117.045, 0.975)) == 0.0
    assert terrain.n_nodata == 1
    outside = Terrain.from_file(path, outside_value=-1.0)
    assert float(outside.elevation(118.0, 1.0)) == -1.0


def test_bilinear_geotiff_epsg32650(tmp_path):
    path = write_tif(tmp_path / "dem32650.tif", SYNTHETIC,
                     Affine(100.0, 0, 500_000.0, 0, -100.0, 100_000.0), UTM)
    terrain = Terrain.from_file(path)
    assert terrain.crs == CRS.from_user_input(UTM)
    # centres at x = 500050 + 100 c, y = 99950 - 100 r: (c, r) = (1.25, 1.5)
    lon, lat = lonlat(500_050.0 + 125.0, 99_950.0 - 150.0)
    assert float(terrain.elevation(lon, lat)) == pytest.approx(BILINEAR_EXPECTED, abs=1e-5)
    np.testing.assert_allclose(terrain.sample_xy([500_175.0], [99_800.0]), [25.0], atol=1e-9)


def test_reprojection_onto_the_utm_grid_matches_direct_sampling(tmp_path):
    # smooth DEM in EPSG:4326 (0.005 deg cells): z = 100 + 2000 (lon - 117.4) - 3000 (lat - 0.9)
    lon_c = 117.35 + (np.arange(40) + 0.5) * 0.005
    lat_c = 0.95 - (np.arange(30) + 0.5) * 0.005
    data = 100 + 2000 * (lon_c[None, :] - 117.4) - 3000 * (lat_c[:, None] - 0.9)
    path = write_tif(tmp_path / "plane.tif", data, Affine(0.005, 0, 117.35, 0, -0.005, 0.95),
                     "EPSG:4326")
    terrain = Terrain.from_file(path)
    x0, y0 = TO_UTM.transform(117.38, 0.88)
    grid = GridSpec(math.floor(x0 / 100) * 100, math.floor(y0 / 100) * 100,
                    math.floor(x0 / 100) * 100 + 4000, math.floor(y0 / 100) * 100 + 3000, 100.0)
    on_grid = terrain.reprojected(grid.crs, grid.transform, grid.shape)
    xc, yc = cell_centres(grid)
    lon, lat = TO_LONLAT.transform(xc, yc)
    # a plane is reproduced exactly by bilinear interpolation, whichever code does it
    np.testing.assert_allclose(on_grid.data, terrain.elevation(lon, lat), atol=0.05)
    np.testing.assert_allclose(on_grid.sample_xy(xc, yc), on_grid.data, atol=1e-3)


def test_esri_ascii_reader_and_geotiff_conversion(tmp_path):
    asc = tmp_path / "small.asc"
    asc.write_text("ncols 3\nnrows 2\nxllcenter 116.05\nyllcenter 0.55\ncellsize 0.1\n"
                   "NODATA_value -9999\n1 2 3\n4 -9999 6\n")
    grid = read_esri_ascii(asc)
    assert grid.data.shape == (2, 3)
    assert grid.nodata == -9999
    # lower-left corner = centre - half a cell; top = 0.5 + 2 * 0.1
    assert grid.transform.c == pytest.approx(116.0)
    assert grid.transform.f == pytest.approx(0.7)
    tif = esri_ascii_to_geotiff(asc, tmp_path / "small.tif")
    with rasterio.open(tif) as src:
        assert src.crs.to_epsg() == 4326
        assert src.nodata == -9999
        np.testing.assert_array_equal(src.read(1), grid.data.astype(np.float32))
    from_asc = Terrain.from_file(asc)
    from_tif = Terrain.from_file(tif)
    np.testing.assert_array_equal(from_asc.data, from_tif.data)
    assert float(from_asc.elevation(116.05, 0.65)) == 1.0
    assert float(from_asc.elevation(116.15, 0.55)) == 0.0  # nodata -> 0 m


def test_profiles_follow_the_geodesic():
    flat = FlatTerrain(12.0)
    prof = flat.profile(117.0, 0.5, 117.3, 0.9, 250.0)
    geod = Geod(ellps="WGS84")
    _, _, length = geod.inv(117.0, 0.5, 117.3, 0.9)
    assert prof.distances_m[0] == 0.0
    assert prof.distances_m[-1] == pytest.approx(length)
    assert prof.step_m <= 250.0
    np.testing.assert_allclose(np.diff(prof.distances_m), prof.step_m)
    _, _, d_mid = geod.inv(117.0, 0.5, prof.lon[7], prof.lat[7])
    assert d_mid == pytest.approx(7 * prof.step_m, abs=1e-3)
    assert np.all(prof.elevations_m == 12.0)
    radial = flat.profiles_radial(117.0, 0.5, [0.0, 90.0, 225.0], 5000.0, 100.0)
    assert radial.elevations_m.shape == (3, 51)
    az, _, dist = geod.inv(np.full(3, 117.0), np.full(3, 0.5), radial.lon[:, -1],
                           radial.lat[:, -1])
    np.testing.assert_allclose(dist, 5000.0, atol=1e-6)
    np.testing.assert_allclose(np.asarray(az) % 360, [0.0, 90.0, 225.0], atol=1e-6)


def test_terrain_profile_samples_the_dem(tmp_path):
    # a DEM whose elevation is x / 100 (metres, UTM): along an east-west profile the sampled
    # elevation grows linearly with distance
    x = 540_000 + (np.arange(400) + 0.5) * 100.0
    data = np.tile(x / 100.0, (300, 1))
    path = write_tif(tmp_path / "ramp.tif", data,
                     Affine(100.0, 0, 540_000.0, 0, -100.0, 125_000.0), UTM)
    terrain = Terrain.from_file(path)
    lon1, lat1 = lonlat(550_000.0, 110_000.0)
    lon2, lat2 = lonlat(560_000.0, 110_000.0)
    prof = terrain.profile(lon1, lat1, lon2, lat2, 100.0)
    x_prof, _ = TO_UTM.transform(prof.lon, prof.lat)
    np.testing.assert_allclose(prof.elevations_m, np.asarray(x_prof) / 100.0, atol=1e-3)
    radial = terrain.profiles_radial(lon1, lat1, [90.0], 10_000.0, 500.0)
    assert radial.elevations_m[0, -1] == pytest.approx(5600.0, abs=5.0)


def test_demo_dem_loads_with_plausible_elevations():
    grid = read_esri_ascii(DEMO_DEM_PATH)
    assert grid.data.shape == (42, 45)
    assert grid.nodata == -9999
    assert grid.transform.c == pytest.approx(115.5)
    assert grid.transform.f == pytest.approx(-1.5 + 42 / 12, abs=1e-6)
    terrain = load_demo_terrain()
    assert terrain.n_nodata == 712
    # Sangatta, on the coastal plain: a few tens of metres at most
    assert 0.0 <= float(terrain.elevation(117.54, 0.50)) < 100.0
    # the Makassar Strait east of Sangkulirang is nodata in the file: sea level 0 m
    assert float(terrain.elevation(118.8, 0.5)) == 0.0
    # the interior highlands in the north-west corner of the box are several hundred metres
    assert float(terrain.elevation(115.6, 1.9)) > 500.0
    # the cell centre of row 0, col 0 returns the file's first value (838 m)
    assert float(terrain.elevation(115.5 + 1 / 24, 2.0 - 1 / 24)) == pytest.approx(838.0)


# --------------------------------------------------------------------------- antenna / link


def test_antenna_pattern_3gpp_values():
    # A_H(35 deg) with 70 deg beamwidth: 12 * (35/70)^2 = 3 dB (the half-power point)
    assert float(horizontal_attenuation_db(35.0, 70.0, 25.0)) == pytest.approx(3.0)
    assert float(horizontal_attenuation_db(180.0, 70.0, 25.0)) == 25.0
    assert float(horizontal_attenuation_db(-325.0, 70.0, 25.0)) == pytest.approx(3.0)
    # A_V with 10 deg beamwidth and 5 deg tilt at 10 deg depression: 12 * (5/10)^2 = 3 dB
    assert float(vertical_attenuation_db(10.0, 5.0, 10.0, 20.0)) == pytest.approx(3.0)
    assert float(vertical_attenuation_db(-40.0, 5.0, 10.0, 20.0)) == 20.0
    sector = Sector(azimuth_deg=120.0)
    # combined: min(3 + 3, 25) = 6 dB; back lobe capped at the front-to-back ratio
    tilted = replace(sector, downtilt_deg=5.0)
    assert float(sector_attenuation_db(155.0, 10.0, tilted)) == pytest.approx(6.0)
    assert float(sector_attenuation_db(300.0, 0.0, sector)) == 25.0


def test_link_budget_conventions():
    # total EIRP 58 dBm over 50 RB: 58 - 10 log10(600) = 58 - 27.7815 = 30.2185 dBm per RE
    assert float(eirp_per_re_dbm(58.0, 50)) == pytest.approx(30.2185, abs=1e-4)
    total = LinkBudget(eirp_convention="total", n_rb=50, rx_gain_dbi=2.0, other_losses_db=3.0)
    assert float(total.received_dbm(58.0, 140.0, 6.0)) == pytest.approx(
        30.2185 - 6.0 - 140.0 + 2.0 - 3.0, abs=1e-4)
    per_re = LinkBudget()
    assert float(per_re.max_path_loss_db(30.0, -115.0)) == 145.0
    thresholds = ServiceThresholds(-105.0, -115.0)
    np.testing.assert_array_equal(thresholds.classify([-100.0, -105.0, -110.0, -120.0, np.nan]),
                                  [2, 2, 1, 0, 0])
    with pytest.raises(ValueError):
        ServiceThresholds(-115.0, -105.0)


# --------------------------------------------------------------------------- best server


def hata_distance_km(loss_db, f, hb, hm):
    """Invert the urban Hata formula: L = A + B log10 d."""
    logf, loghb = math.log10(f), math.log10(hb)
    a_term = 69.55 + 26.16 * logf - 13.82 * loghb - float(hata_mobile_correction_db(f, hm))
    slope = 44.9 - 6.55 * loghb
    return 10 ** ((loss_db - a_term) / slope)


@pytest.mark.parametrize("model", ["free_space", "hata"])
def test_omni_site_on_flat_terrain_gives_the_analytic_disk(model):
    res = 100.0
    hb, hm, f = 30.0, 1.5, 900.0
    eirp = -15.0 if model == "free_space" else 25.0
    max_loss = eirp - WEAK  # per-RE EIRP, no receiver gain or losses
    if model == "free_space":
        # FSPL(d3) = max_loss  ->  d3 = 10^((L - 20 log10 f - 32.44778) / 20) km
        d3 = 1000 * 10 ** ((max_loss - 20 * math.log10(f) - FSPL_CONSTANT_DB) / 20)
        radius = math.sqrt(d3**2 - (hb - hm) ** 2)
    else:
        radius = 1000 * hata_distance_km(max_loss, f, hb, hm)
    assert 2000 < radius < 4000
    lon, lat = lonlat(X0 + 30.0, Y0 - 20.0)
    site = Site(7, lon, lat, hb, eirp, f)
    grid = grid_around(5000.0)
    result = compute_best_server([site], grid, FlatTerrain(0.0), model,
                                 CoverageParams(rx_height_m=hm))
    xs, ys = TO_UTM.transform(lon, lat)
    xc, yc = cell_centres(grid)
    dist = np.hypot(xc - xs, yc - ys)
    covered = result.signal_dbm >= WEAK
    assert covered[dist < radius - res].all()
    assert not covered[dist > radius + res].any()
    assert covered.sum() == pytest.approx(math.pi * radius**2 / res**2, rel=0.03)
    assert np.all(result.serving[covered] == 0)
    np.testing.assert_array_equal(result.serving_site_id()[covered], 7)
    # the level at a cell is the link budget at its distance
    r, c = 10, 50  # 4 km north of the site row, same column range
    if model == "free_space" and np.isfinite(result.signal_dbm[r, c]):
        d3_cell = math.hypot(dist[r, c], hb - hm)
        assert result.signal_dbm[r, c] == pytest.approx(
            eirp - float(free_space_loss_db(d3_cell / 1000, f)), abs=1e-3)


def test_sector_site_covers_its_azimuth_side_only():
    lon, lat = lonlat(X0, Y0)
    sector = Sector(azimuth_deg=90.0, beamwidth_h_deg=65.0, front_to_back_db=25.0)
    site = Site(1, lon, lat, 30.0, 30.0, 900.0, sectors=(sector,), operator="A")
    grid = grid_around(5000.0)
    result = compute_best_server([site], grid, FlatTerrain(0.0), "hata",
                                 CoverageParams(min_signal_dbm=-160.0))
    xs, ys = TO_UTM.transform(lon, lat)
    xc, yc = cell_centres(grid)
    dx, dy = xc - xs, yc - ys
    dist = np.hypot(dx, dy)
    az = np.degrees(np.arctan2(dx, dy)) % 360
    covered = result.signal_dbm >= WEAK
    front = (np.abs(az - 90.0) < 30.0) & (dist > 500) & (dist < 2500)
    back = (dx < -1000.0)
    assert covered[front].all()
    assert not covered[back].any()
    # only the back lobe close to the site (25 dB below boresight) reaches the weak level
    assert covered[:, :50].sum() < 0.1 * covered[:, 50:].sum()
    # on the back side the level is exactly 25 dB (front-to-back) below the front side
    r = int((grid.ymax - ys) // 100)
    east = result.signal_dbm[r, 50 + 15]
    west = result.signal_dbm[r, 50 - 16]
    assert np.isfinite(west) and np.isfinite(east)
    assert east - west == pytest.approx(25.0, abs=0.5)


def test_best_server_picks_the_nearer_of_two_identical_sites():
    res = 100.0
    a = Site(10, *lonlat(X0 - 3000.0, Y0 + 40.0), 30.0, 30.0, 900.0, operator="A")
    b = Site(20, *lonlat(X0 + 3000.0, Y0 + 40.0), 30.0, 30.0, 900.0, operator="B")
    grid = grid_around(6000.0, 3000.0)
    params = CoverageParams(min_signal_dbm=-150.0)
    seen = []
    result = compute_best_server([a, b], grid, FlatTerrain(0.0), "hata", params,
                                 progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]
    xc, yc = cell_centres(grid)
    xa, ya = TO_UTM.transform(a.lon, a.lat)
    xb, yb = TO_UTM.transform(b.lon, b.lat)
    da = np.hypot(xc - xa, yc - ya)
    db = np.hypot(xc - xb, yc - yb)
    assert (result.serving >= 0).all()
    # the perpendicular bisector is x = (xa + xb) / 2; away from it by more than a cell the
    # nearer site serves
    off = np.abs(xc - (xa + xb) / 2)
    nearer = np.where(da < db, 0, 1)
    clear = off > res
    np.testing.assert_array_equal(result.serving[clear], nearer[clear])
    assert set(np.unique(result.serving[~clear])) <= {0, 1}
    ids = result.serving_site_id()
    assert set(np.unique(ids)) == {10, 20}
    # two worker processes give the same raster
    threaded = compute_best_server([a, b], grid, FlatTerrain(0.0), "hata", params, n_workers=2,
                                   mp_start="spawn")
    np.testing.assert_array_equal(threaded.serving, result.serving)
    np.testing.assert_array_equal(threaded.signal_dbm, result.signal_dbm)


def test_geotiff_round_trip_keeps_georeferencing(tmp_path):
    site_lon, site_lat = lonlat(X0 + 1234.0, Y0 - 777.0)
    sites = [Site(3, site_lon, site_lat, 35.0, 28.0, 900.0, operator="Telkomsel"),
             Site(5, *lonlat(X0 - 2500.0, Y0 + 2500.0), 35.0, 28.0, 900.0, operator="XL")]
    grid = grid_around(5000.0, 4000.0)
    result = compute_best_server(sites, grid, FlatTerrain(0.0), "hata", CoverageParams())
    path = write_coverage_geotiff(result, tmp_path / "coverage.tif")
    back = read_coverage_geotiff(path)
    assert CRS.from_user_input(back.crs) == CRS.from_user_input(UTM)
    assert back.transform == grid.transform
    np.testing.assert_array_equal(back.serving, result.serving)
    np.testing.assert_allclose(back.signal_dbm, result.signal_dbm, equal_nan=True)
    assert back.site_ids == (3, 5)
    assert back.operators == ("Telkomsel", "XL")
    assert back.inputs_hash == result.inputs_hash
    assert back.min_signal_dbm == result.min_signal_dbm
    # the cell containing a known lon/lat is the same pixel in memory and in the file
    row, col = result.rowcol(site_lon, site_lat)
    x, y = TO_UTM.transform(site_lon, site_lat)
    assert (int(row), int(col)) == (int((grid.ymax - y) // 100), int((x - grid.xmin) // 100))
    with rasterio.open(path) as src:
        assert src.crs == rasterio.crs.CRS.from_user_input(UTM)
        assert src.count == 2
        assert src.index(x, y) == (int(row), int(col))
        assert src.read(2)[row, col] == 3.0
        assert src.read(1)[row, col] == pytest.approx(result.signal_dbm[row, col])
        assert src.nodata == -9999.0
    assert tuple(back.rowcol(site_lon, site_lat)) == (row, col)


def test_inputs_hash_is_canonical_and_sensitive():
    sites = [Site(1, 117.5, 1.0, 30.0, 30.0, 900.0, sectors=(Sector(0.0),))]
    grid = grid_around(2000.0)
    params = CoverageParams()
    h1 = coverage_inputs_hash(sites, grid, "flat:0.0", "hata", params)
    h2 = coverage_inputs_hash(list(sites), replace(grid), "flat:0.0", "hata", CoverageParams())
    assert h1 == h2 and len(h1) == 64
    assert h1 != coverage_inputs_hash(sites, grid, "flat:0.0", "itm", params)
    assert h1 != coverage_inputs_hash(sites, grid, "dem:abc", "hata", params)
    assert h1 != coverage_inputs_hash(sites, grid, "flat:0.0", "hata",
                                      replace(params, rx_height_m=2.0))
    assert h1 != coverage_inputs_hash([replace(sites[0], eirp_dbm=31.0)], grid, "flat:0.0",
                                      "hata", params)
    result = compute_best_server(sites, grid, FlatTerrain(0.0), "hata", params)
    assert result.inputs_hash == h1


def test_no_sites_gives_an_empty_raster():
    result = compute_best_server([], grid_around(1000.0), None, "free_space")
    assert result.shape == (20, 20)
    assert np.isnan(result.signal_dbm).all() and (result.serving == -1).all()
    assert result.site_ids == ()


def test_validation_errors():
    with pytest.raises(ValueError):
        GridSpec(0, 0, 1000, 1000, 100, "EPSG:4326")  # not projected
    with pytest.raises(ValueError):
        compute_best_server([], grid_around(1000.0), None, "okumura")
    with pytest.raises(ValueError):
        Site(-1, 117.0, 1.0, 30.0, 30.0, 900.0)
    with pytest.raises(ValueError):
        compute_best_server([Site(1, 117.5, 1.0, 30, 30, 900), Site(1, 117.6, 1.0, 30, 30, 900)],
                            grid_around(1000.0), None, "hata")


def test_grid_from_lonlat_bounds_is_snapped_and_covers_the_box():
    grid = GridSpec.from_lonlat_bounds(115.97, 0.02, 118.99, 1.87, 100.0)
    assert grid.xmin % 100 == 0 and grid.ymax % 100 == 0
    for lon, lat in [(115.97, 0.02), (118.99, 1.87), (115.97, 1.87), (118.99, 0.02)]:
        x, y = TO_UTM.transform(lon, lat)
        assert grid.xmin <= x <= grid.xmax and grid.ymin <= y <= grid.ymax
    assert 3300 < grid.width < 3400 and 2000 < grid.height < 2100


# --------------------------------------------------------------------------- ITM


class _FreeSpaceItm:
    """Stands in for itm_p2p: returns free space over the profile length, records calls."""

    def __init__(self):
        self.calls = []

    def __call__(self, elevations, step_m, freq_mhz, tx_height_m, rx_height_m, **kwargs):
        elevations = np.atleast_2d(elevations)
        self.calls.append((elevations.copy(), step_m, tx_height_m, rx_height_m, kwargs))
        length_km = (elevations.shape[1] - 1) * step_m / 1000.0
        loss = np.full(elevations.shape[0], float(free_space_loss_db(length_km, freq_mhz)))

        class Result:
            loss_db = loss
        return Result()


def test_itm_raster_plumbing_with_a_free_space_stand_in(monkeypatch):
    import jangkau.cores.propagation.raster as raster

    fake = _FreeSpaceItm()
    monkeypatch.setattr(raster, "_load_itm", lambda: fake)
    site = Site(4, *lonlat(X0, Y0), 30.0, 20.0, 900.0)
    grid = grid_around(4000.0)
    params = CoverageParams(max_radius_m=3000.0, n_azimuths=36, itm_distance_step_m=500.0,
                            itm_max_profile_points=11, min_signal_dbm=-200.0)
    result = compute_best_server([site], grid, FlatTerrain(5.0), "itm", params)
    # 6 evaluation distances (0.5 .. 3 km), each one call with all 36 radials
    assert len(fake.calls) == 6
    for elevations, _step, htx, hrx, kwargs in fake.calls:
        assert elevations.shape[0] == 36 and elevations.shape[1] <= 11
        assert np.all(elevations == 5.0)
        assert (htx, hrx) == (30.0, 1.5)
        assert kwargs["climate"] == "equatorial" and kwargs["time_pct"] == 50.0
    # 3 km / 100 m = 30 intervals decimated by stride 3 to 10 intervals of 300 m
    assert fake.calls[-1][0].shape[1] == 11 and fake.calls[-1][1] == pytest.approx(300.0)
    # zero excess loss everywhere: the raster is free space on the slant distance
    reference = compute_best_server([site], grid, FlatTerrain(5.0), "free_space",
                                    replace(params, max_radius_m=3000.0))
    inside = np.isfinite(result.signal_dbm)
    assert inside.sum() > 2500
    np.testing.assert_allclose(result.signal_dbm[inside], reference.signal_dbm[inside],
                               atol=1e-3)


def _ridge_dem(tmp_path, height):
    # UTM DEM 30 x 8 km, 100 m cells; a north-south ridge 5 km east of the site
    cols, rows = 300, 80
    x = 540_000 + (np.arange(cols) + 0.5) * 100.0
    ridge = height * np.exp(-0.5 * ((x - (X0 + 5000.0)) / 300.0) ** 2)
    data = np.tile(ridge, (rows, 1)) + 20.0
    return write_tif(tmp_path / f"ridge{int(height)}.tif", data,
                     Affine(100.0, 0, 540_000.0, 0, -100.0, Y0 + 4000.0), UTM)


@pytest.mark.skipif(not itm_available(), reason="ITM core not importable yet")
def test_hill_between_tx_and_rx_lowers_the_itm_level(tmp_path):
    site = Site(9, *lonlat(X0, Y0), 30.0, 30.0, 900.0)
    grid = grid_around(12_000.0, 2_000.0)
    params = CoverageParams(max_radius_m=12_000.0, n_azimuths=72, min_signal_dbm=-250.0)
    flat = compute_best_server([site], grid, Terrain.from_file(_ridge_dem(tmp_path, 0.0)),
                               "itm", params)
    hill = compute_best_server([site], grid, Terrain.from_file(_ridge_dem(tmp_path, 300.0)),
                               "itm", params)
    r = int((grid.ymax - Y0) // 100)
    c_behind = int((X0 + 9000.0 - grid.xmin) // 100)   # 4 km behind the ridge
    c_front = int((X0 - 9000.0 - grid.xmin) // 100)    # same distance, no ridge (west)
    assert np.isfinite(flat.signal_dbm[r, c_behind]) and np.isfinite(hill.signal_dbm[r, c_behind])
    assert hill.signal_dbm[r, c_behind] < flat.signal_dbm[r, c_behind] - 10.0
    assert hill.signal_dbm[r, c_front] == pytest.approx(flat.signal_dbm[r, c_front], abs=1.0)
    # and directly through itm_p2p on a single profile
    from jangkau.cores.propagation.itm import itm_p2p

    flat_profile = np.full((1, 101), 20.0)
    hill_profile = flat_profile.copy()
    hill_profile[0, 45:56] += 300.0
    loss_flat = itm_p2p(flat_profile, 100.0, 900.0, 30.0, 1.5).loss_db
    loss_hill = itm_p2p(hill_profile, 100.0, 900.0, 30.0, 1.5).loss_db
    assert float(np.ravel(loss_hill)[0]) > float(np.ravel(loss_flat)[0]) + 10.0


# --------------------------------------------------------------------------- metrics


def _half_covered_result():
    # 20 x 20 cells of 100 m from (X0, Y0 - 2000) to (X0 + 2000, Y0); west half at -100 dBm
    grid = GridSpec(X0, Y0 - 2000.0, X0 + 2000.0, Y0, 100.0, UTM)
    signal = np.full(grid.shape, np.nan, dtype=np.float32)
    serving = np.full(grid.shape, -1, dtype=np.int32)
    signal[:, :10] = -100.0
    serving[:, :10] = 1
    signal[:, 10:12] = -120.0  # below weak: present but not covered
    serving[:, 10:12] = 0
    return CoverageResult(signal, serving, grid.transform, UTM, site_ids=(11, 22),
                          operators=("A", "B"), min_signal_dbm=-125.0)


def _utm_square(x0, y0, x1, y1):
    ring = shapely.segmentize(shapely.box(x0, y0, x1, y1), 50.0)
    return shapely.transform(ring, lambda xy: np.column_stack(
        TO_LONLAT.transform(xy[:, 0], xy[:, 1])))


def test_village_metrics_half_covered_square():
    result = _half_covered_result()
    # village from x = X0 + 300 to X0 + 1700: 14 columns, 7 of them in the covered half
    half = Village("64.08.01.2001", _utm_square(X0 + 300, Y0 - 1700, X0 + 1700, Y0 - 300),
                   population=1000.0)
    inside = Village("64.08.01.2002", _utm_square(X0 + 100, Y0 - 900, X0 + 900, Y0 - 100),
                     population=400.0)
    outside = Village("64.08.01.2003", _utm_square(X0 + 9000, Y0, X0 + 9500, Y0 + 500), 50.0)
    # no cell centre (at ... 350, 450 ...) inside: sampled at its representative point
    tiny = Village("64.08.01.2004", _utm_square(X0 + 410, Y0 - 440, X0 + 440, Y0 - 410), 10.0)
    m_half, m_inside, m_outside, m_tiny = village_metrics(
        result, [half, inside, outside, tiny], ServiceThresholds(-105.0, -115.0))
    one_cell = 1.0 / 14
    assert m_half.n_cells == 14 * 14
    assert m_half.share_good == pytest.approx(0.5, abs=one_cell)
    assert m_half.share_weak == pytest.approx(0.5, abs=one_cell)
    assert m_half.people_good == pytest.approx(1000.0 * m_half.share_good)
    assert m_half.best_site_id == 22 and m_half.best_operator == "B"
    assert m_half.area_km2 == pytest.approx(1.96, rel=1e-3)
    # 98 cells at -100, 28 at -120 and 70 empty (counted at the -125 floor):
    # sorted, the 98th and 99th values are -100 and -120 -> median -110
    assert m_half.median_signal_dbm == pytest.approx(-110.0)
    assert m_half.margin_good_db == pytest.approx(-5.0)
    assert m_half.margin_weak_db == pytest.approx(5.0)
    assert m_inside.share_good == 1.0 and m_inside.people_weak == pytest.approx(400.0)
    assert m_inside.median_signal_dbm == -100.0 and m_inside.margin_good_db == 5.0
    assert m_outside.n_cells == 0 and math.isnan(m_outside.share_good)
    assert m_outside.best_site_id is None
    assert m_tiny.sampled_at_point and m_tiny.n_cells == 1 and m_tiny.share_good == 1.0


def test_village_metrics_on_a_computed_raster():
    site = Site(5, *lonlat(X0 + 1000, Y0 - 1000), 30.0, 25.0, 900.0, operator="Telkomsel")
    grid = grid_around(6000.0)
    result = compute_best_server([site], grid, FlatTerrain(0.0), "hata", CoverageParams())
    near = Village("near", _utm_square(X0 + 500, Y0 - 1500, X0 + 1500, Y0 - 500), 200.0)
    far = Village("far", _utm_square(X0 - 5800, Y0 + 4800, X0 - 4800, Y0 + 5800), 200.0)
    m_near, m_far = village_metrics(result, [near, far])
    assert m_near.share_good == 1.0 and m_near.best_site_id == 5
    assert m_near.best_operator == "Telkomsel" and m_near.margin_good_db > 0
    assert m_far.share_weak == 0.0 and m_far.best_site_id is None
    assert m_far.people_weak == 0.0

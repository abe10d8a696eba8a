"""Fixtures of the coverage tests: a private DATA_DIR, DEM files built in code, and sites."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import rasterio
from affine import Affine
from django.conf import settings

from jangkau.regions.models import Village

if "jangkau.radio" not in settings.INSTALLED_APPS:
    # Until the app is wired into settings: run these with
    # -o DJANGO_SETTINGS_MODULE=jangkau.radio.settings_dev (the lead deletes that file).
    collect_ignore_glob = ["test_*.py"]
    warnings.warn("tests/radio not collected: jangkau.radio is not in INSTALLED_APPS", stacklevel=1)

#: small villages (7–14 km²) used as targets: a site at their representative point serves them.
MUARA_WAHAU = "64.08.02.2003"
BANGUN_JAYA = "64.08.10.2009"
MASALAP_RAYA = "64.08.14.2009"


@pytest.fixture
def data_dir(settings, tmp_path):
    """Every file the app writes goes under this test's own directory."""
    settings.DATA_DIR = tmp_path / "var"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


def point_in(village_code: str) -> tuple[float, float]:
    """(lat, lon) of the representative point of a village (inside its boundary)."""
    point = Village.objects.get(code=village_code).geometry.representative_point()
    return point.y, point.x


def write_dem(
    path,
    *,
    west=117.0,
    north=1.2,
    cell_deg=1 / 1200,
    shape=(200, 300),
    crs="EPSG:4326",
    bands=1,
    seed=7,
    values=None,
):
    """Write a small synthetic DEM GeoTIFF (seeded hills, metres) and return its path."""
    rng = np.random.default_rng(seed)
    rows, cols = shape
    if values is None:
        yy, xx = np.mgrid[0:rows, 0:cols]
        values = 200 + 150 * np.sin(xx / 37.0) * np.cos(yy / 23.0) + rng.normal(0, 3, shape)
    profile = {
        "driver": "GTiff",
        "width": cols,
        "height": rows,
        "count": bands,
        "dtype": "float32",
        "transform": Affine(cell_deg, 0, west, 0, -cell_deg, north),
        "nodata": -9999.0,
    }
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        for band in range(1, bands + 1):
            dst.write(np.asarray(values, dtype=np.float32) * band, band)
    return path


@pytest.fixture
def two_sites(one_frame):
    """A Telkomsel site in Muara Wahau and an XL site in Bangun Jaya, both 4G and on air."""
    from tests.inventory.builders import make_site

    a = make_site(
        "TSEL-MWH", MUARA_WAHAU, antenna_height_m=40.0, eirp_dbm=58.0, bands_mhz=[900, 1800]
    )
    b = make_site(
        "XL-BJY", BANGUN_JAYA, operator="xl", antenna_height_m=35.0, eirp_dbm=58.0, bands_mhz=[900]
    )
    return a, b


@pytest.fixture
def one_frame(kutim):
    """Validate the inventory rows built in a test against one loaded regency frame."""
    from jangkau.inventory.geo import frame_scope

    with frame_scope() as frame:
        yield frame

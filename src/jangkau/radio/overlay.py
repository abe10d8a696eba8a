r"""The map overlay of a coverage raster: an RGBA PNG in Web Mercator and its lon/lat bounds.

Leaflet stretches an image overlay linearly between two corners in its map projection (Web
Mercator, EPSG:3857), so the service classes are resampled (nearest neighbour) from the grid
CRS onto a Web Mercator grid first; the bounds are that grid's corners in lon/lat. Near the
equator the difference from a plain lon/lat stretch is small, but this way it is exact.

Classes and colours (:data:`jangkau.radio.choices.OVERLAY_COLOURS`): good (signal ≥ good
threshold), weak (≥ weak threshold), below (a level was predicted but under the weak threshold,
down to the raster floor) and transparent (nothing above the floor: no signal or out of reach).

The PNG is written with numpy and zlib (RFC 2083: signature, IHDR, one IDAT, IEND; filter 0 on
every row), so no imaging library is needed.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
from pyproj import Transformer
from rasterio.warp import Resampling, calculate_default_transform, reproject

from jangkau.radio.choices import OVERLAY_COLOURS

CLASS_NONE, CLASS_BELOW, CLASS_WEAK, CLASS_GOOD = 0, 1, 2, 3
WEB_MERCATOR = "EPSG:3857"


def service_classes(signal_dbm: np.ndarray, good_dbm: float, weak_dbm: float) -> np.ndarray:
    """uint8 class per cell: 3 good, 2 weak, 1 below the weak threshold, 0 nothing (NaN)."""
    s = np.asarray(signal_dbm, dtype=float)
    out = np.zeros(s.shape, dtype=np.uint8)
    with np.errstate(invalid="ignore"):
        out[np.isfinite(s)] = CLASS_BELOW
        out[s >= weak_dbm] = CLASS_WEAK
        out[s >= good_dbm] = CLASS_GOOD
    return out


def rgba(classes: np.ndarray) -> np.ndarray:
    """(rows, cols, 4) uint8 colours of the classes; class 0 is fully transparent."""
    palette = np.zeros((4, 4), dtype=np.uint8)
    palette[CLASS_BELOW] = OVERLAY_COLOURS["below"]
    palette[CLASS_WEAK] = OVERLAY_COLOURS["weak"]
    palette[CLASS_GOOD] = OVERLAY_COLOURS["good"]
    return palette[classes]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def encode_png(image: np.ndarray) -> bytes:
    """Encode an (rows, cols, 4) uint8 RGBA array as PNG bytes (8-bit RGBA, no interlace)."""
    image = np.ascontiguousarray(image, dtype=np.uint8)
    if image.ndim != 3 or image.shape[2] != 4:
        raise ValueError("expected an (rows, cols, 4) RGBA array")
    rows, cols = image.shape[:2]
    if rows == 0 or cols == 0:
        raise ValueError("an image needs at least one row and one column")
    raw = np.zeros((rows, 1 + 4 * cols), dtype=np.uint8)  # filter byte 0 = None per row
    raw[:, 1:] = image.reshape(rows, 4 * cols)
    header = struct.pack(">IIBBBBB", cols, rows, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw.tobytes(), 6))
        + _chunk(b"IEND", b"")
    )


def to_web_mercator(classes: np.ndarray, transform, crs: str):
    """Resample a class raster onto a Web Mercator grid; return (classes, lon/lat bounds).

    The bounds are ``(west, south, east, north)`` of the resampled grid's outer corners.
    """
    rows, cols = classes.shape
    left = transform.c
    top = transform.f
    right = left + transform.a * cols
    bottom = top + transform.e * rows
    dst_transform, width, height = calculate_default_transform(
        crs, WEB_MERCATOR, cols, rows, left=left, bottom=bottom, right=right, top=top
    )
    destination = np.zeros((height, width), dtype=np.uint8)
    reproject(
        source=classes,
        destination=destination,
        src_transform=transform,
        src_crs=crs,
        dst_transform=dst_transform,
        dst_crs=WEB_MERCATOR,
        resampling=Resampling.nearest,
        src_nodata=None,
        dst_nodata=CLASS_NONE,
    )
    x0 = dst_transform.c
    y0 = dst_transform.f
    x1 = x0 + dst_transform.a * width
    y1 = y0 + dst_transform.e * height
    to_lonlat = Transformer.from_crs(WEB_MERCATOR, "EPSG:4326", always_xy=True)
    west, north = to_lonlat.transform(x0, y0)
    east, south = to_lonlat.transform(x1, y1)
    return destination, (float(west), float(south), float(east), float(north))


def write_overlay(
    signal_dbm: np.ndarray, transform, crs: str, good_dbm: float, weak_dbm: float, path: Path
) -> tuple[float, float, float, float]:
    """Write the PNG overlay of a signal raster; return its (west, south, east, north)."""
    classes = service_classes(signal_dbm, good_dbm, weak_dbm)
    mercator, bounds = to_web_mercator(classes, transform, crs)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode_png(rgba(mercator)))
    return bounds

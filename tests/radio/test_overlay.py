"""The overlay image: service classes, the PNG encoding and the Web Mercator bounds."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest
from affine import Affine

from jangkau.radio.overlay import (
    CLASS_BELOW,
    CLASS_GOOD,
    CLASS_NONE,
    CLASS_WEAK,
    encode_png,
    rgba,
    service_classes,
    to_web_mercator,
)


def _chunks(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        yield kind, body
        pos += 12 + length


def test_service_classes_follow_the_thresholds():
    signal = np.array([[np.nan, -124.0, -115.0, -105.0, -80.0]])
    classes = service_classes(signal, good_dbm=-105.0, weak_dbm=-115.0)
    assert classes.tolist() == [[CLASS_NONE, CLASS_BELOW, CLASS_WEAK, CLASS_GOOD, CLASS_GOOD]]
    colours = rgba(classes)
    assert colours[0, 0, 3] == 0 and (colours[0, 1:, 3] > 0).all()


def test_the_png_round_trips_through_its_chunks():
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, size=(5, 7, 4), dtype=np.uint8)
    chunks = dict(_chunks(encode_png(image)))
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (width, height, depth, colour_type) == (7, 5, 8, 6)
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(5, 1 + 7 * 4)
    assert (raw[:, 0] == 0).all()
    np.testing.assert_array_equal(raw[:, 1:].reshape(5, 7, 4), image)
    assert chunks[b"IEND"] == b""


def test_encode_png_refuses_a_non_rgba_array():
    with pytest.raises(ValueError):
        encode_png(np.zeros((3, 3, 3), dtype=np.uint8))


def test_the_mercator_overlay_covers_the_utm_grid():
    classes = np.zeros((100, 120), dtype=np.uint8)
    classes[40:60, 50:70] = CLASS_GOOD
    transform = Affine(1000.0, 0, 400_000.0, 0, -1000.0, 150_000.0)  # UTM 50N near 117 E, 1 N
    mercator, (west, south, east, north) = to_web_mercator(classes, transform, "EPSG:32650")
    assert west < east and south < north
    assert 116.0 < west < 117.2 and 0.4 < south < 0.5 and 1.3 < north < 1.4
    share = np.count_nonzero(mercator == CLASS_GOOD) / mercator.size
    assert share == pytest.approx(400 / 12000, rel=0.15)

"""Importer ``mlab``: M-Lab NDT download tests as exported from BigQuery.

Column names are those of the ``measurement-lab.ndt.unified_downloads`` view (``a.UUID``,
``a.MeanThroughputMbps``, ``a.MinRTT``, ``client.Geo.Latitude`` ...) or the names BigQuery gives
them when selected without an alias (``UUID``, ``MeanThroughputMbps`` ...). Each row becomes a
:class:`~jangkau.measurements.models.SpeedTest` with tool ``mlab_ndt`` and a download speed only.
Rows geolocated outside the regency are skipped (an export is usually cut by a bounding box).
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from jangkau.core.importing import Column, ImportSpec, RowError, WriteStats, register
from jangkau.core.importing.values import ValueProblem, parse_float
from jangkau.measurements.choices import TOOL_SOURCES
from jangkau.measurements.importers.common import local_date, write_prepared
from jangkau.measurements.importers.speedtests import prepare_speedtest, speedtest_key
from jangkau.measurements.models import SpeedTest

SOURCE_URL = "https://www.measurementlab.net/tests/ndt/"


def keep_in_regency(raw: dict, ctx) -> bool:
    """Skip rows geolocated outside the regency; keep unreadable ones (to report them)."""
    try:
        lat, lon = parse_float(raw.get("lat")), parse_float(raw.get("lon"))
    except ValueProblem:
        return True
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return True
    return ctx.locator.in_zone(lon, lat)


def _test_id(row: dict) -> str:
    return row["a.UUID"] or row["id"] or ""


def check_mlab(row: dict, ctx) -> list[RowError]:
    if not _test_id(row):
        return [RowError(row["_row"], "a.UUID", _g("give the test's a.UUID or id"))]
    return []


def mlab_key(row: dict) -> str:
    return speedtest_key("mlab_ndt", _test_id(row), None, None, None, None)


def write_mlab(rows: list[dict], ctx) -> WriteStats:
    items = []
    for row in rows:
        measured_at = row["a.TestTime"] or datetime.combine(row["date"], time(0), tzinfo=UTC)
        extra = {
            "loss_rate": row["a.LossRate"],
            "accuracy_radius_km": row["client.Geo.AccuracyRadiusKm"],
            "asn": row["client.Network.ASNumber"],
            "as_name": row["client.Network.ASName"] or "",
            "date": row["date"].isoformat(),
        }
        values = {
            "key": mlab_key(row),
            "tool": "mlab_ndt",
            "test_id": _test_id(row),
            "measured_at": measured_at,
            "lat": row["lat"],
            "lon": row["lon"],
            "village": row["village"],
            "download_mbps": row["a.MeanThroughputMbps"],
            "upload_mbps": None,
            "latency_ms": row["a.MinRTT"],
            "jitter_ms": None,
            "operator": "",
            "technology": "unknown",
            "note": "",
            "extra": extra,
            "source": TOOL_SOURCES["mlab_ndt"],
            "source_url": SOURCE_URL,
            "as_of": row["date"] if row["a.TestTime"] is None else local_date(measured_at),
            "quality": "measured",
        }
        items.append(prepare_speedtest(values, extra_detail=extra))
    return write_prepared(SpeedTest, items)


COLUMNS = (
    Column("a.UUID", "str", required=False, max_length=100, aliases=("UUID", "a_UUID"),
           help=_("the test's UUID"), example="ndt-4c6fz_1712345678_00000000000A1B2C"),
    Column("id", "str", required=False, max_length=100,
           help=_("the row id of the unified view (used when a.UUID is absent)"), example=""),
    Column("date", "date", aliases=("test_date",), help=_("the test date (UTC)"),
           example="2025-01-15"),
    Column("a.TestTime", "datetime", required=False, aliases=("TestTime", "a_TestTime"),
           help=_("the test time (UTC), when exported"), example=""),
    Column("a.MeanThroughputMbps", "float", min=0, max=10000,
           aliases=("MeanThroughputMbps", "a_MeanThroughputMbps"),
           help=_("mean download throughput, Mbit/s"), example="7.9"),
    Column("a.MinRTT", "float", required=False, min=0, max=60000,
           aliases=("MinRTT", "a_MinRTT"), help=_("minimum round-trip time, ms"), example="38"),
    Column("a.LossRate", "float", required=False, min=0, max=1,
           aliases=("LossRate", "a_LossRate"), help=_("packet loss rate, 0-1"), example=""),
    Column("lat", "float", aliases=("client.Geo.Latitude", "Latitude", "client_Geo_Latitude"),
           help=_("client latitude from IP geolocation"), example="0.5120"),
    Column("lon", "float", aliases=("client.Geo.Longitude", "Longitude", "client_Geo_Longitude"),
           help=_("client longitude from IP geolocation"), example="117.5200"),
    Column("client.Geo.AccuracyRadiusKm", "float", required=False, min=0,
           aliases=("AccuracyRadiusKm", "client_Geo_AccuracyRadiusKm"),
           help=_("geolocation accuracy radius, km"), example="50"),
    Column("client.Network.ASNumber", "int", required=False, min=0,
           aliases=("ASNumber", "client_Network_ASNumber"),
           help=_("the client's autonomous system number"), example="23693"),
    Column("client.Network.ASName", "str", required=False, max_length=200,
           aliases=("ASName", "client_Network_ASName"),
           help=_("the client's network name"), example=""),
)  # fmt: skip

SPEC = register(
    ImportSpec(
        kind="mlab",
        title=_("M-Lab NDT tests"),
        description=_(
            "Download tests from Measurement Lab's NDT (BigQuery unified_downloads view, "
            "exported as CSV). Locations come from IP geolocation and can be off by tens of "
            "kilometres; rows outside the regency are skipped."
        ),
        columns=COLUMNS,
        geometry="point",
        natural_key=mlab_key,
        write_batch=write_mlab,
        check_row=check_mlab,
        keep_row=keep_in_regency,
        key_columns=("a.UUID", "id"),
        example_rows=(
            {
                "a.UUID": "ndt-4c6fz_1712345678_00000000000A1B2C",
                "date": "2025-01-15",
                "a.MeanThroughputMbps": "7.9",
                "a.MinRTT": "38",
                "lat": "0.5120",
                "lon": "117.5200",
                "client.Geo.AccuracyRadiusKm": "50",
                "client.Network.ASNumber": "23693",
            },
        ),
    )
)

"""Importer ``speedtests``: one speed test per row (any app, or the field team)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jangkau.core.importing import Column, ImportSpec, WriteStats, register
from jangkau.cores.status import status_from_speedtest
from jangkau.measurements.choices import (
    NOT_MOBILE,
    SPEEDTEST_TECHNOLOGIES,
    TOOL_SOURCES,
    ToolChoices,
)
from jangkau.measurements.importers.common import (
    NOT_MOBILE_NOTE,
    OPERATOR_CODES,
    Prepared,
    evidence_values,
    iso,
    local_date,
    write_prepared,
)
from jangkau.measurements.models import SpeedTest

#: the speed range accepted, Mbit/s (10 Gbit/s is beyond any test in a village).
MAX_MBPS = 10000.0
#: the latency and jitter range accepted, ms.
MAX_MS = 60000.0


def speedtest_status(download_mbps: float, technology: str | None) -> tuple[str, str]:
    """The status a speed test supports and a note: ``unknown`` (not counted) off the mobile
    network, else :func:`~jangkau.cores.status.status_from_speedtest`."""
    if technology in NOT_MOBILE:
        return "unknown", NOT_MOBILE_NOTE
    tech = None if technology in (None, "", "unknown") else technology
    return status_from_speedtest(download_mbps, tech).value, ""


def speedtest_key(tool: str, test_id: str | None, measured_at, lat, lon, operator) -> str:
    """``tool:test_id``, or without an id ``tool:time:lat,lon:operator``."""
    if test_id:
        return f"{tool}:{test_id}"
    return f"{tool}:{measured_at:%Y%m%dT%H%M%SZ}:{lat:.5f},{lon:.5f}:{operator or '-'}"


def prepare_speedtest(values: dict, extra_detail: dict | None = None) -> Prepared:
    """A :class:`Prepared` speed test from its model field values (``key`` included)."""
    values = dict(values)
    key = values.pop("key")
    status, note = speedtest_status(values["download_mbps"], values["technology"])
    detail = {
        "download_mbps": values["download_mbps"],
        "upload_mbps": values["upload_mbps"],
        "latency_ms": values["latency_ms"],
        "technology": values["technology"],
        "tool": values["tool"],
        "measured_at": iso(values["measured_at"]),
        "lat": values["lat"],
        "lon": values["lon"],
        **(extra_detail or {}),
    }
    evidence = evidence_values(
        village=values["village"],
        kind="speedtest",
        status=status,
        as_of=values["as_of"],
        source=values["source"],
        source_url=values["source_url"],
        quality=values["quality"],
        operator=values["operator"],
        detail=detail,
        note=note,
    )
    return Prepared(key, values, evidence)


def _values(row: dict) -> dict:
    tool = row["tool"]
    return {
        "key": _natural_key(row),
        "tool": tool,
        "test_id": row["test_id"] or "",
        "measured_at": row["measured_at"],
        "lat": row["lat"],
        "lon": row["lon"],
        "village": row["village"],
        "download_mbps": row["download_mbps"],
        "upload_mbps": row["upload_mbps"],
        "latency_ms": row["latency_ms"],
        "jitter_ms": row["jitter_ms"],
        "operator": row["operator"] or "",
        "technology": row["technology"] or "unknown",
        "note": row["note"] or "",
        "extra": {},
        "source": row["source"] or TOOL_SOURCES[tool],
        "source_url": row["source_url"] or "",
        "as_of": local_date(row["measured_at"]),
        "quality": "measured",
    }


def _natural_key(row: dict) -> str:
    return speedtest_key(
        row["tool"], row["test_id"], row["measured_at"], row["lat"], row["lon"], row["operator"]
    )


def write_speedtests(rows: list[dict], ctx) -> WriteStats:
    return write_prepared(SpeedTest, [prepare_speedtest(_values(row)) for row in rows])


COLUMNS = (
    Column(
        "measured_at",
        "datetime",
        aliases=("tested_at", "timestamp", "waktu"),
        help=_("when the test ran; without a UTC offset the time is local (WITA)"),
        example="2025-03-14T10:20:00+08:00",
    ),
    Column("lat", "float", aliases=("latitude", "lintang"), help=_("latitude, WGS84 degrees"),
           example="0.5120"),
    Column("lon", "float", aliases=("lng", "long", "longitude", "bujur"),
           help=_("longitude, WGS84 degrees"), example="117.5200"),
    Column("download_mbps", "float", min=0, max=MAX_MBPS, aliases=("download", "unduh_mbps"),
           help=_("download throughput, Mbit/s"), example="12.4"),
    Column("upload_mbps", "float", required=False, min=0, max=MAX_MBPS,
           aliases=("upload", "unggah_mbps"), help=_("upload throughput, Mbit/s"), example="3.1"),
    Column("latency_ms", "float", required=False, min=0, max=MAX_MS, aliases=("ping_ms", "ping"),
           help=_("latency (ping), ms"), example="48"),
    Column("jitter_ms", "float", required=False, min=0, max=MAX_MS, aliases=("jitter",),
           help=_("jitter, ms"), example="9"),
    Column("operator", "choice", required=False, choices=OPERATOR_CODES,
           aliases=("provider", "operator_seluler"),
           help=_("mobile operator; empty when not known"), example="telkomsel"),
    Column("technology", "choice", required=False, choices=SPEEDTEST_TECHNOLOGIES,
           aliases=("connection", "jaringan"),
           help=_("network of the test; wifi, fixed and satellite tests are stored but do not "
                  "count for the mobile status"), example="4g"),
    Column("tool", "choice", choices=tuple(ToolChoices.values), aliases=("app", "aplikasi"),
           help=_("the app or method"), example="ookla_app"),
    Column("test_id", "str", required=False, max_length=100, aliases=("result_id", "id_tes"),
           help=_("the tool's id of the test; identifies the test on re-import"),
           example="17263544321"),
    Column("village_code", "village_code", required=False, aliases=("kode_desa",),
           help=_("optional: the desa; by default found from the coordinates"), example=""),
    Column("source", "str", required=False, max_length=300, aliases=("sumber",),
           help=_("who provided the data; by default the tool's name"), example=""),
    Column("source_url", "str", required=False, max_length=2000, help=_("link to the source"),
           example=""),
    Column("note", "str", required=False, max_length=2000, aliases=("catatan",),
           help=_("field notes"), example="depan kantor desa"),
)  # fmt: skip

SPEC = register(
    ImportSpec(
        kind="speedtests",
        title=_("Speed tests"),
        description=_(
            "One speed test per row: time, place, download (and upload, latency, jitter), "
            "operator, technology and the tool. The village is found from the coordinates."
        ),
        columns=COLUMNS,
        geometry="point",
        natural_key=_natural_key,
        write_batch=write_speedtests,
        key_columns=("tool", "test_id", "measured_at", "lat", "lon", "operator"),
        example_rows=(
            {
                "measured_at": "2025-03-14T10:20:00+08:00",
                "lat": "0.51200",
                "lon": "117.52000",
                "download_mbps": "12.4",
                "upload_mbps": "3.1",
                "latency_ms": "48",
                "jitter_ms": "9",
                "operator": "telkomsel",
                "technology": "4g",
                "tool": "ookla_app",
                "test_id": "17263544321",
                "note": "depan kantor desa",
            },
            {
                "measured_at": "2025-03-14T15:05:00+08:00",
                "lat": "0.49800",
                "lon": "117.49500",
                "download_mbps": "1.8",
                "operator": "xl",
                "technology": "3g",
                "tool": "field_team",
            },
        ),
    )
)

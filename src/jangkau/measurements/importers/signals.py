"""Importer ``signals``: one reading of the mobile signal per row."""

from __future__ import annotations

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from jangkau.core.importing import Column, ImportSpec, RowError, WriteStats, register
from jangkau.cores.status import Status, status_from_signal
from jangkau.measurements.choices import SIGNAL_TECHNOLOGIES
from jangkau.measurements.importers.common import (
    OPERATOR_CODES,
    Prepared,
    evidence_values,
    iso,
    local_date,
    write_prepared,
)
from jangkau.measurements.models import SignalReading

DEFAULT_SOURCE = "signal reading"


def signal_status(technology: str, rsrp_dbm: float | None, bars: int | None) -> str:
    """The status a reading supports.

    No service or 0 bars: ``no_signal``; 2G/3G: ``2g_3g_only``; 4G/5G: by RSRP through
    :func:`~jangkau.cores.status.status_from_signal` (``4g_weak`` without RSRP).
    """
    if technology == "none" or bars == 0:
        return Status.NO_SIGNAL.value
    return status_from_signal(technology, rsrp_dbm).value


def check_signal(row: dict, ctx) -> list[RowError]:
    errors = []
    technology = row["technology"]
    if technology == "none":
        for name in ("rsrp_dbm", "rsrq_db", "sinr_db"):
            if row[name] is not None:
                errors.append(
                    RowError(
                        row["_row"],
                        name,
                        _g("a reading without service (technology none) has no %(name)s")
                        % {"name": name},
                    )
                )
        if row["bars"]:
            errors.append(
                RowError(
                    row["_row"],
                    "bars",
                    _g("a reading without service (technology none) shows 0 bars"),
                )
            )
    elif technology in ("2g", "3g") and row["rsrp_dbm"] is not None:
        errors.append(
            RowError(
                row["_row"],
                "rsrp_dbm",
                _g(
                    "RSRP is an LTE/5G measure; leave it empty for a 2G/3G reading (put the dBm "
                    "the phone showed in the note)"
                ),
            )
        )
    return errors


def signal_key(row: dict) -> str:
    """``id:<reading_id>``, or without an id ``time:lat,lon:operator:technology``."""
    if row["reading_id"]:
        return f"id:{row['reading_id']}"
    return (
        f"{row['measured_at']:%Y%m%dT%H%M%SZ}:{row['lat']:.5f},{row['lon']:.5f}:"
        f"{row['operator'] or '-'}:{row['technology']}"
    )


def write_signals(rows: list[dict], ctx) -> WriteStats:
    items = []
    for row in rows:
        values = {
            "reading_id": row["reading_id"] or "",
            "measured_at": row["measured_at"],
            "lat": row["lat"],
            "lon": row["lon"],
            "village": row["village"],
            "operator": row["operator"] or "",
            "technology": row["technology"],
            "rsrp_dbm": row["rsrp_dbm"],
            "rsrq_db": row["rsrq_db"],
            "sinr_db": row["sinr_db"],
            "bars": row["bars"],
            "device": row["device"] or "",
            "note": row["note"] or "",
            "source": row["source"] or DEFAULT_SOURCE,
            "source_url": row["source_url"] or "",
            "as_of": local_date(row["measured_at"]),
            "quality": "measured",
        }
        detail = {
            name: values[name] for name in ("technology", "rsrp_dbm", "rsrq_db", "sinr_db", "bars")
        }
        detail.update(measured_at=iso(values["measured_at"]), lat=values["lat"], lon=values["lon"])
        evidence = evidence_values(
            village=values["village"],
            kind="signal_reading",
            status=signal_status(values["technology"], values["rsrp_dbm"], values["bars"]),
            as_of=values["as_of"],
            source=values["source"],
            source_url=values["source_url"],
            operator=values["operator"],
            detail=detail,
        )
        items.append(Prepared(signal_key(row), values, evidence))
    return write_prepared(SignalReading, items)


COLUMNS = (
    Column("measured_at", "datetime", aliases=("timestamp", "waktu"),
           help=_("when the reading was taken; without a UTC offset the time is local (WITA)"),
           example="2025-03-14T10:20:00+08:00"),
    Column("lat", "float", aliases=("latitude", "lintang"), help=_("latitude, WGS84 degrees"),
           example="0.5120"),
    Column("lon", "float", aliases=("lng", "long", "longitude", "bujur"),
           help=_("longitude, WGS84 degrees"), example="117.5200"),
    Column("operator", "choice", required=False, choices=OPERATOR_CODES,
           aliases=("provider", "operator_seluler"),
           help=_("mobile operator; empty when not known"), example="telkomsel"),
    Column("technology", "choice", choices=SIGNAL_TECHNOLOGIES,
           aliases=("network_type", "rat", "jaringan"),
           help=_("the network the phone was on; none = no service"), example="4g"),
    Column("rsrp_dbm", "float", required=False, min=-156, max=-31, aliases=("rsrp",),
           help=_("LTE/5G reference signal received power, dBm (3GPP range -156 to -31)"),
           example="-101"),
    Column("rsrq_db", "float", required=False, min=-43, max=20, aliases=("rsrq",),
           help=_("reference signal received quality, dB"), example="-11"),
    Column("sinr_db", "float", required=False, min=-23, max=40, aliases=("sinr", "snr"),
           help=_("signal to interference and noise ratio, dB"), example="6"),
    Column("bars", "int", required=False, min=0, max=5, aliases=("signal_bars", "bar"),
           help=_("signal bars shown by the phone, 0-5"), example="3"),
    Column("reading_id", "str", required=False, max_length=100, aliases=("id",),
           help=_("the app's id of the reading; identifies it on re-import"), example=""),
    Column("device", "str", required=False, max_length=120, aliases=("app", "perangkat"),
           help=_("phone model or app"), example="G-NetTrack Lite"),
    Column("village_code", "village_code", required=False, aliases=("kode_desa",),
           help=_("optional: the desa; by default found from the coordinates"), example=""),
    Column("source", "str", required=False, max_length=300, aliases=("sumber",),
           help=_("who provided the data"), example="Diskominfo drive test 2025"),
    Column("source_url", "str", required=False, max_length=2000, help=_("link to the source"),
           example=""),
    Column("note", "str", required=False, max_length=2000, aliases=("catatan",),
           help=_("field notes"), example=""),
)  # fmt: skip

SPEC = register(
    ImportSpec(
        kind="signals",
        title=_("Signal readings"),
        description=_(
            "One reading of the mobile signal per row: time, place, operator, technology and "
            "RSRP/RSRQ/SINR or bars. The village is found from the coordinates."
        ),
        columns=COLUMNS,
        geometry="point",
        natural_key=signal_key,
        write_batch=write_signals,
        check_row=check_signal,
        key_columns=("reading_id", "measured_at", "lat", "lon", "operator", "technology"),
        example_rows=(
            {
                "measured_at": "2025-03-14T10:20:00+08:00",
                "lat": "0.51200",
                "lon": "117.52000",
                "operator": "telkomsel",
                "technology": "4g",
                "rsrp_dbm": "-101",
                "rsrq_db": "-11",
                "sinr_db": "6",
                "bars": "3",
                "device": "G-NetTrack Lite",
                "source": "Diskominfo drive test 2025",
            },
            {
                "measured_at": "2025-03-14T10:25:00+08:00",
                "lat": "0.51200",
                "lon": "117.52000",
                "operator": "indosat",
                "technology": "none",
                "bars": "0",
                "source": "Diskominfo drive test 2025",
            },
        ),
    )
)

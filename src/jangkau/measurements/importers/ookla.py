"""Importer ``ookla``: Ookla open-data performance tiles (CSV or Parquet).

Ookla publishes one file per quarter and network type for the whole world. Rows are tiles; only
tiles whose centre lies in the regency are kept (the others are counted as skipped, cheaply:
they are never validated). The quarter and the network type come from columns or, as Ookla's
files do not carry them, from the command line (``--period 2024-10-01 --set network=mobile``)
or the upload form.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from jangkau.core.importing import Column, ImportSpec, RowError, WriteStats, register
from jangkau.cores.status import status_from_speedtest
from jangkau.measurements.choices import NetworkTypeChoices
from jangkau.measurements.importers.common import Prepared, evidence_values, write_prepared
from jangkau.measurements.models import OoklaTile
from jangkau.measurements.quadkey import OOKLA_ZOOM, quadkey_centre

SOURCE = (
    "Ookla Open Data: Speedtest by Ookla Global Fixed and Mobile Network Performance Maps "
    "(CC BY-NC-SA 4.0)"
)
SOURCE_URL = "https://github.com/teamookla/ookla-open-data"
FIXED_NOTE = (
    "Not counted for the village status: fixed-broadband tiles show where a fixed line is "
    "used, not whether the mobile signal reaches the village."
)
QUARTER_STARTS = {(1, 1), (4, 1), (7, 1), (10, 1)}


def quarter_end(start: date) -> date:
    """The last day of the quarter that starts on ``start``."""
    month = start.month + 3
    year = start.year + (month > 12)
    month = month - 12 if month > 12 else month
    return date(year, month, 1) - timedelta(days=1)


def quarter_label(start: date) -> str:
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


def keep_tile(raw: dict, ctx) -> bool:
    """Keep a tile whose centre lies in the regency, and any malformed row (to report it)."""
    quadkey = raw.get("quadkey")
    try:
        lon, lat = quadkey_centre(str(quadkey).strip())
    except ValueError:
        return True
    return ctx.locator.in_regency(lon, lat)


def check_tile(row: dict, ctx) -> list[RowError]:
    errors = []
    number = row["_row"]
    quadkey = row["quadkey"]
    if len(quadkey) != OOKLA_ZOOM or any(c not in "0123" for c in quadkey):
        errors.append(
            RowError(
                number,
                "quadkey",
                _g("'%(value)s' is not a zoom-16 quadkey (16 digits 0-3)") % {"value": quadkey},
            )
        )
    period = row["period"]
    if (period.month, period.day) not in QUARTER_STARTS:
        errors.append(
            RowError(
                number,
                "period",
                _g("%(value)s is not the first day of a quarter (e.g. 2024-10-01)")
                % {"value": period.isoformat()},
            )
        )
    elif quarter_end(period) >= ctx.today:
        errors.append(
            RowError(
                number,
                "period",
                _g("the quarter starting %(value)s has not ended yet")
                % {"value": period.isoformat()},
            )
        )
    if row["devices"] > row["tests"]:
        errors.append(
            RowError(
                number,
                "devices",
                _g("%(devices)s devices but only %(tests)s tests")
                % {"devices": row["devices"], "tests": row["tests"]},
            )
        )
    return errors


def tile_key(row: dict) -> str:
    return f"{row['network']}:{row['period'].isoformat()}:{row['quadkey']}"


def tile_status(network: str, avg_d_kbps: int) -> tuple[str, str]:
    """Mobile tiles: the status of their mean download (technology unknown); fixed tiles are
    kept as evidence that does not count (``unknown``)."""
    if network == NetworkTypeChoices.FIXED:
        return "unknown", FIXED_NOTE
    return status_from_speedtest(avg_d_kbps / 1000.0).value, ""


def write_tiles(rows: list[dict], ctx) -> WriteStats:
    locator = ctx.locator
    items = []
    for row in rows:
        lon, lat = quadkey_centre(row["quadkey"])
        village = locator.village_at(lon, lat) or locator.nearest(lon, lat)
        village = ctx.village(village.code)
        period = row["period"]
        end = quarter_end(period)
        values = {
            "quadkey": row["quadkey"],
            "period": period,
            "network": row["network"],
            "avg_d_kbps": row["avg_d_kbps"],
            "avg_u_kbps": row["avg_u_kbps"],
            "avg_lat_ms": row["avg_lat_ms"],
            "tests": row["tests"],
            "devices": row["devices"],
            "centre_lat": round(lat, 7),
            "centre_lon": round(lon, 7),
            "village": village,
            "source": SOURCE,
            "source_url": SOURCE_URL,
            "as_of": end,
            "as_of_label": quarter_label(period),
            "quality": "measured",
        }
        status, note = tile_status(row["network"], row["avg_d_kbps"])
        detail = {
            "count": row["devices"],
            "tests": row["tests"],
            "avg_d_kbps": row["avg_d_kbps"],
            "avg_u_kbps": row["avg_u_kbps"],
            "avg_lat_ms": row["avg_lat_ms"],
            "quadkey": row["quadkey"],
            "period": period.isoformat(),
            "network": row["network"],
        }
        evidence = evidence_values(
            village=village,
            kind="speedtest",
            status=status,
            as_of=end,
            as_of_label=quarter_label(period),
            source=SOURCE,
            source_url=SOURCE_URL,
            detail=detail,
            note=note,
        )
        items.append(Prepared(tile_key(row), values, evidence))
    return write_prepared(OoklaTile, items)


COLUMNS = (
    Column("quadkey", "str", max_length=24, help=_("the zoom-16 tile's quadkey"),
           example="1323223330201310"),
    Column("avg_d_kbps", "int", min=0, help=_("mean download speed, kbit/s"), example="14250"),
    Column("avg_u_kbps", "int", min=0, help=_("mean upload speed, kbit/s"), example="6120"),
    Column("avg_lat_ms", "int", min=0, help=_("mean latency, ms"), example="41"),
    Column("tests", "int", min=1, help=_("number of tests"), example="12"),
    Column("devices", "int", min=1, help=_("number of distinct devices"), example="5"),
    Column("period", "date", aliases=("quarter", "periode"),
           help=_("first day of the quarter; usually given as --period"), example="2024-10-01"),
    Column("network", "choice", choices=tuple(NetworkTypeChoices.values),
           aliases=("network_type", "type"),
           help=_("mobile or fixed (Ookla's two tile sets); usually given as a value"),
           example="mobile"),
)  # fmt: skip

SPEC = register(
    ImportSpec(
        kind="ookla",
        title=_("Ookla open-data tiles"),
        description=_(
            "Ookla's quarterly performance tiles (CSV or Parquet, the files as published). "
            "Tiles whose centre lies outside the regency are skipped. Give the quarter and the "
            "network type when the file has no such columns."
        ),
        columns=COLUMNS,
        geometry="none",
        natural_key=tile_key,
        write_batch=write_tiles,
        check_row=check_tile,
        keep_row=keep_tile,
        key_columns=("network", "period", "quadkey"),
        example_rows=(
            {
                "quadkey": "1323223330201310",
                "avg_d_kbps": "14250",
                "avg_u_kbps": "6120",
                "avg_lat_ms": "41",
                "tests": "12",
                "devices": "5",
                "period": "2024-10-01",
                "network": "mobile",
            },
        ),
    )
)

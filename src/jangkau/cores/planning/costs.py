"""Loader and validator of the versioned cost table (``data/costs/cost_table_v1.csv``).

One row per cost item, money in Indonesian rupiah. Where a figure was converted from US dollars
the row's notes say so; the rate and its date are in ``data/costs/SOURCES.md``.
"""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "COLUMNS",
    "QUALITIES",
    "CostItem",
    "CostTableError",
    "default_cost_table_path",
    "load_cost_table",
]

COLUMNS = (
    "item",
    "unit",
    "capex_idr",
    "opex_idr_per_year",
    "lifetime_years",
    "capacity",
    "source",
    "source_url_or_reference",
    "quality",
    "is_assumption",
    "notes",
)
#: Quality of a figure: read from an official publication or price list, measured, estimated
#: (derived or borrowed from a model), or illustrative (a placeholder to be replaced).
QUALITIES = ("official", "measured", "estimated", "illustrative")
_ITEM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class CostItem:
    """One row of the cost table.

    Attributes
    ----------
    item : str
        Snake-case name, unique in the table (e.g. ``new_4g_site``, ``backhaul_fiber_km``).
    unit : str
        What one unit is (``site``, ``km``, ``hop``, ``terminal``, ``site-year``).
    capex_idr : float
        One-off cost per unit, IDR.
    opex_idr_per_year : float
        Running cost per unit and year, IDR.
    lifetime_years : float or None
        Replacement cycle, when known.
    capacity : str
        What the unit delivers (free text, may be empty).
    source : str
        Who published the figure and what it says.
    source_url_or_reference : str
        URL(s) or repository path and commit.
    quality : str
        One of :data:`QUALITIES`.
    is_assumption : bool
        True when the figure is our assumption (then quality is estimated or illustrative).
    notes : str
        Arithmetic, currency conversion and caveats.
    """

    item: str
    unit: str
    capex_idr: float
    opex_idr_per_year: float
    lifetime_years: float | None
    capacity: str
    source: str
    source_url_or_reference: str
    quality: str
    is_assumption: bool
    notes: str


class CostTableError(ValueError):
    """The cost table file is malformed; ``errors`` lists every problem found."""

    def __init__(self, path: str | os.PathLike[str], errors: list[str]) -> None:
        self.errors = errors
        super().__init__(f"{path}: " + "; ".join(errors))


def default_cost_table_path() -> Path:
    """Path of the cost table shipped with Jangkau."""
    return Path(__file__).resolve().parents[2] / "data" / "costs" / "cost_table_v1.csv"


def _number(text: str, line: int, field: str, errors: list[str], required: bool) -> float | None:
    if text.strip() == "":
        if required:
            errors.append(f"line {line}, {field}: a number is required")
        return None
    try:
        value = float(text)
    except ValueError:
        errors.append(f"line {line}, {field}: expected a number, got {text!r}")
        return None
    if not math.isfinite(value) or value < 0:
        errors.append(f"line {line}, {field}: must be a finite non-negative number, got {text!r}")
        return None
    return value


def load_cost_table(path: str | os.PathLike[str] | None = None) -> list[CostItem]:
    """Read and validate a cost table.

    Parameters
    ----------
    path : str or path-like, optional
        CSV file with the header :data:`COLUMNS`; defaults to the shipped table.

    Returns
    -------
    list of CostItem
        Rows in file order.

    Raises
    ------
    CostTableError
        Listing every problem with its line and field: unreadable file, wrong header, a row
        with too few or too many fields, an empty or duplicate or non-snake-case item, an empty
        unit/source/reference, a negative or non-numeric amount, a lifetime that is not
        positive, an unknown quality, an ``is_assumption`` that is not ``true``/``false``, or an
        assumption marked ``official`` or ``measured``.
    """
    path = Path(path) if path is not None else default_cost_table_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CostTableError(path, [f"cannot read the file: {exc}"]) from exc
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None or tuple(header) != COLUMNS:
        raise CostTableError(
            path, [f"line 1: expected the header {','.join(COLUMNS)}, got {header!r}"]
        )
    errors: list[str] = []
    items: list[CostItem] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(COLUMNS):
            errors.append(f"line {line}: expected {len(COLUMNS)} fields, got {len(row)}")
            continue
        record = dict(zip(COLUMNS, (cell.strip() for cell in row), strict=True))
        before = len(errors)
        name = record["item"]
        if not _ITEM_NAME.match(name):
            errors.append(f"line {line}, item: expected a snake_case name, got {name!r}")
        elif name in seen:
            errors.append(f"line {line}, item: duplicate item {name!r}")
        seen.add(name)
        for field in ("unit", "source", "source_url_or_reference"):
            if not record[field]:
                errors.append(f"line {line}, {field}: must not be empty")
        capex = _number(record["capex_idr"], line, "capex_idr", errors, required=True)
        opex = _number(record["opex_idr_per_year"], line, "opex_idr_per_year", errors, True)
        lifetime = _number(record["lifetime_years"], line, "lifetime_years", errors, False)
        if lifetime is not None and lifetime <= 0:
            errors.append(f"line {line}, lifetime_years: must be positive, got {lifetime:g}")
        quality = record["quality"]
        if quality not in QUALITIES:
            errors.append(
                f"line {line}, quality: expected one of {', '.join(QUALITIES)}, got {quality!r}"
            )
        flag = record["is_assumption"].lower()
        if flag not in ("true", "false"):
            errors.append(f"line {line}, is_assumption: expected true or false, got {flag!r}")
        elif flag == "true" and quality in ("official", "measured"):
            errors.append(
                f"line {line}, quality: an assumption must be estimated or illustrative, "
                f"got {quality!r}"
            )
        if len(errors) == before:
            items.append(
                CostItem(
                    item=name,
                    unit=record["unit"],
                    capex_idr=float(capex),
                    opex_idr_per_year=float(opex),
                    lifetime_years=lifetime,
                    capacity=record["capacity"],
                    source=record["source"],
                    source_url_or_reference=record["source_url_or_reference"],
                    quality=quality,
                    is_assumption=flag == "true",
                    notes=record["notes"],
                )
            )
    if errors:
        raise CostTableError(path, errors)
    return items

"""Cost tables in the database: loading the shipped CSV, saving new versions, looking items up.

The shipped table (``data/costs/cost_table_v1.csv``, read and checked by the planning core's
:func:`~jangkau.cores.planning.load_cost_table`) becomes version 1 on first use or through
``jangkau plan-costs load``. Tables are never changed in place: an edit is saved as a new
version (:func:`save_new_version`), so plans keep pointing at the figures they used.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Max

from jangkau.core.choices import QUALITY_RANK, QualityChoices
from jangkau.cores.planning import load_cost_table
from jangkau.cores.planning.costs import default_cost_table_path
from jangkau.planning.models import CostItem, CostTable

SHIPPED_NAME = "Jangkau cost table v1 (shipped)"


@dataclass(frozen=True)
class Cost:
    """One cost item as the instance builder uses it (plain values)."""

    item: str
    unit: str
    capex: float
    opex: float
    quality: str
    is_assumption: bool
    source: str


def _next_version() -> int:
    return (CostTable.objects.aggregate(m=Max("version"))["m"] or 0) + 1


def load_from_csv(
    path: str | Path | None = None,
    *,
    name: str = "",
    make_default: bool | None = None,
    user=None,
) -> CostTable:
    """Store a cost table file as a new version and return it.

    The file is checked by the core's loader first (``CostTableError`` lists every problem).
    The first table ever stored becomes the default; later ones only with ``make_default``.
    """
    source_path = Path(path) if path is not None else default_cost_table_path()
    rows = load_cost_table(source_path)
    with transaction.atomic():
        first = not CostTable.objects.exists()
        default = first if make_default is None else make_default
        if default:
            CostTable.objects.filter(is_default=True).update(is_default=False)
        table = CostTable.objects.create(
            version=_next_version(),
            name=name or (SHIPPED_NAME if path is None else source_path.name),
            source_notes=(
                f"Loaded from {source_path.name}; sources per item, see "
                "src/jangkau/data/costs/SOURCES.md."
            ),
            is_default=default,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        CostItem.objects.bulk_create(
            [
                CostItem(
                    table=table,
                    item=row.item,
                    unit=row.unit,
                    capex_idr=Decimal(str(round(row.capex_idr))),
                    opex_idr_per_year=Decimal(str(round(row.opex_idr_per_year))),
                    lifetime_years=row.lifetime_years,
                    capacity=row.capacity,
                    source=row.source,
                    source_url=row.source_url_or_reference,
                    quality=row.quality,
                    is_assumption=row.is_assumption,
                    notes=row.notes,
                )
                for row in rows
            ]
        )
    return table


def default_cost_table() -> CostTable:
    """The default table; the shipped CSV is loaded as version 1 when no table exists yet."""
    table = CostTable.objects.filter(is_default=True).first()
    if table is not None:
        return table
    if CostTable.objects.exists():
        return CostTable.objects.order_by("-version").first()
    try:
        return load_from_csv()
    except IntegrityError:  # another process loaded it at the same moment
        return CostTable.objects.order_by("-version").first()


ITEM_FIELDS = (
    "unit",
    "capex_idr",
    "opex_idr_per_year",
    "lifetime_years",
    "capacity",
    "source",
    "source_url",
    "quality",
    "is_assumption",
    "notes",
)


def save_new_version(
    base: CostTable,
    changes: dict[str, dict],
    *,
    name: str,
    source_notes: str,
    user=None,
    make_default: bool = False,
    new_items: list[dict] = (),
) -> CostTable:
    """Save ``base`` with ``changes`` (item -> field values) and ``new_items`` as a new version.

    ``base`` itself is never modified. Fields not named in ``changes`` are copied.
    """
    with transaction.atomic():
        if make_default:
            CostTable.objects.filter(is_default=True).update(is_default=False)
        table = CostTable.objects.create(
            version=_next_version(),
            name=name,
            source_notes=source_notes,
            based_on=base,
            is_default=make_default,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        rows = []
        for old in base.items.order_by("pk"):
            values = {field: getattr(old, field) for field in ITEM_FIELDS}
            values.update(changes.get(old.item, {}))
            rows.append(
                CostItem(
                    table=table,
                    item=old.item,
                    as_of=old.as_of,
                    as_of_label=old.as_of_label,
                    **values,
                )
            )
        for extra in new_items:
            rows.append(CostItem(table=table, **extra))
        for row in rows:
            row.full_clean(exclude=["table"], validate_unique=False, validate_constraints=False)
        CostItem.objects.bulk_create(rows)
    return table


def cost_lookup(table: CostTable) -> dict[str, Cost]:
    """Items of a table by name, as plain values."""
    return {
        row.item: Cost(
            item=row.item,
            unit=row.unit,
            capex=float(row.capex_idr),
            opex=float(row.opex_idr_per_year),
            quality=row.quality,
            is_assumption=row.is_assumption,
            source=row.source,
        )
        for row in table.items.all()
    }


def worst_quality(qualities) -> str:
    """The least certain of several qualities (illustrative < estimated < measured < official)."""
    known = [q for q in qualities if q]
    if not known:
        return ""
    return min(known, key=lambda q: QUALITY_RANK[QualityChoices(q)])

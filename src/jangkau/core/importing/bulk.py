"""Create or update many rows by natural key, fast: the write step of importers.

:func:`bulk_upsert` reads the stored values of the batch's keys with one ``values_list`` query,
compares them with the new values, inserts the new rows and updates the changed ones with
``executemany``. It prepares every value with the field's own ``get_db_prep_save`` (so dates,
JSON and foreign keys are stored exactly as the ORM stores them) but skips building model
instances and the per-row SQL compilation of ``bulk_create``/``bulk_update``, which dominate
the time of large imports. Like ``bulk_create`` it sends no signals; the database's
constraints still apply. For one row at a time (loaders, forms) use
:func:`jangkau.core.upsert.upsert`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router
from django.db.models import Model
from django.utils import timezone

#: keys per ``IN (...)`` lookup, below every backend's parameter limit.
LOOKUP_CHUNK = 900


@dataclass
class UpsertResult:
    """The keys created, updated and unchanged; for updated keys, their previous values."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    previous: dict[str, dict[str, Any]] = field(default_factory=dict)


def _attvalues(model, values: dict[str, Any]) -> dict[str, Any]:
    """Values by attname (``village`` instance -> ``village_id`` primary key)."""
    out = {}
    for name, value in values.items():
        f = model._meta.get_field(name)
        if f.is_relation and f.many_to_one:
            out[f.attname] = value.pk if isinstance(value, Model) else value
        else:
            out[f.attname] = value
    return out


def bulk_upsert(
    model,
    items: dict[str, dict[str, Any]],
    *,
    key_field: str = "key",
    touch: str | None = None,
) -> UpsertResult:
    """Create or update ``model`` rows so that row ``key`` holds ``items[key]``.

    Parameters
    ----------
    model : a Django model with a unique ``key_field``.
    items : key -> field values by field name (a foreign key as an instance or its primary key);
        every item names the same fields.
    touch : a datetime field set to now on changed rows (e.g. ``"updated"``); fields with
        ``auto_now``/``auto_now_add`` are set to now on new rows anyway.
    """
    result = UpsertResult()
    if not items:
        return result
    rows = {key: _attvalues(model, values) for key, values in items.items()}
    attnames = list(next(iter(rows.values())))
    keys = list(rows)
    existing: dict[str, tuple[Any, tuple]] = {}
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        query = model._default_manager.filter(**{f"{key_field}__in": chunk})
        for pk, key, *stored in query.values_list("pk", key_field, *attnames):
            existing[key] = (pk, tuple(stored))
    new_rows, changed_rows = [], []
    for key, values in rows.items():
        if key not in existing:
            result.created.append(key)
            new_rows.append({key_field: key, **values})
            continue
        pk, stored = existing[key]
        old = dict(zip(attnames, stored, strict=True))
        if any(old[name] != values[name] for name in attnames):
            result.updated.append(key)
            result.previous[key] = old
            changed_rows.append((pk, values))
        else:
            result.unchanged.append(key)
    connection = connections[router.db_for_write(model)]
    if new_rows:
        _insert(model, new_rows, connection)
    if changed_rows:
        _update(model, changed_rows, attnames, touch, connection)
    return result


def _insert(model, rows: list[dict[str, Any]], connection) -> None:
    meta = model._meta
    now = timezone.now()
    # Every concrete field but an automatic primary key that the rows do not give.
    fields = [f for f in meta.concrete_fields if not f.primary_key or f.attname in rows[0]]
    params = []
    for row in rows:
        values = []
        for f in fields:
            if f.attname in row:
                value = row[f.attname]
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            elif f.has_default():
                value = f.get_default()
            else:
                value = None
            values.append(f.get_db_prep_save(value, connection))
        params.append(values)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _update(model, rows, attnames: list[str], touch: str | None, connection) -> None:
    meta = model._meta
    fields = [meta.get_field(_name_of(meta, name)) for name in attnames]
    if touch:
        fields.append(meta.get_field(touch))
    now = timezone.now()
    params = []
    for pk, values in rows:
        prepared = [
            f.get_db_prep_save(values[f.attname], connection) for f in fields[: len(attnames)]
        ]
        if touch:
            prepared.append(fields[-1].get_db_prep_save(now, connection))
        prepared.append(meta.pk.get_db_prep_save(pk, connection))
        params.append(prepared)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _name_of(meta, attname: str) -> str:
    for f in meta.concrete_fields:
        if f.attname == attname:
            return f.name
    return attname

"""Idempotent writes: change a row only where a value differs, so re-imports change nothing."""

from __future__ import annotations


def save_if_changed(obj, values: dict) -> bool:
    """Set ``values`` on ``obj`` and save only the fields that differ; return whether any did."""
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for k in changed:
        setattr(obj, k, values[k])
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)


def upsert(model, lookup: dict, values: dict) -> bool:
    """Create the row found by ``lookup`` with ``values``, or update it; True if it changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        return True
    return save_if_changed(obj, values)

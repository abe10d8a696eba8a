"""The downloadable CSV template of an importer, and its columns described for people."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from jangkau.core.importing.plan import point_columns
from jangkau.core.importing.spec import Column, ImportSpec


def template_columns(spec: ImportSpec) -> list[Column]:
    """The template's columns in order: the importer's, with lat/lon added for point kinds."""
    columns = list(spec.columns)
    if spec.geometry == "point":
        names = {c.name for c in columns}
        columns += [c for c in point_columns(spec) if c.name not in names]
    return columns


def template_csv(spec: ImportSpec) -> str:
    """The header and the example rows of ``spec`` as CSV text (comma-separated, UTF-8)."""
    columns = template_columns(spec)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    rows = spec.example_rows or ({c.name: c.example for c in columns},)
    for row in rows:
        writer.writerow(["" if row.get(c.name) is None else str(row.get(c.name)) for c in columns])
    return out.getvalue()


def column_docs(spec: ImportSpec) -> list[dict]:
    """Each template column described: type, whether required, range, choices, help, example."""
    labels = {
        "str": _("text"),
        "int": _("whole number"),
        "float": _("number"),
        "date": _("date (YYYY-MM-DD)"),
        "datetime": _("date and time (ISO 8601)"),
        "bool": _("yes/no"),
        "choice": _("one of a list"),
        "village_code": _("village code (NN.NN.NN.NNNN)"),
    }
    docs = []
    for column in template_columns(spec):
        limits = []
        if column.min is not None:
            limits.append(f"≥ {_number(column.min)}")
        if column.max is not None:
            limits.append(f"≤ {_number(column.max)}")
        if column.max_length is not None:
            limits.append(_("at most %(n)d characters") % {"n": column.max_length})
        if column.type in ("date", "datetime") and column.not_future:
            limits.append(_("not in the future"))
        docs.append(
            {
                "name": column.name,
                "type": labels[column.type],
                "required": column.required,
                "aliases": list(column.aliases),
                "choices": list(column.choices or ()),
                "limits": limits,
                "help": str(column.help),
                "example": column.example,
            }
        )
    return docs


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)

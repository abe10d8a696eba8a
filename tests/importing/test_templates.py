"""Each kind's CSV template is a file the importer accepts, and its columns are documented."""

from __future__ import annotations

import csv
import io

import pytest

from jangkau.core.importing import REGISTRY, column_docs, run_import, template_columns, template_csv

pytestmark = pytest.mark.django_db

KINDS = ("speedtests", "signals", "surveys", "ookla", "mlab")


@pytest.mark.parametrize("kind", KINDS)
def test_the_template_imports_cleanly_and_twice_changes_nothing(kutim, tmp_path, kind):
    spec = REGISTRY[kind]
    text = template_csv(spec)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [c.name for c in template_columns(spec)]
    assert len(rows) == len(spec.example_rows)
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    first = run_import(kind, path)
    assert (first.created, first.rows) == (len(rows), len(rows))
    again = run_import(kind, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))


@pytest.mark.parametrize("kind", KINDS)
def test_every_column_is_described(kind):
    docs = column_docs(REGISTRY[kind])
    assert docs and all(d["help"] for d in docs)
    assert {d["name"] for d in docs} >= {"lat", "lon"} or REGISTRY[kind].geometry == "none"

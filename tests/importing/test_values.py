"""Cleaning one value by its column: types, ranges, choices, dates, village codes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from jangkau.core.importing import Column, ImportContext, ImportSpec, WriteStats
from jangkau.core.importing.values import ValueProblem, clean_value


def col(type_, **kwargs):
    return Column("x", type_, **kwargs)


@pytest.mark.parametrize(
    ("column", "raw", "expected"),
    [
        (col("str"), "  desa  ", "desa"),
        (col("int"), "12", 12),
        (col("int"), "12.0", 12),
        (col("int"), 7, 7),
        (col("float"), "12.5", 12.5),
        (col("float"), 3, 3.0),
        (col("bool"), "ya", True),
        (col("bool"), "Tidak", False),
        (col("bool"), "1", True),
        (col("choice", choices=("telkomsel", "xl")), " Telkomsel ", "telkomsel"),
        (col("date"), "2024-10-01", date(2024, 10, 1)),
        (col("date"), "01/10/2024", date(2024, 10, 1)),
        (col("date"), date(2024, 10, 1), date(2024, 10, 1)),
        (col("str", required=False), "  ", None),
        (col("float", required=False), float("nan"), None),
    ],
)
def test_it_cleans_accepted_spellings(column, raw, expected):
    assert clean_value(column, raw) == expected


def test_a_time_with_an_offset_is_stored_in_utc():
    value = clean_value(col("datetime"), "2025-03-14T10:20:00+08:00")
    assert value == datetime(2025, 3, 14, 2, 20, tzinfo=UTC)


def test_a_time_without_an_offset_is_local_wita(settings):
    settings.TIME_ZONE = "Asia/Makassar"
    with timezone.override("Asia/Makassar"):
        value = clean_value(col("datetime"), "2025-03-14 10:20")
    assert value == datetime(2025, 3, 14, 2, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("column", "raw", "fragment"),
    [
        (col("str"), "", "a value is required"),
        (col("str", max_length=3), "abcd", "at most 3"),
        (col("int"), "12.5", "not a whole number"),
        (col("int"), "dua", "not a whole number"),
        (col("int"), True, "not a whole number"),
        (col("float"), "12,5", "use a dot as the decimal separator"),
        (col("float"), "inf", "not a finite number"),
        (col("float", min=0), "-1", "below the minimum 0"),
        (col("float", max=5), "5.5", "above the maximum 5"),
        (col("bool"), "maybe", "not yes/no"),
        (col("choice", choices=("telkomsel", "xl")), "tri", "not one of: telkomsel, xl"),
        (col("date"), "2024-13-01", "not a date"),
        (col("date"), "31/02/2024", "not a date"),
        (col("datetime"), "2025-03-14", "has no time of day"),
        (col("datetime"), "yesterday", "not a date and time"),
        (col("village_code"), "64.8.1.2001", "not a village code"),
    ],
)
def test_it_explains_a_value_it_refuses(column, raw, fragment):
    with pytest.raises(ValueProblem, match=fragment):
        clean_value(column, raw)


def test_dates_in_the_future_are_refused_unless_allowed():
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValueProblem, match="in the future"):
        clean_value(col("date"), tomorrow.isoformat())
    assert clean_value(col("date", not_future=False), tomorrow.isoformat()) == tomorrow
    later = timezone.now() + timedelta(hours=2)
    with pytest.raises(ValueProblem, match="in the future"):
        clean_value(col("datetime"), later.isoformat())


def _ctx():
    spec = ImportSpec(
        kind="values-test",
        title="t",
        columns=(col("village_code"),),
        geometry="none",
        natural_key=lambda row: row["x"],
        write_batch=lambda rows, ctx: WriteStats(),
    )
    return ImportContext(spec=spec)


@pytest.mark.django_db
def test_village_codes_must_exist_and_may_omit_the_dots(kutim):
    ctx = _ctx()
    assert clean_value(col("village_code"), "6408122001", ctx=ctx) == "64.08.12.2001"
    with pytest.raises(ValueProblem, match="'64.08.12.2999' does not exist in regency 64.08"):
        clean_value(col("village_code"), "64.08.12.2999", ctx=ctx)


def test_a_column_refuses_an_unknown_type_and_a_choice_needs_choices():
    with pytest.raises(ValueError, match="unknown type"):
        Column("x", "money")
    with pytest.raises(ValueError, match="needs choices"):
        Column("x", "choice")

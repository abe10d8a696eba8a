"""Filters shared by the API lists and the GeoJSON views (one place per model)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from jangkau.evidence.choices import OperatorChoices
from jangkau.measurements.choices import (
    NetworkTypeChoices,
    SurveyKindChoices,
    TechnologyChoices,
    ToolChoices,
)
from jangkau.regions.filtersets import InvalidFilter


def _choice(field: str, value: str | None, choices) -> str | None:
    if value in (None, ""):
        return None
    if value not in choices.values:
        allowed = ", ".join(v for v in choices.values if v)
        raise InvalidFilter(field, f"unknown {field} {value!r}; one of {allowed}")
    return value


def _dates(since: date | None, until: date | None) -> None:
    if since and until and since > until:
        raise InvalidFilter("since", f"since ({since}) is after until ({until})")


def filter_regional(qs: QuerySet, village: str | None, kecamatan: str | None) -> QuerySet:
    """By village code, or by kecamatan code."""
    if village:
        qs = qs.filter(village__code=village)
    if kecamatan:
        qs = qs.filter(village__district__code=kecamatan)
    return qs


def filter_point_measurements(
    qs: QuerySet,
    *,
    village: str | None = None,
    kecamatan: str | None = None,
    operator: str | None = None,
    technology: str | None = None,
    tool: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet:
    """Speed tests or signal readings by place, operator, technology, tool and local date."""
    qs = filter_regional(qs, village, kecamatan)
    if (op := _choice("operator", operator, OperatorChoices)) is not None:
        qs = qs.filter(operator=op)
    if (tech := _choice("technology", technology, TechnologyChoices)) is not None:
        qs = qs.filter(technology=tech)
    if (name := _choice("tool", tool, ToolChoices)) is not None:
        if not hasattr(qs.model, "tool"):
            raise InvalidFilter("tool", "this list has no tool")
        qs = qs.filter(tool=name)
    _dates(since, until)
    if since:
        qs = qs.filter(as_of__gte=since)
    if until:
        qs = qs.filter(as_of__lte=until)
    return qs


def filter_surveys(
    qs: QuerySet,
    *,
    village: str | None = None,
    kecamatan: str | None = None,
    survey_kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet:
    qs = filter_regional(qs, village, kecamatan)
    if (kind := _choice("survey_kind", survey_kind, SurveyKindChoices)) is not None:
        qs = qs.filter(survey_kind=kind)
    _dates(since, until)
    if since:
        qs = qs.filter(survey_date__gte=since)
    if until:
        qs = qs.filter(survey_date__lte=until)
    return qs


def filter_tiles(
    qs: QuerySet,
    *,
    village: str | None = None,
    kecamatan: str | None = None,
    network: str | None = None,
    period: date | None = None,
) -> QuerySet:
    qs = filter_regional(qs, village, kecamatan)
    if (net := _choice("network", network, NetworkTypeChoices)) is not None:
        qs = qs.filter(network=net)
    if period:
        qs = qs.filter(period=period)
    return qs

"""Filters shared by the inventory pages, the API lists and the GeoJSON layers (one place).

Every function takes a queryset (or builds one) and keyword filters; an unknown choice raises
:class:`~jangkau.regions.filtersets.InvalidFilter` naming the field, which the API turns into a
422 and the pages into a 400.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jangkau.inventory.choices import (
    SITE_OPERATOR_CHOICES,
    AccessPointKindChoices,
    ConnectedChoices,
    ConnectionKindChoices,
    FacilityKindChoices,
    LinkKindChoices,
    ProgrammeChoices,
    ServiceStatusChoices,
    SiteStatusChoices,
    TechnologyChoices,
)
from jangkau.inventory.models import AccessPoint, Facility, Link, Site
from jangkau.regions.filtersets import InvalidFilter

SITE_OPERATORS = [value for value, _label in SITE_OPERATOR_CHOICES]


def _check(field: str, value: str | None, allowed) -> None:
    if value and value not in allowed:
        raise InvalidFilter(field, f"unknown {field} {value!r}; one of {', '.join(allowed)}")


def _place(qs: QuerySet, village: str | None, kecamatan: str | None) -> QuerySet:
    if village:
        qs = qs.filter(village__code=village)
    if kecamatan:
        qs = qs.filter(village__district__code=kecamatan)
    return qs


def filter_sites(
    queryset: QuerySet[Site] | None = None,
    *,
    operator: str | None = None,
    status: str | None = None,
    village: str | None = None,
    kecamatan: str | None = None,
    technology: str | None = None,
    programme: str | None = None,
    q: str | None = None,
) -> QuerySet[Site]:
    """Sites by operator, status, village code, kecamatan code, technology, programme, text."""
    _check("operator", operator, SITE_OPERATORS)
    _check("status", status, SiteStatusChoices.values)
    _check("technology", technology, TechnologyChoices.values)
    _check("programme", programme, ProgrammeChoices.values)
    qs = queryset if queryset is not None else Site.objects.all()
    if operator:
        qs = qs.filter(operator=operator)
    if status:
        qs = qs.filter(status=status)
    qs = _place(qs, village, kecamatan)
    if programme:
        qs = qs.filter(programme=programme)
    if technology:
        # JSON list membership is not portable across SQLite and PostgreSQL; the lists are short.
        ids = [pk for pk, techs in qs.values_list("pk", "technologies") if technology in techs]
        qs = qs.filter(pk__in=ids)
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs.order_by("code")


def filter_links(
    queryset: QuerySet[Link] | None = None,
    *,
    kind: str | None = None,
    status: str | None = None,
    site: str | None = None,
    village: str | None = None,
    kecamatan: str | None = None,
) -> QuerySet[Link]:
    """Links by kind, status, end site code, and the village/kecamatan their route crosses."""
    _check("kind", kind, LinkKindChoices.values)
    _check("status", status, ServiceStatusChoices.values)
    qs = queryset if queryset is not None else Link.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if site:
        qs = qs.filter(Q(endpoint_a__code=site) | Q(endpoint_b__code=site))
    if village or kecamatan:
        from jangkau.regions.models import Village

        places = Village.objects.exclude(boundary=None)
        if village:
            places = places.filter(code=village)
        if kecamatan:
            places = places.filter(district__code=kecamatan)
        ids = _links_crossing(qs, list(places.values_list("boundary", flat=True)))
        qs = qs.filter(pk__in=ids)
    return qs.order_by("code")


def _links_crossing(qs: QuerySet[Link], boundaries: list) -> list[int]:
    from shapely import STRtree
    from shapely.geometry import shape

    if not boundaries:
        return []
    tree = STRtree([shape(b) for b in boundaries])
    return [
        pk
        for pk, geometry in qs.values_list("pk", "geometry")
        if len(tree.query(shape(geometry), predicate="intersects"))
    ]


def filter_access_points(
    queryset: QuerySet[AccessPoint] | None = None,
    *,
    kind: str | None = None,
    status: str | None = None,
    village: str | None = None,
    kecamatan: str | None = None,
    provider: str | None = None,
) -> QuerySet[AccessPoint]:
    """Access points by kind, status, village code, kecamatan code, provider (text)."""
    _check("kind", kind, AccessPointKindChoices.values)
    _check("status", status, ServiceStatusChoices.values)
    qs = queryset if queryset is not None else AccessPoint.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if provider:
        qs = qs.filter(provider__icontains=provider.strip())
    return _place(qs, village, kecamatan).order_by("code")


def filter_facilities(
    queryset: QuerySet[Facility] | None = None,
    *,
    kind: str | None = None,
    connected: str | None = None,
    connection_kind: str | None = None,
    village: str | None = None,
    kecamatan: str | None = None,
) -> QuerySet[Facility]:
    """Facilities by kind, connected (yes/no/unknown), connection kind, village, kecamatan."""
    _check("kind", kind, FacilityKindChoices.values)
    _check("connected", connected, ConnectedChoices.values)
    _check("connection_kind", connection_kind, ConnectionKindChoices.values)
    qs = queryset if queryset is not None else Facility.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if connected:
        qs = qs.filter(connected=connected)
    if connection_kind:
        qs = qs.filter(connection_kind=connection_kind)
    return _place(qs, village, kecamatan).order_by("code")

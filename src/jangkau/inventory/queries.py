"""Query helpers of the inventory: prefetching querysets, the village view, the regency table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from jangkau.inventory.choices import (
    SERVICE_ACTIVE,
    SITE_ON_AIR,
    SITE_OPERATOR_CHOICES,
    ConnectedChoices,
)
from jangkau.inventory.models import AccessPoint, Facility, Link, Site, SiteStatusChange
from jangkau.regions.queries import districts_qs, regency_summary

_PLACE = ("village", "village__district")


def sites_qs():
    return Site.objects.select_related(*_PLACE)


def site_detail_qs():
    return sites_qs().prefetch_related(
        "sectors",
        Prefetch("status_changes", SiteStatusChange.objects.select_related("changed_by")),
    )


def links_qs():
    return Link.objects.select_related("endpoint_a", "endpoint_b")


def access_points_qs():
    return AccessPoint.objects.select_related(*_PLACE)


def facilities_qs():
    return Facility.objects.select_related(*_PLACE)


def inventory_for_village(village) -> dict:
    """The sites, access points, facilities and links of one village, for its page.

    Links are those with an end site in the village. ``facilities_connected`` counts the
    facilities known to be connected.
    """
    sites = list(Site.objects.filter(village=village).order_by("operator", "code"))
    facilities = list(Facility.objects.filter(village=village).order_by("kind", "name"))
    site_ids = [s.pk for s in sites]
    links = list(
        links_qs()
        .filter(Q(endpoint_a_id__in=site_ids) | Q(endpoint_b_id__in=site_ids))
        .order_by("code")
    )
    return {
        "village": village,
        "sites": sites,
        "sites_on_air": sum(1 for s in sites if s.status in SITE_ON_AIR),
        "access_points": list(AccessPoint.objects.filter(village=village).order_by("kind", "code")),
        "facilities": facilities,
        "facilities_connected": sum(1 for f in facilities if f.connected == ConnectedChoices.YES),
        "links": links,
    }


@dataclass
class KecamatanRow:
    """One line of the "who has what" table (a kecamatan, or the regency total)."""

    code: str
    name: str
    villages: int = 0
    sites_on_air: dict[str, int] = field(default_factory=dict)
    villages_with_site_on_air: int = 0
    access_points_active: int = 0
    access_points: int = 0
    facilities_connected: int = 0
    facilities: int = 0
    village_statuses: dict[str, int] = field(default_factory=dict)

    @property
    def sites_on_air_total(self) -> int:
        return sum(self.sites_on_air.values())


def who_has_what() -> dict:
    """Per kecamatan: villages, sites on air per operator, access points, facilities, statuses.

    "On air" counts sites on air or degraded (still transmitting); access points count as
    active when active or degraded. Objects whose point lies in no village boundary (inside
    the regency's 0.02° margin) are counted in a separate row. Village statuses are the
    overall statuses of the status engine (no row means unknown).
    """
    operators = [value for value, _label in SITE_OPERATOR_CHOICES]
    summary = regency_summary()
    rows: dict[str, KecamatanRow] = {}
    for d in districts_qs().order_by("code"):
        rows[d.code] = KecamatanRow(
            code=d.code,
            name=d.name,
            villages=d.n_villages,
            sites_on_air=dict.fromkeys(operators, 0),
            village_statuses=dict(summary["per_kecamatan"].get(d.code, {})),
        )
    outside = KecamatanRow(code="", name="", sites_on_air=dict.fromkeys(operators, 0))

    def row_of(code):
        return rows.get(code, outside) if code else outside

    on_air = Site.objects.filter(status__in=SITE_ON_AIR)
    for item in on_air.values("village__district__code", "operator").annotate(n=Count("pk")):
        row_of(item["village__district__code"]).sites_on_air[item["operator"]] += item["n"]
    villages_on_air: dict[str, set] = defaultdict(set)
    for code, village_id in on_air.exclude(village=None).values_list(
        "village__district__code", "village_id"
    ):
        villages_on_air[code].add(village_id)
    for code, ids in villages_on_air.items():
        row_of(code).villages_with_site_on_air = len(ids)
    for item in AccessPoint.objects.values("village__district__code").annotate(
        total=Count("pk"), active=Count("pk", filter=Q(status__in=SERVICE_ACTIVE))
    ):
        row = row_of(item["village__district__code"])
        row.access_points, row.access_points_active = item["total"], item["active"]
    for item in Facility.objects.values("village__district__code").annotate(
        total=Count("pk"), yes=Count("pk", filter=Q(connected=ConnectedChoices.YES))
    ):
        row = row_of(item["village__district__code"])
        row.facilities, row.facilities_connected = item["total"], item["yes"]

    total = KecamatanRow(code="", name="", sites_on_air=dict.fromkeys(operators, 0))
    for row in [*rows.values(), outside]:
        total.villages += row.villages
        for op, n in row.sites_on_air.items():
            total.sites_on_air[op] += n
        total.villages_with_site_on_air += row.villages_with_site_on_air
        total.access_points += row.access_points
        total.access_points_active += row.access_points_active
        total.facilities += row.facilities
        total.facilities_connected += row.facilities_connected
    total.village_statuses = dict(summary["villages_by_status"])
    has_outside = outside.sites_on_air_total or outside.access_points or outside.facilities
    return {
        "operators": SITE_OPERATOR_CHOICES,
        "rows": list(rows.values()),
        "outside": outside if has_outside else None,
        "total": total,
    }

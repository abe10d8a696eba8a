"""Filters shared by the HTML village list and the API (one place, like NetBox filtersets)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jangkau.evidence.choices import ConnectivityStatusChoices
from jangkau.regions.models import Village


class InvalidFilter(ValueError):
    """A filter value that does not exist (e.g. an unknown status)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def filter_villages(
    queryset: QuerySet[Village] | None = None,
    *,
    kecamatan: str | None = None,
    status: str | None = None,
    q: str | None = None,
    remoteness_class: int | None = None,
) -> QuerySet[Village]:
    """Filter villages by kecamatan code, overall status, name/code search, remoteness class."""
    qs = queryset if queryset is not None else Village.objects.all()
    if kecamatan:
        qs = qs.filter(district__code=kecamatan)
    if status:
        if status not in ConnectivityStatusChoices.values:
            raise InvalidFilter(
                "status",
                f"unknown status {status!r}; one of {', '.join(ConnectivityStatusChoices.values)}",
            )
        from jangkau.evidence.models import VillageStatus

        if status == ConnectivityStatusChoices.UNKNOWN:
            # No overall status row at all also means unknown.
            known = [s for s in ConnectivityStatusChoices.values if s != status]
            qs = qs.exclude(
                pk__in=VillageStatus.objects.filter(operator="", status__in=known).values(
                    "village_id"
                )
            )
        else:
            qs = qs.filter(
                pk__in=VillageStatus.objects.filter(operator="", status=status).values("village_id")
            )
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    if remoteness_class:
        qs = qs.filter(remoteness_class=remoteness_class)
    return qs.distinct().order_by("code")

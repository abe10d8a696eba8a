"""Query helpers for region pages and the API: prefetches and summaries."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count

from jangkau.evidence.choices import ConnectivityStatusChoices
from jangkau.regions.models import District, Village


def villages_qs():
    """Villages with what their pages and lists need, in few queries."""
    return Village.objects.select_related("district").prefetch_related(
        "population_figures", "statuses"
    )


def districts_qs():
    return District.objects.annotate(n_villages=Count("villages")).prefetch_related(
        "population_figures"
    )


def status_of(village) -> str:
    for s in village.statuses.all():
        if s.operator == "":
            return s.status
    return ConnectivityStatusChoices.UNKNOWN


def regency_summary() -> dict:
    """Counts of villages and (estimated) people by overall status, regency-wide and per kecamatan.

    People are summed from each village's best population figure; the result says which
    qualities went into the sum, so an estimate is never shown as a count.
    """
    by_status = Counter()
    people = Counter()
    qualities = set()
    per_district: dict[str, Counter] = defaultdict(Counter)
    for v in villages_qs():
        status = status_of(v)
        by_status[status] += 1
        per_district[v.district.code][status] += 1
        pop = v.best_population()
        if pop is not None:
            people[status] += pop.value
            qualities.add(pop.quality)
    order = [c.value for c in ConnectivityStatusChoices]
    return {
        "villages_by_status": {s: by_status.get(s, 0) for s in order},
        "people_by_status": {s: people.get(s, 0) for s in order},
        "people_quality": sorted(qualities),
        "per_kecamatan": {k: {s: c.get(s, 0) for s in order} for k, c in per_district.items()},
        "total_villages": sum(by_status.values()),
    }

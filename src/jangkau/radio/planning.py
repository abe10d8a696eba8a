"""What the coverage app hands to planning: the saved proposed sites as plain data."""

from __future__ import annotations

from jangkau.radio.choices import ProposedSiteStatusChoices
from jangkau.radio.models import ProposedSite

PLANNING_STATUSES = (ProposedSiteStatusChoices.PROPOSED, ProposedSiteStatusChoices.ACCEPTED)


def proposed_site_dict(site: ProposedSite) -> dict:
    """One proposed site as plain data (JSON-ready)."""
    return {
        "id": site.pk,
        "name": site.name,
        "lat": site.lat,
        "lon": site.lon,
        "village": site.village.code if site.village_id else None,
        "antenna_height_m": site.antenna_height_m,
        "freq_mhz": site.freq_mhz,
        "eirp_dbm": site.eirp_dbm,
        "sectors": list(site.sectors or []),
        "omni": not site.sectors,
        "operator": site.operator,
        "status": site.status,
        "notes": site.notes,
        "created_by": site.created_by.get_username() if site.created_by_id else None,
        "created": site.created.isoformat(),
    }


def proposed_sites_for_planning(statuses=PLANNING_STATUSES) -> list[dict]:
    """Proposed and accepted sites (not rejected ones), oldest first, as plain dicts.

    Planning (e.g. the MCLP candidate list) takes these as candidate tower positions with the
    radio figures needed to predict their reach.
    """
    rows = (
        ProposedSite.objects.filter(status__in=list(statuses))
        .select_related("village", "created_by")
        .order_by("created", "pk")
    )
    return [proposed_site_dict(s) for s in rows]

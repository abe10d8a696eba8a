"""Thin page views of the inventory; data come from the filtersets and query helpers."""

from __future__ import annotations

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render

from jangkau.evidence.choices import STATUS_COLOURS, ConnectivityStatusChoices
from jangkau.inventory.choices import (
    OPERATOR_COLOURS,
    SITE_OPERATOR_CHOICES,
    ProgrammeChoices,
    SiteStatusChoices,
    TechnologyChoices,
)
from jangkau.inventory.filtersets import filter_sites
from jangkau.inventory.queries import links_qs, site_detail_qs, sites_qs, who_has_what
from jangkau.regions.filtersets import InvalidFilter
from jangkau.regions.models import District

SITE_FILTERS = ("operator", "status", "kecamatan", "technology", "programme", "q", "village")


def site_list(request):
    """The filtered site table (a full page, or the table alone for HTMX)."""
    filters = {name: request.GET.get(name) for name in SITE_FILTERS if request.GET.get(name)}
    try:
        sites = filter_sites(sites_qs(), **filters)
    except InvalidFilter as exc:
        return HttpResponseBadRequest(str(exc))
    template = "inventory/_site_table.html" if request.htmx else "inventory/site_list.html"
    return render(
        request,
        template,
        {
            "sites": sites,
            "filters": filters,
            "districts": District.objects.order_by("name"),
            "operators": SITE_OPERATOR_CHOICES,
            "statuses": SiteStatusChoices.choices,
            "technologies": TechnologyChoices.choices,
            "programmes": ProgrammeChoices.choices,
            "operator_colours": OPERATOR_COLOURS,
        },
    )


def site_detail(request, code: str):
    site = site_detail_qs().filter(code=code).first()
    if site is None:
        raise Http404(f"site {code} not found")
    history = sorted(site.status_changes.all(), key=lambda c: (c.changed_on, c.pk), reverse=True)
    links = links_qs().filter(endpoint_a=site) | links_qs().filter(endpoint_b=site)
    return render(
        request,
        "inventory/site_detail.html",
        {
            "site": site,
            "history": history,
            "links": links.order_by("code"),
            "operator_colour": OPERATOR_COLOURS.get(site.operator, OPERATOR_COLOURS["other"]),
        },
    )


def who_has_what_page(request):
    """Per kecamatan: villages, sites on air per operator, access points, facilities, statuses."""
    table = who_has_what()
    return render(
        request,
        "inventory/who_has_what.html",
        {
            **table,
            "statuses": list(ConnectivityStatusChoices),
            "colours": STATUS_COLOURS,
            "operator_colours": OPERATOR_COLOURS,
        },
    )

"""GeoJSON feature collections of the inventory layers, for the map (plain Django views).

Each view takes the same filters as the API list of its layer; an unknown filter value gives
the API's 422 error body.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from jangkau.inventory import filtersets
from jangkau.inventory.queries import access_points_qs, facilities_qs, links_qs, sites_qs
from jangkau.inventory.serializers import (
    access_point_feature,
    facility_feature,
    link_feature,
    site_feature,
)
from jangkau.regions.filtersets import InvalidFilter

_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}


def _collection(request, function, queryset, params: tuple[str, ...], feature):
    filters = {name: request.GET.get(name) for name in params if request.GET.get(name)}
    try:
        qs = function(queryset, **filters)
    except InvalidFilter as exc:
        return JsonResponse(
            {
                "error": {
                    "code": "invalid",
                    "message": str(exc),
                    "details": [{"field": exc.field, "message": str(exc)}],
                }
            },
            status=422,
        )
    response = JsonResponse(
        {"type": "FeatureCollection", "features": [feature(obj) for obj in qs]},
        json_dumps_params=_COMPACT,
        content_type="application/geo+json",
    )
    return response


@require_GET
def sites_geojson(request):
    """Sites as points, coloured by operator, with their status for the marker style."""
    return _collection(
        request,
        filtersets.filter_sites,
        sites_qs(),
        ("operator", "status", "village", "kecamatan", "technology", "programme", "q"),
        site_feature,
    )


@require_GET
def links_geojson(request):
    """Backhaul links as lines, coloured by kind."""
    return _collection(
        request,
        filtersets.filter_links,
        links_qs(),
        ("kind", "status", "site", "village", "kecamatan"),
        link_feature,
    )


@require_GET
def access_points_geojson(request):
    """Access points as points."""
    return _collection(
        request,
        filtersets.filter_access_points,
        access_points_qs(),
        ("kind", "status", "village", "kecamatan", "provider"),
        access_point_feature,
    )


@require_GET
def facilities_geojson(request):
    """Facilities as points, coloured by whether they are connected."""
    return _collection(
        request,
        filtersets.filter_facilities,
        facilities_qs(),
        ("kind", "connected", "connection_kind", "village", "kecamatan"),
        facility_feature,
    )

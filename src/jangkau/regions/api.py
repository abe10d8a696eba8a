"""Read API for regions: lists with filters, details, GeoJSON feature collections."""

from __future__ import annotations

from datetime import date

from django.http import Http404, JsonResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from jangkau.core.api import DEFAULT_LIMIT, paginate
from jangkau.core.choices import QualityChoices
from jangkau.core.permissions import require
from jangkau.evidence.choices import STATUS_COLOURS
from jangkau.regions.filtersets import InvalidFilter, filter_villages
from jangkau.regions.models import PopulationFigure, Regency, Village
from jangkau.regions.queries import districts_qs, regency_summary, status_of, villages_qs
from jangkau.regions.serializers import district_dict, population_dict, village_dict

router = Router(tags=["regions"])


def _filtered(kecamatan, status, q, remoteness_class):
    try:
        return filter_villages(
            villages_qs(),
            kecamatan=kecamatan,
            status=status,
            q=q,
            remoteness_class=remoteness_class,
        )
    except InvalidFilter as exc:
        raise HttpError(422, f"{exc.field}: {exc}") from exc


@router.get("/regency", summary="The regency: area, population, counts by status")
def regency(request):
    obj = Regency.objects.prefetch_related("population_figures").first()
    if obj is None:
        raise Http404("no regency loaded")
    return {
        "code": obj.code,
        "name": obj.name,
        "area_km2": obj.area_km2,
        "seat": {
            "name": obj.seat_name,
            "lat": obj.seat_lat,
            "lon": obj.seat_lon,
            "source": obj.seat_source,
        },
        "population": population_dict(obj.best_population()),
        "summary": regency_summary(),
    }


@router.get("/kecamatan", summary="List kecamatan")
def list_kecamatan(request, limit: int = DEFAULT_LIMIT, offset: int = 0):
    return paginate(request, districts_qs().order_by("code"), limit, offset, district_dict)


@router.get("/kecamatan/{code}", summary="One kecamatan")
def get_kecamatan(request, code: str):
    obj = districts_qs().filter(code=code).first()
    if obj is None:
        raise Http404(f"kecamatan {code} not found")
    summary = regency_summary()["per_kecamatan"].get(code, {})
    return district_dict(obj, summary)


@router.get("/villages", summary="List desa/kelurahan (filter by kecamatan, status, q)")
def list_villages(
    request,
    kecamatan: str | None = None,
    status: str | None = None,
    q: str | None = None,
    remoteness_class: int | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = _filtered(kecamatan, status, q, remoteness_class)
    return paginate(request, qs, limit, offset, village_dict)


@router.get("/villages/{code}", summary="One desa/kelurahan with every fact and its source")
def get_village(request, code: str):
    obj = villages_qs().filter(code=code).first()
    if obj is None:
        raise Http404(f"village {code} not found")
    return village_dict(obj, full=True)


def villages_geojson(request):
    """Village polygons (simplified for display unless ``?geometry=full``) with status colours."""
    full = request.GET.get("geometry") == "full"
    try:
        qs = filter_villages(
            villages_qs(),
            kecamatan=request.GET.get("kecamatan") or None,
            status=request.GET.get("status") or None,
            q=request.GET.get("q") or None,
        )
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
    features = []
    for v in qs:
        status = status_of(v)
        pop = v.best_population()
        features.append(
            {
                "type": "Feature",
                "id": v.code,
                "properties": {
                    "code": v.code,
                    "name": v.name,
                    "kind": v.kind,
                    "kec": v.district.code,
                    "kec_name": v.district.name,
                    "status": status,
                    "colour": STATUS_COLOURS[status],
                    "pop": pop.value if pop else None,
                    "pop_q": pop.quality if pop else None,
                    "rc": v.remoteness_class,
                },
                "geometry": v.boundary if full else v.boundary_display,
            }
        )
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
    )


def kecamatan_geojson(request):
    """Kecamatan outlines (simplified) for the map."""
    features = [
        {
            "type": "Feature",
            "id": d.code,
            "properties": {"code": d.code, "name": d.name},
            "geometry": d.boundary_display,
        }
        for d in districts_qs().order_by("code")
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
    )


class PopulationIn(Schema):
    """A population figure for a village, with its provenance."""

    year: int = Field(..., ge=1900, le=2100)
    value: int = Field(..., ge=0, le=10_000_000)
    source: str = Field(..., min_length=3, max_length=300)
    source_url: str = Field("", max_length=2000)
    quality: QualityChoices = QualityChoices.OFFICIAL
    as_of: date | None = None
    method: str = Field("", max_length=2000)


@router.post(
    "/villages/{code}/population",
    auth=django_auth,
    response={201: dict},
    summary="Add a population figure to a village (admin, planner)",
)
def add_village_population(request, code: str, payload: PopulationIn):
    require(request.user, "regions.population.add", village_code=code)
    village = Village.objects.filter(code=code).first()
    if village is None:
        raise Http404(f"village {code} not found")
    if PopulationFigure.objects.filter(
        village=village, year=payload.year, source=payload.source
    ).exists():
        raise HttpError(409, f"{payload.source!r} already gives a {payload.year} figure for {code}")
    figure = PopulationFigure.objects.create(
        village=village,
        year=payload.year,
        value=payload.value,
        source=payload.source,
        source_url=payload.source_url,
        quality=payload.quality,
        as_of=payload.as_of or date(payload.year, 7, 1),
        method=payload.method,
    )
    return Status(201, population_dict(figure))

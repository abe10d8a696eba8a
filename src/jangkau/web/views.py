"""Thin page views; data come from the regions/evidence query helpers."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render

from jangkau.core.models import TaskProgress
from jangkau.evidence.choices import STATUS_COLOURS, ConnectivityStatusChoices
from jangkau.evidence.models import Evidence, VillageStatusChange
from jangkau.regions.filtersets import InvalidFilter, filter_villages
from jangkau.regions.models import District, Island, Regency, RegionFact
from jangkau.regions.queries import districts_qs, regency_summary, status_of, villages_qs

DATA_SOURCES_DOC = settings.PACKAGE_DIR / "data" / "kutim" / "SOURCES.md"


def _legend():
    return [(c.value, c.label, STATUS_COLOURS[c]) for c in reversed(ConnectivityStatusChoices)]


def home(request):
    regency = Regency.objects.prefetch_related("population_figures").first()
    return render(
        request,
        "web/home.html",
        {
            "regency": regency,
            "population": regency.best_population() if regency else None,
            "summary": regency_summary() if regency else None,
            "districts": District.objects.order_by("name"),
            "legend": _legend(),
            "statuses": list(ConnectivityStatusChoices),
        },
    )


def village_list(request):
    """The filtered village table (a full page, or the table alone for HTMX)."""
    try:
        villages = filter_villages(
            villages_qs(),
            kecamatan=request.GET.get("kecamatan") or None,
            status=request.GET.get("status") or None,
            q=request.GET.get("q") or None,
        )
    except InvalidFilter as exc:
        return HttpResponseBadRequest(str(exc))
    rows = [(v, status_of(v), v.best_population()) for v in villages]
    template = "web/_village_table.html" if request.htmx else "web/village_list.html"
    return render(
        request,
        template,
        {
            "rows": rows,
            "districts": District.objects.order_by("name"),
            "statuses": list(ConnectivityStatusChoices),
            "colours": STATUS_COLOURS,
        },
    )


def village_detail(request, code: str):
    village = villages_qs().filter(code=code).first()
    if village is None:
        raise Http404(f"village {code} not found")
    statuses = sorted(village.statuses.all(), key=lambda s: (s.operator != "", s.operator))
    overall = next((s for s in statuses if s.operator == ""), None)
    return render(
        request,
        "web/village_detail.html",
        {
            "village": village,
            "population": village.best_population(),
            "population_figures": sorted(village.population_figures.all(), key=lambda f: -f.year),
            "overall": overall,
            "status": overall.status if overall else ConnectivityStatusChoices.UNKNOWN,
            "operator_statuses": [s for s in statuses if s.operator],
            "evidence": Evidence.objects.filter(village=village).order_by("-as_of", "key"),
            "changes": VillageStatusChange.objects.filter(village=village).order_by("-changed_at")[
                :50
            ],
            "neighbours": village.neighbours(),
            "islands": Island.objects.filter(village=village),
            "facts": RegionFact.objects.filter(region_code=village.code),
            "colours": STATUS_COLOURS,
        },
    )


def district_detail(request, code: str):
    district = get_object_or_404(districts_qs(), code=code)
    villages = villages_qs().filter(district=district).order_by("code")
    rows = [(v, status_of(v), v.best_population()) for v in villages]
    return render(
        request,
        "web/district_detail.html",
        {
            "district": district,
            "population": district.best_population(),
            "population_figures": sorted(district.population_figures.all(), key=lambda f: -f.year),
            "rows": rows,
            "facts": RegionFact.objects.filter(region_code=district.code),
            "colours": STATUS_COLOURS,
        },
    )


def regency_summary_page(request):
    regency = Regency.objects.prefetch_related("population_figures").first()
    summary = regency_summary()
    districts = list(districts_qs().order_by("code"))
    rows = [(d, d.best_population(), summary["per_kecamatan"].get(d.code, {})) for d in districts]
    return render(
        request,
        "web/regency_summary.html",
        {
            "regency": regency,
            "population": regency.best_population() if regency else None,
            "summary": summary,
            "rows": rows,
            "statuses": list(ConnectivityStatusChoices),
            "colours": STATUS_COLOURS,
            "facts": RegionFact.objects.filter(
                region_code__in=[regency.code if regency else "", "64"]
            ),
        },
    )


def about_data(request):
    return render(
        request,
        "web/about_data.html",
        {
            "facts": RegionFact.objects.order_by("region_code", "key"),
            "islands": Island.objects.order_by("code"),
        },
    )


def task_progress(request, pk: int):
    progress = get_object_or_404(TaskProgress, pk=pk)
    return render(request, "web/_task_progress.html", {"progress": progress})

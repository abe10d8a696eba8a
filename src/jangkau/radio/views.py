"""Thin pages of the coverage app: the coverage map, runs, proposed sites and their images.

Rules live in :mod:`jangkau.radio.engine`, :mod:`jangkau.radio.whatif` and the permissions
module; these views only check who may act, call them and render.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jangkau.core.permissions import can, require
from jangkau.evidence.choices import STATUS_COLOURS, OperatorChoices
from jangkau.radio import whatif
from jangkau.radio.choices import ProposedSiteStatusChoices, RunStateChoices
from jangkau.radio.engine import RunRefused, latest_run
from jangkau.radio.forms import ProposedSiteForm, RunForm
from jangkau.radio.models import CoverageRun, ProposedSite, Terrain, VillageCoverage
from jangkau.radio.serializers import whatif_dict
from jangkau.radio.tasks import request_run

FOOTPRINT_KEY = re.compile(r"^[0-9a-f]{64}$")


def _terrain_warning(run: CoverageRun | None) -> dict | None:
    """What the coarse-terrain banner says, or None when a fine DEM is in use."""
    active = Terrain.active_terrain()
    if run is not None:
        if not run.terrain_is_coarse:
            return None
        flat = run.uses_flat_earth
        name = run.terrain_label
    else:
        if active is not None and not active.is_coarse:
            return None
        flat = active is None
        name = active.name if active else ""
    return {"flat": flat, "name": name, "resolution_m": active.resolution_m if active else None}


def _village_rows(run: CoverageRun | None):
    if run is None:
        return []
    from jangkau.regions.queries import status_of

    rows = (
        VillageCoverage.objects.filter(run=run, operator="")
        .select_related("run", "village__district")
        .prefetch_related("village__statuses")
        .order_by("village__code")
    )
    return [(row, status_of(row.village)) for row in rows]


def _page_context(request, run=None, run_form=None, site_form=None, result=None):
    run = run or latest_run(include_proposed=False) or latest_run()
    pending = (
        CoverageRun.objects.filter(state__in=[RunStateChoices.QUEUED, RunStateChoices.RUNNING])
        .order_by("-requested_at")
        .first()
    )
    can_run = can(request.user, "coverage.run")
    can_propose = can(request.user, "coverage.propose")
    proposals = []
    if request.user.is_authenticated:
        proposals = list(
            ProposedSite.objects.select_related("village", "created_by").order_by("-created")[:50]
        )
    return {
        "run": run,
        "pending": pending,
        "warning": _terrain_warning(run),
        "village_rows": _village_rows(run),
        "colours": STATUS_COLOURS,
        "can_run": can_run,
        "can_propose": can_propose,
        "run_form": run_form or (RunForm.with_defaults() if can_run else None),
        "site_form": site_form or (ProposedSiteForm() if can_propose else None),
        "proposals": proposals,
        "result": result,
        "terrains": Terrain.objects.order_by("-active", "name"),
    }


@require_GET
def coverage_page(request):
    """The coverage map with the latest run, the village table, runs and proposals."""
    run = None
    if request.GET.get("run"):
        try:
            run = CoverageRun.objects.filter(pk=int(request.GET["run"]), state="done").first()
        except ValueError:
            run = None
    return render(request, "radio/coverage.html", _page_context(request, run=run))


@require_POST
def run_create(request):
    """Start (or reuse) a run; planners only. HTMX gets the progress partial."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("radio:coverage"))
    require(request.user, "coverage.run")
    form = RunForm.with_defaults(request.POST)
    if not form.is_valid():
        if request.htmx:
            return render(request, "radio/_form_errors.html", {"form": form})
        context = _page_context(request, run_form=form)
        return render(request, "radio/coverage.html", context, status=422)
    try:
        run, queued = request_run(form.to_options(), request.user)
    except RunRefused as exc:
        form.add_error("resolution_m", str(exc))
        if request.htmx:
            return render(request, "radio/_form_errors.html", {"form": form})
        return render(
            request, "radio/coverage.html", _page_context(request, run_form=form), status=422
        )
    if request.htmx:
        response = render(request, "radio/_run_status.html", {"pending": run, "cached": not queued})
        if run.is_done:
            response["HX-Refresh"] = "true"
        return response
    if queued:
        messages.info(request, _("Coverage run #%(n)s queued.") % {"n": run.pk})
    else:
        messages.info(
            request,
            _("The same inputs were computed before: run #%(n)s is reused.") % {"n": run.pk},
        )
    return redirect("radio:coverage")


@require_GET
def run_status(request, pk: int):
    """The progress partial polled by HTMX; a finished run reloads the page."""
    run = get_object_or_404(CoverageRun.objects.select_related("progress"), pk=pk)
    response = render(request, "radio/_run_status.html", {"pending": run})
    if request.htmx and run.state == RunStateChoices.DONE and request.GET.get("poll"):
        response["HX-Refresh"] = "true"
    return response


@require_GET
def run_detail(request, pk: int):
    run = get_object_or_404(CoverageRun, pk=pk)
    context = _page_context(request, run=run if run.is_done else None)
    context["detail_run"] = run
    operator_rows = (
        VillageCoverage.objects.filter(run=run)
        .exclude(operator="")
        .select_related("village")
        .order_by("village__code", "operator")
    )
    context["operator_rows"] = operator_rows
    context["operator_labels"] = dict(OperatorChoices.choices)
    return render(request, "radio/run_detail.html", context)


def _data_file(relative: str) -> Path:
    if not relative:
        raise Http404("not computed")
    path = (Path(settings.DATA_DIR) / relative).resolve()
    if not path.is_relative_to(Path(settings.DATA_DIR).resolve()) or not path.exists():
        raise Http404("file not found")
    return path


@require_GET
def run_overlay(request, pk: int):
    run = get_object_or_404(CoverageRun, pk=pk, state=RunStateChoices.DONE)
    response = FileResponse(open(_data_file(run.png_path), "rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def run_geotiff(request, pk: int):
    run = get_object_or_404(CoverageRun, pk=pk, state=RunStateChoices.DONE)
    return FileResponse(
        open(_data_file(run.geotiff_path), "rb"),
        content_type="image/tiff",
        as_attachment=True,
        filename=f"jangkau-coverage-run-{run.pk}.tif",
    )


@require_GET
def footprint_overlay(request, key: str):
    if not FOOTPRINT_KEY.match(key):
        raise Http404("no such footprint")
    path = _data_file(f"coverage/footprints/{key}.png")
    response = FileResponse(open(path, "rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_http_methods(["POST"])
def proposed_create(request):
    """Save a proposed site and show what it would add (HTMX: the result partial)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("radio:coverage"))
    require(request.user, "coverage.propose")
    form = ProposedSiteForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return render(request, "radio/_whatif.html", {"site_form": form, "can_propose": True})
        return render(
            request, "radio/coverage.html", _page_context(request, site_form=form), status=422
        )
    site = form.save(commit=False)
    site.created_by = request.user
    site.save()
    if request.htmx:
        result = whatif_dict(whatif.assess(site))
        return render(
            request,
            "radio/_whatif.html",
            {"site_form": ProposedSiteForm(), "can_propose": True, "site": site, "result": result},
        )
    return redirect("radio:proposed-detail", pk=site.pk)


@login_required
@require_GET
def proposed_detail(request, pk: int):
    site = get_object_or_404(ProposedSite.objects.select_related("village", "created_by"), pk=pk)
    result = whatif_dict(whatif.assess(site))
    return render(
        request,
        "radio/proposed_detail.html",
        {
            "site": site,
            "result": result,
            "can_decide": can(request.user, "coverage.decide"),
            "statuses": ProposedSiteStatusChoices.choices,
            "warning": _terrain_warning(None) if result["terrain_is_coarse"] else None,
        },
    )


@login_required
@require_POST
def proposed_decide(request, pk: int):
    site = get_object_or_404(ProposedSite, pk=pk)
    if not can(request.user, "coverage.decide"):
        raise PermissionDenied("not allowed: coverage.decide")
    status = request.POST.get("status", "")
    if status not in ProposedSiteStatusChoices.values:
        return HttpResponse(_("Unknown status."), status=422)
    site.status = status
    site.save(update_fields=["status", "updated"])
    messages.info(
        request,
        _("Proposed site %(name)s is now %(status)s.")
        % {"name": site.name, "status": site.get_status_display()},
    )
    return redirect("radio:proposed-detail", pk=site.pk)

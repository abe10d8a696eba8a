"""Thin pages of the planning app: scenarios, results, comparisons, exports and cost tables.

Who may do what is decided by :mod:`jangkau.core.permissions` (``planning.view``,
``planning.run``, ``planning.costs.edit``); the work is done by :mod:`.services`,
:mod:`.presenters` and :mod:`.exports`.
"""

from __future__ import annotations

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jangkau.core.permissions import can, require
from jangkau.planning import exports
from jangkau.planning.choices import SCENARIO_BUSY, ResultKindChoices
from jangkau.planning.costs import default_cost_table
from jangkau.planning.forms import (
    CostItemFormSet,
    CostTableForm,
    ScenarioForm,
    cost_item_initial,
    save_cost_edit,
)
from jangkau.planning.models import CostTable, PlanResult, Scenario
from jangkau.planning.presenters import result_context
from jangkau.planning.services import compare as compare_scenarios
from jangkau.planning.tasks import ScenarioBusy, enqueue_pdf, enqueue_run


def needs(action: str):
    """Log in first (redirect), then hold the permission for ``action`` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _result_page_context(request, result: PlanResult | None) -> dict:
    context = {
        "can_run": can(request.user, "planning.run"),
        "chromium": exports.chromium_path() is not None,
    }
    if result is not None:
        context.update(result_context(result))
    return context


# ---- scenarios -------------------------------------------------------------------------------


@require_GET
@needs("planning.view")
def scenario_list(request):
    scenarios = list(Scenario.objects.select_related("cost_table", "created_by"))
    latest = {}
    for result in PlanResult.objects.filter(kind=ResultKindChoices.MAIN).order_by("created", "pk"):
        latest[result.scenario_id] = result
    return render(
        request,
        "planning/scenario_list.html",
        {
            "rows": [(s, latest.get(s.pk)) for s in scenarios],
            "can_run": can(request.user, "planning.run"),
            "can_edit_costs": can(request.user, "planning.costs.edit"),
        },
    )


@require_http_methods(["GET", "POST"])
@needs("planning.run")
def scenario_create(request):
    scenario = Scenario(cost_table=default_cost_table(), created_by=request.user)
    form = ScenarioForm(request.POST or None, instance=scenario)
    if request.method == "POST" and form.is_valid():
        scenario = form.save()
        messages.success(request, _("Scenario saved. Run it to get a plan."))
        return redirect("planning:scenario-detail", pk=scenario.pk)
    return render(request, "planning/scenario_form.html", {"form": form, "scenario": None})


@require_http_methods(["GET", "POST"])
@needs("planning.run")
def scenario_edit(request, pk: int):
    scenario = get_object_or_404(Scenario, pk=pk)
    if scenario.state in SCENARIO_BUSY:
        messages.error(request, _("The scenario is being solved; change it afterwards."))
        return redirect("planning:scenario-detail", pk=pk)
    form = ScenarioForm(request.POST or None, instance=scenario)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Scenario saved. Earlier results keep the inputs they used."))
        return redirect("planning:scenario-detail", pk=pk)
    return render(request, "planning/scenario_form.html", {"form": form, "scenario": scenario})


@require_GET
@needs("planning.view")
def scenario_detail(request, pk: int):
    scenario = get_object_or_404(Scenario.objects.select_related("cost_table", "progress"), pk=pk)
    result = scenario.latest_result()
    context = _result_page_context(request, result)
    context.update(
        scenario=scenario,
        history=scenario.results.filter(kind=ResultKindChoices.MAIN).select_related("cost_table"),
        busy=scenario.state in SCENARIO_BUSY,
    )
    return render(request, "planning/scenario_detail.html", context)


@require_POST
@needs("planning.run")
def scenario_run(request, pk: int):
    scenario = get_object_or_404(Scenario, pk=pk)
    try:
        enqueue_run(scenario, request.user)
    except ScenarioBusy:
        messages.error(request, _("This scenario is already being solved."))
    return redirect("planning:scenario-detail", pk=pk)


@require_GET
@needs("planning.view")
def scenario_progress(request, pk: int):
    """The progress partial polled by HTMX; reloads the page once the run has finished."""
    scenario = get_object_or_404(Scenario.objects.select_related("progress"), pk=pk)
    response = render(
        request,
        "planning/_progress.html",
        {"scenario": scenario, "progress": scenario.progress, "poll_url": request.path},
    )
    if scenario.state not in SCENARIO_BUSY and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@require_GET
@needs("planning.view")
def compare(request):
    scenarios = list(Scenario.objects.order_by("name", "pk"))
    context = {"scenarios": scenarios, "comparison": None}
    a, b = request.GET.get("a"), request.GET.get("b")
    if a and b:
        if not (a.isdigit() and b.isdigit()):
            raise Http404("scenario ids are numbers")
        first = get_object_or_404(Scenario, pk=int(a))
        second = get_object_or_404(Scenario, pk=int(b))
        context["comparison"] = compare_scenarios(first, second)
    return render(request, "planning/compare.html", context)


# ---- results and exports ---------------------------------------------------------------------


def _main_result(pk: int) -> PlanResult:
    return get_object_or_404(
        PlanResult.objects.select_related("scenario", "cost_table"),
        pk=pk,
        kind=ResultKindChoices.MAIN,
    )


@require_GET
@needs("planning.view")
def result_detail(request, pk: int):
    result = _main_result(pk)
    context = _result_page_context(request, result)
    context.update(scenario=result.scenario, history=None, busy=False, older=True)
    return render(request, "planning/scenario_detail.html", context)


@require_GET
@needs("planning.view")
def result_geojson(request, pk: int):
    body = exports.geojson(_main_result(pk))
    return JsonResponse(body, content_type="application/geo+json")


@require_GET
@needs("planning.view")
def result_csv(request, pk: int):
    result = _main_result(pk)
    response = HttpResponse(exports.csv_text(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(result, "csv")}"'
    return response


@require_GET
@needs("planning.view")
def result_download_geojson(request, pk: int):
    result = _main_result(pk)
    response = HttpResponse(
        json.dumps(exports.geojson(result), ensure_ascii=False),
        content_type="application/geo+json",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(result, "geojson")}"'
    )
    return response


@require_GET
@needs("planning.view")
def result_xlsx(request, pk: int):
    result = _main_result(pk)
    try:
        content = exports.xlsx_bytes(result)
    except ImportError:
        return HttpResponse(
            _("The spreadsheet export needs openpyxl, which is not installed."), status=501
        )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(result, "xlsx")}"'
    return response


@require_GET
@needs("planning.view")
def result_report(request, pk: int):
    """The printable report, in Bahasa Indonesia unless ``?lang=en``."""
    language = "en" if request.GET.get("lang") == "en" else "id"
    return HttpResponse(exports.render_report(_main_result(pk), language))


@require_http_methods(["GET", "POST"])
@needs("planning.view")
def result_pdf(request, pk: int):
    """GET: the PDF when it has been printed. POST (planner): print it in the background."""
    result = _main_result(pk)
    if request.method == "POST":
        require(request.user, "planning.run")
        if exports.chromium_path() is None:
            messages.error(
                request,
                _(
                    "Chromium is not installed on the server: open the printable report and "
                    "print it to PDF from your browser."
                ),
            )
        else:
            enqueue_pdf(result)
        return redirect(f"{result_url(result)}#exports")
    path = result.pdf_file()
    if path is None:
        raise Http404(_("The PDF has not been printed yet."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=exports.filename(result, "pdf"),
        content_type="application/pdf",
    )


@require_GET
@needs("planning.view")
def result_pdf_progress(request, pk: int):
    result = _main_result(pk)
    return render(request, "planning/_pdf_status.html", {"result": result})


def result_url(result: PlanResult) -> str:
    from django.urls import reverse

    latest = result.scenario.latest_result()
    if latest is not None and latest.pk == result.pk:
        return reverse("planning:scenario-detail", args=[result.scenario_id])
    return reverse("planning:result-detail", args=[result.pk])


# ---- cost tables -----------------------------------------------------------------------------


@require_GET
@needs("planning.view")
def cost_table_list(request):
    default_cost_table()
    return render(
        request,
        "planning/cost_table_list.html",
        {
            "tables": CostTable.objects.select_related("based_on", "created_by"),
            "can_edit": can(request.user, "planning.costs.edit"),
        },
    )


@require_GET
@needs("planning.view")
def cost_table_detail(request, version: int):
    table = get_object_or_404(CostTable, version=version)
    return render(
        request,
        "planning/cost_table_detail.html",
        {
            "table": table,
            "items": table.items.order_by("pk"),
            "used_by": PlanResult.objects.filter(cost_table=table, kind=ResultKindChoices.MAIN)
            .select_related("scenario")
            .order_by("-created")[:20],
            "can_edit": can(request.user, "planning.costs.edit"),
        },
    )


@require_http_methods(["GET", "POST"])
@needs("planning.costs.edit")
def cost_table_edit(request, version: int):
    """Edit a table: saving always creates a new version; the base stays as it was."""
    base = get_object_or_404(CostTable, version=version)
    initial = cost_item_initial(base)
    if request.method == "POST":
        form = CostTableForm(request.POST)
        formset = CostItemFormSet(request.POST, initial=initial, prefix="items")
        if form.is_valid() and formset.is_valid():
            table = save_cost_edit(base, form, formset, request.user)
            messages.success(
                request,
                _("Saved as version %(new)s; version %(old)s is unchanged.")
                % {"new": table.version, "old": base.version},
            )
            return redirect("planning:cost-table-detail", version=table.version)
    else:
        edited = _("edited")
        form = CostTableForm(
            initial={"name": f"{base.name} ({edited})", "make_default": base.is_default}
        )
        formset = CostItemFormSet(initial=initial, prefix="items")
    return render(
        request,
        "planning/cost_table_form.html",
        {"base": base, "form": form, "formset": formset},
    )

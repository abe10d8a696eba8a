"""Pages of Lapor Sinyal: the public report form, the location lookup, the reference check and
the moderation queue. Thin: the rules are in :mod:`jangkau.reports.services`."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jangkau.core.ratelimit import client_address
from jangkau.evidence.choices import STATUS_COLOURS
from jangkau.reports import services
from jangkau.reports.choices import ChannelChoices, ReportStateChoices
from jangkau.reports.forms import (
    CitizenReportForm,
    DecisionForm,
    LocationForm,
    VillageCorrectionForm,
)
from jangkau.reports.guards import limit_form_body
from jangkau.reports.models import CitizenReport, ModerationDecision, VillageCorrection

#: pending reports shown at once in the moderation queue (the oldest first).
QUEUE_PAGE = 100
#: recently decided reports shown below the queue (a decision can be reversed there).
RECENT_DECISIONS = 20
#: the window in which repeated reports from one sender are counted for moderators.
SENDER_WINDOW = timedelta(days=7)


def _form_page(request, form, *, location=None, status=200, retry_after=None):
    return render(
        request,
        "reports/report_form.html",
        {
            "form": form,
            "location": location or _location_context(form, field_errors=False),
            "retry_after": retry_after,
        },
        status=status,
    )


def _location_context(form, *, field_errors: bool = True) -> dict:
    """What the "village found" box shows: the village, or why there is none.

    On the full form the latitude/longitude errors are already shown under their fields.
    """
    if not form.is_bound:
        return {"village": None, "errors": []}
    errors = list(form.non_field_errors())
    for name in ("latitude", "longitude") if field_errors else ():
        errors += [f"{form.fields[name].label}: {e}" for e in form.errors.get(name, [])]
    return {"village": form.village, "errors": errors}


@limit_form_body()
@require_http_methods(["GET", "POST"])
def report_form(request):
    """The public form. Without JavaScript, "Check location" shows the village before sending."""
    if request.method == "GET":
        return _form_page(request, CitizenReportForm())
    if "check" in request.POST:
        location = LocationForm(request.POST)
        location.is_valid()
        initial = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        return _form_page(
            request, CitizenReportForm(initial=initial), location=_location_context(location)
        )
    form = CitizenReportForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=422)
    allowed, retry_after = services.allow_submission(request)
    if not allowed:
        response = _form_page(request, form, status=429, retry_after=max(1, -(-retry_after // 60)))
        response["Retry-After"] = str(retry_after)
        return response
    filed = services.file_report(form, address=client_address(request), channel=ChannelChoices.WEB)
    return HttpResponseRedirect(reverse("reports:check", args=[filed.reference]) + "?baru=1")


@require_GET
def locate(request):
    """The village at ``?latitude=&longitude=``, as the HTML snippet the form shows."""
    form = LocationForm(request.GET)
    if not request.GET.get("latitude") and not request.GET.get("longitude"):
        context = {"village": None, "errors": []}
    else:
        form.is_valid()
        context = _location_context(form)
    return render(request, "reports/_village_found.html", {"location": context})


@require_GET
def check_lookup(request):
    """A box to type a reference code; ``?kode=`` goes to the report's page."""
    typed = request.GET.get("kode", "").strip()
    if typed:
        reference = services.normalise_reference(typed)
        if services.is_reference(reference):
            return redirect("reports:check", reference=reference)
        return _check_lookup_page(request, typed, _("A reference code has 8 letters and digits."))
    return _check_lookup_page(request, "", "")


def _check_lookup_page(request, typed: str, error: str, status: int = 200):
    return render(
        request, "reports/check_lookup.html", {"typed": typed, "error": error}, status=status
    )


@require_GET
def check(request, reference: str):
    """The state of one report: no location, note or anything else the reporter typed."""
    report = services.find_report(reference)
    if report is None:
        return _check_lookup_page(
            request, reference, _("There is no report with this code."), status=404
        )
    if report.reference != reference:
        return redirect("reports:check", reference=report.reference)
    return render(
        request,
        "reports/check.html",
        {
            "report": report,
            "decided": report.decisions.only("decided_at", "state").first(),
            "new": "baru" in request.GET,
        },
    )


@login_required
@require_GET
def moderation_queue(request):
    """Pending reports the user may moderate (oldest first), and recent decisions."""
    if not services.may_moderate_any(request.user):
        raise PermissionDenied(_("You may not moderate citizen reports."))
    reports = services.reports_for(request.user)
    pending_qs = reports.filter(state=ReportStateChoices.PENDING).order_by("submitted_at", "pk")
    pending = list(pending_qs.prefetch_related(_corrections())[:QUEUE_PAGE])
    decisions = Prefetch(
        "decisions", queryset=ModerationDecision.objects.select_related("moderator")
    )
    recent = list(
        reports.exclude(state=ReportStateChoices.PENDING)
        .annotate(last_decided=Max("decisions__decided_at"))
        .prefetch_related(decisions, _corrections())
        .order_by("-last_decided", "pk")[:RECENT_DECISIONS]
    )
    return render(
        request,
        "reports/moderation_queue.html",
        {
            "pending": pending,
            "pending_total": pending_qs.count(),
            "recent": recent,
            "sender_counts": _sender_counts(pending),
            "colours": STATUS_COLOURS,
            "village_choices": services.moderated_villages(request.user),
        },
    )


def _corrections() -> Prefetch:
    return Prefetch(
        "village_corrections",
        queryset=VillageCorrection.objects.select_related(
            "moderator", "previous_village", "village"
        ),
    )


def _sender_counts(reports) -> dict[str, int]:
    """Reports per sender in the last week, for the senders of ``reports``."""
    senders = {r.sender for r in reports if r.sender}
    since = timezone.now() - SENDER_WINDOW
    counts = Counter(
        CitizenReport.objects.filter(sender__in=senders, submitted_at__gte=since)
        .values_list("sender", flat=True)
        .iterator()
    )
    return dict(counts)


def _report_to_moderate(request, reference: str) -> CitizenReport:
    """The report named in the URL, if ``request.user`` may moderate it (else 404 or 403)."""
    report = get_object_or_404(
        CitizenReport.objects.select_related("village__district"), reference=reference
    )
    if not services.may_moderate(request.user, report):
        raise PermissionDenied(_("You may not moderate the reports of this village."))
    return report


def _form_error(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _moderation_reply(request, report: CitizenReport, error: str, done: str, success: str):
    """HTMX: the report's card again (with ``error`` or the ``done`` notice); else back to the
    queue with a message."""
    if request.htmx:
        report = CitizenReport.objects.select_related("village__district").get(pk=report.pk)
        return render(
            request,
            "reports/_moderation_item.html",
            {
                "report": report,
                "error": error,
                done: not error,
                "colours": STATUS_COLOURS,
                "sender_counts": {},
            },
        )
    if error:
        messages.error(request, f"{report.reference}: {error}")
    else:
        messages.success(request, success)
    return redirect("reports:moderation")


@login_required
@require_POST
def moderate(request, reference: str):
    """Approve or reject one report (POST + CSRF); HTMX gets the report's new row back."""
    report = _report_to_moderate(request, reference)
    form = DecisionForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.decide(
                report, request.user, form.cleaned_data["decision"], form.cleaned_data["reason"]
            )
        except services.DecisionRefused as exc:
            error = str(exc)
    else:
        error = _form_error(form)
    success = _("Report %(reference)s is now %(state)s.") % {
        "reference": report.reference,
        "state": report.get_state_display(),
    }
    return _moderation_reply(request, report, error, "decided_now", success)


@login_required
@require_POST
def correct_village(request, reference: str):
    """Move one report to another village (POST + CSRF); HTMX gets the report's row back."""
    report = _report_to_moderate(request, reference)
    form = VillageCorrectionForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.correct_village(
                report, request.user, form.cleaned_data["village"], form.cleaned_data["reason"]
            )
        except services.CorrectionRefused as exc:
            error = str(exc)
        except PermissionDenied:
            error = _("You may not moderate the reports of %(village)s.") % {
                "village": form.cleaned_data["village"].name
            }
    else:
        error = _form_error(form)
    success = _("Report %(reference)s now belongs to %(village)s.") % {
        "reference": report.reference,
        "village": report.village.name,
    }
    return _moderation_reply(request, report, error, "corrected_now", success)

"""Filing, finding and moderating citizen reports: the rules behind the pages and the API.

Views and API operations stay thin and call these functions, so the web form and the API apply
the same protections, and every write is checked by :func:`jangkau.core.permissions.require`.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from jangkau.core.choices import QualityChoices
from jangkau.core.models import TaskProgress
from jangkau.core.permissions import can, require, village_codes_of
from jangkau.core.ratelimit import client_address, hit
from jangkau.cores.status import status_from_citizen_answer
from jangkau.evidence.choices import EvidenceKindChoices
from jangkau.evidence.models import Evidence
from jangkau.evidence.tasks import enqueue_recompute
from jangkau.regions.models import Village
from jangkau.reports.choices import DecisionChoices, ReportStateChoices
from jangkau.reports.limits import DEFAULT_REPORTS_PER_CLIENT_PER_HOUR
from jangkau.reports.locate import distance_to_village_m
from jangkau.reports.models import CitizenReport, ModerationDecision, VillageCorrection

logger = logging.getLogger("jangkau.reports")

#: the permission action of moderation (``jangkau.core.permissions.RULES``).
MODERATE = "reports.moderate"

#: reference codes: no 0/O, 1/I/L, so a code read out over a bad phone line survives.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: 31^8 ≈ 8.5 · 10^11 codes (39.6 bits): guessing one of even 10^5 reports takes ~10^7 tries.
REFERENCE_LENGTH = 8

#: the source text of evidence made from an approved report.
EVIDENCE_SOURCE = "Lapor Sinyal citizen report (approved by a moderator)"


# --- reference codes -------------------------------------------------------------------------


def new_reference() -> str:
    """A fresh random reference code (not checked against the database)."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _position in range(REFERENCE_LENGTH))


def normalise_reference(text: str) -> str:
    """A reference as typed (lower case, spaces, a hyphen) in its stored form."""
    return "".join(ch for ch in str(text).upper() if ch not in " -\t")


def is_reference(text: str) -> bool:
    """Whether ``text`` (normalised) can be a reference code at all."""
    return len(text) == REFERENCE_LENGTH and all(ch in REFERENCE_ALPHABET for ch in text)


def find_report(reference: str) -> CitizenReport | None:
    """The report with this reference (as typed), or None."""
    code = normalise_reference(reference)
    if not is_reference(code):
        return None
    return CitizenReport.objects.select_related("village__district").filter(reference=code).first()


# --- filing ----------------------------------------------------------------------------------


def sender_tag(address: str) -> str:
    """A keyed hash of a client address: equal for one client, useless for finding it."""
    return salted_hmac("jangkau.reports.sender", address).hexdigest()[:12]


def reports_per_client_per_hour() -> int:
    return int(
        getattr(
            settings, "JANGKAU_REPORTS_PER_CLIENT_PER_HOUR", DEFAULT_REPORTS_PER_CLIENT_PER_HOUR
        )
    )


def allow_submission(request) -> tuple[bool, int]:
    """Count one report from this client; return (allowed, seconds until the hour resets).

    On top of the project-wide limit on anonymous writes (``RateLimitMiddleware``), which
    counts every POST, this one counts only well-formed reports, from anyone, web and API alike.
    """
    if not settings.JANGKAU_RATELIMIT_ENABLED:
        return True, 0
    return hit(f"reports:{client_address(request)}", reports_per_client_per_hour(), 3600)


@dataclass(frozen=True)
class Filed:
    """The outcome of filing: the reference to give back, and the report (None if trapped)."""

    reference: str
    report: CitizenReport | None


def file_report(form, *, address: str, channel: str) -> Filed:
    """Store the report of a valid :class:`~jangkau.reports.forms.CitizenReportForm`.

    A filled honeypot stores nothing, logs a warning and still returns a reference, so that the
    bot sees what a person would see.
    """
    data = form.cleaned_data
    sender = sender_tag(address)
    if form.is_trap:
        logger.warning(
            "citizen report caught by the honeypot, not stored (sender %s, village %s, via %s)",
            sender,
            form.village.code,
            channel,
        )
        return Filed(reference=new_reference(), report=None)
    values = {
        "village": form.village,
        "latitude": data["latitude"],
        "longitude": data["longitude"],
        "location_method": data["location_method"],
        "operator": data["operator"] or "",
        "answer": data["answer"],
        "download_mbps": data["download_mbps"],
        "upload_mbps": data["upload_mbps"],
        "latency_ms": data["latency_ms"],
        "note": data["note"],
        "observed_on": timezone.localdate(),
        "channel": channel,
        "sender": sender,
    }
    for _attempt in range(5):
        reference = new_reference()
        try:
            with transaction.atomic():
                report = CitizenReport.objects.create(reference=reference, **values)
        except IntegrityError:
            if CitizenReport.objects.filter(reference=reference).exists():
                continue  # drew a code in use (about 1 in 10^7 per report): draw again
            raise
        logger.info("citizen report %s filed for %s", reference, form.village.code)
        return Filed(reference=reference, report=report)
    raise RuntimeError("no free reference code after 5 draws")


# --- moderation ------------------------------------------------------------------------------


def moderation_scope(user) -> set[str] | None:
    """Codes of the villages whose reports ``user`` may moderate; None means every village."""
    if can(user, MODERATE):
        return None
    return {code for code in village_codes_of(user) if can(user, MODERATE, code)}


def may_moderate_any(user) -> bool:
    """Whether ``user`` may moderate the reports of at least one village."""
    scope = moderation_scope(user)
    return scope is None or bool(scope)


def may_moderate(user, report: CitizenReport) -> bool:
    """Whether ``user`` may approve or reject ``report``."""
    return can(user, MODERATE, village_code=report.village.code)


def moderated_villages(user) -> QuerySet:
    """The villages of the regency whose reports ``user`` may moderate, by kecamatan and name."""
    qs = Village.objects.filter(
        district__regency__code=settings.JANGKAU_REGENCY_CODE
    ).select_related("district")
    scope = moderation_scope(user)
    if scope is not None:
        qs = qs.filter(code__in=scope)
    return qs.order_by("district__name", "name")


def reports_for(user) -> QuerySet:
    """The reports ``user`` may moderate (none if they may moderate none)."""
    qs = CitizenReport.objects.select_related("village__district")
    scope = moderation_scope(user)
    return qs if scope is None else qs.filter(village__code__in=scope)


class DecisionRefused(Exception):
    """The decision would not change the report's state (or another moderator was first)."""


_TARGET = {
    DecisionChoices.APPROVE: ReportStateChoices.APPROVED,
    DecisionChoices.REJECT: ReportStateChoices.REJECTED,
}


@dataclass(frozen=True)
class Decided:
    """A stored decision and, if the village's evidence changed, its recomputation's progress."""

    decision: ModerationDecision
    progress: TaskProgress | None


def decide(report: CitizenReport, moderator, decision: str, reason: str = "") -> Decided:
    """Approve or reject ``report`` as ``moderator``; approval makes it evidence.

    Approving creates the evidence row ``citizen-report:<reference>``; rejecting an approved
    report deletes it. Either way the village's status is then recomputed by the task worker.
    The state moves with a conditional update, so of two moderators deciding at once one wins
    and the other gets :class:`DecisionRefused`.

    Raises
    ------
    django.core.exceptions.PermissionDenied
        If ``moderator`` may not moderate the report's village.
    DecisionRefused
        If the report is already in the state the decision leads to.
    """
    require(moderator, MODERATE, village_code=report.village.code)
    target = _TARGET[DecisionChoices(decision)]
    previous = report.state
    if previous == target:
        raise DecisionRefused(
            _("The report is already %(state)s.") % {"state": ReportStateChoices(target).label}
        )
    with transaction.atomic():
        moved = CitizenReport.objects.filter(pk=report.pk, state=previous).update(state=target)
        if not moved:
            raise DecisionRefused(_("Another moderator decided on this report first."))
        row = ModerationDecision.objects.create(
            report=report,
            previous_state=previous,
            state=target,
            moderator=moderator,
            reason=reason,
        )
        if target == ReportStateChoices.APPROVED:
            _store_evidence(report)
            evidence_changed = True
        else:
            evidence_changed = bool(Evidence.objects.filter(key=report.evidence_key).delete()[0])
    report.state = target
    logger.info("citizen report %s: %s -> %s by %s", report.reference, previous, target, moderator)
    progress = None
    if evidence_changed:
        progress = enqueue_recompute(
            [report.village.code],
            label=f"Status of {report.village.code} after citizen report {report.reference}",
        )
    return Decided(decision=row, progress=progress)


class CorrectionRefused(Exception):
    """The correction would not move the report (or another moderator moved it first)."""


@dataclass(frozen=True)
class Corrected:
    """A stored village correction and, if evidence moved, the recomputation's progress."""

    correction: VillageCorrection
    progress: TaskProgress | None


def correct_village(report: CitizenReport, moderator, village: Village, reason: str) -> Corrected:
    """Move ``report`` to ``village`` as ``moderator``, keeping the pin as it was given.

    The moderator must be allowed to moderate both the report's current village and the new
    one. The move is a conditional update on the current village, so of two moderators
    correcting at once one wins and the other gets :class:`CorrectionRefused`. An approved
    report's evidence moves with it and both villages' statuses are recomputed.

    Raises
    ------
    django.core.exceptions.PermissionDenied
        If ``moderator`` may not moderate either village.
    CorrectionRefused
        If the report is already in ``village``, or was moved by someone else meanwhile.
    """
    previous = report.village
    require(moderator, MODERATE, village_code=previous.code)
    require(moderator, MODERATE, village_code=village.code)
    if village.pk == previous.pk:
        raise CorrectionRefused(
            _("The report is already in %(village)s.") % {"village": village.name}
        )
    distance = distance_to_village_m(report.latitude, report.longitude, village.code)
    with transaction.atomic():
        moved = CitizenReport.objects.filter(pk=report.pk, village=previous).update(village=village)
        if not moved:
            raise CorrectionRefused(_("Another moderator changed this report's village first."))
        row = VillageCorrection.objects.create(
            report=report,
            previous_village=previous,
            village=village,
            moderator=moderator,
            reason=reason,
            distance_m=distance,
        )
        evidence_moved = bool(
            Evidence.objects.filter(key=report.evidence_key).update(village=village)
        )
    report.village = village
    logger.info(
        "citizen report %s: village %s -> %s by %s",
        report.reference,
        previous.code,
        village.code,
        moderator,
    )
    progress = None
    if evidence_moved:
        progress = enqueue_recompute(
            [previous.code, village.code],
            label=(
                f"Status of {previous.code} and {village.code} after citizen report "
                f"{report.reference} moved"
            ),
        )
    return Corrected(correction=row, progress=progress)


def _store_evidence(report: CitizenReport) -> Evidence:
    """The evidence of an approved report (see docs/citizen-reports.md for the quality)."""
    detail = {
        "reference": report.reference,
        "answer": report.answer,
        "download_mbps": report.download_mbps,
        "upload_mbps": report.upload_mbps,
        "latency_ms": report.latency_ms,
        "location_method": report.location_method,
    }
    evidence, _created = Evidence.objects.update_or_create(
        key=report.evidence_key,
        defaults={
            "village": report.village,
            "kind": EvidenceKindChoices.CITIZEN_REPORT,
            "operator": report.operator,
            "status": status_from_citizen_answer(report.answer).value,
            "as_of": report.observed_on,
            "source": EVIDENCE_SOURCE,
            "source_url": report.get_absolute_url(),
            "quality": QualityChoices.ESTIMATED,
            "detail": {k: v for k, v in detail.items() if v is not None},
            "note": "",
        },
    )
    return evidence

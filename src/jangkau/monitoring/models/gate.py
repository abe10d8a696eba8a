"""The stability gate ("siap / belum siap") per village and kecamatan: current state and changes."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.monitoring.choices import GateLevelChoices, GateStatusChoices


class GateSubject(models.Model):
    """Abstract: a gate decision about one village or one kecamatan, with its numbers.

    The numbers are those of :class:`jangkau.cores.probes.GateDecision`: for a village the
    worst of its targets (lowest availability and coverage, highest loss and p95), for a
    kecamatan the worst of its villages; null where not measurable. ``reasons`` lists every
    failed threshold: ``[{"code", "subject", "value", "threshold", "message"}]``.
    """

    level = models.CharField(_("level"), max_length=10, choices=GateLevelChoices.choices)
    village = models.ForeignKey(
        "regions.Village", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    district = models.ForeignKey(
        "regions.District",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("kecamatan"),
    )
    status = models.CharField(_("status"), max_length=20, choices=GateStatusChoices.choices)
    ready = models.BooleanField(_("ready (siap)"), default=False)
    availability_pct = models.FloatField(_("availability (%)"), null=True, blank=True)
    loss_pct = models.FloatField(_("loss (%)"), null=True, blank=True)
    p95_ms = models.FloatField(_("p95 latency (ms)"), null=True, blank=True)
    coverage_pct = models.FloatField(_("coverage (%)"), null=True, blank=True)
    n_results = models.PositiveBigIntegerField(_("results"), default=0)
    n_members = models.PositiveIntegerField(_("members"), default=0)
    n_ready = models.PositiveIntegerField(_("members ready"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    window_start = models.DateTimeField(_("window start"), null=True, blank=True)
    window_end = models.DateTimeField(_("window end"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def subject(self):
        return self.village if self.level == GateLevelChoices.VILLAGE else self.district

    @property
    def subject_code(self) -> str:
        subject = self.subject
        return subject.code if subject else ""


def _one_subject(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=f"{prefix}_one_subject",
        condition=(
            Q(level=GateLevelChoices.VILLAGE, village__isnull=False, district__isnull=True)
            | Q(level=GateLevelChoices.KECAMATAN, village__isnull=True, district__isnull=False)
        ),
        violation_error_message=_("A gate decision is about one village or one kecamatan."),
    )


class GateState(GateSubject):
    """The current gate decision of a village or kecamatan (one row each, updated each run)."""

    since = models.DateTimeField(_("in this status since"), default=timezone.now)
    evaluated_at = models.DateTimeField(_("evaluated at"), default=timezone.now)

    class Meta:
        ordering = ["level", "village__code", "district__code"]
        verbose_name = _("gate state")
        verbose_name_plural = _("gate states")
        constraints = [
            _one_subject("monitoring_gatestate"),
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(village__isnull=False),
                name="monitoring_gatestate_unique_village",
                violation_error_message=_("One gate state per village."),
            ),
            models.UniqueConstraint(
                fields=["district"],
                condition=Q(district__isnull=False),
                name="monitoring_gatestate_unique_district",
                violation_error_message=_("One gate state per kecamatan."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.subject_code}: {self.status}"


class GateChange(GateSubject):
    """A change of gate status (a row per transition; the first evaluation too).

    ``previous_status`` is empty for the first evaluation of a subject.
    """

    previous_status = models.CharField(
        _("previous status"),
        max_length=20,
        choices=GateStatusChoices.choices,
        blank=True,
        default="",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "level", "pk"]
        verbose_name = _("gate change")
        verbose_name_plural = _("gate changes")
        constraints = [_one_subject("monitoring_gatechange")]
        indexes = [models.Index(fields=["village", "at"], name="monitoring_gatechange_vil_at")]

    def __str__(self) -> str:
        return f"{self.level} {self.subject_code}: {self.previous_status or '∅'} → {self.status}"

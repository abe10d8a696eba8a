"""Outages of a target, as detected by the core's consecutive-failures rule."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Outage(models.Model):
    """One outage of a target: opened by N consecutive failures, closed by M successes.

    ``start`` is the first failure of the opening run, ``end`` the first success of the
    confirming run, null while the outage is ongoing (``duration_s`` then counts up to the
    last evaluation). Rows are written by the rollup task from the raw results with
    :func:`jangkau.cores.probes.detect_outages`; the rule and its flap suppression are in
    ``docs/monitoring-statistics.md``.
    """

    target = models.ForeignKey(
        "monitoring.ProbeTarget",
        on_delete=models.CASCADE,
        related_name="outages",
        verbose_name=_("target"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    duration_s = models.FloatField(_("duration (s)"), default=0.0)
    detected_at = models.DateTimeField(_("detected at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-start", "target"]
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        indexes = [models.Index(fields=["target", "end"], name="monitoring_outage_target_end")]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "start"],
                name="monitoring_outage_unique_start",
                violation_error_message=_("This target already has an outage starting then."),
            ),
            models.CheckConstraint(
                name="monitoring_outage_end_after_start",
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                violation_error_message=_("An outage cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        until = self.end.isoformat() if self.end else "ongoing"
        return f"{self.target_id}: {self.start.isoformat()} → {until}"

    @property
    def ongoing(self) -> bool:
        return self.end is None

    def duration_at(self, now=None) -> float:
        """Duration in seconds; an ongoing outage counts up to ``now``."""
        if self.end is not None:
            return (self.end - self.start).total_seconds()
        return max(0.0, ((now or timezone.now()) - self.start).total_seconds())

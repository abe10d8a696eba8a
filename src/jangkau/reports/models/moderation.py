"""Moderation decisions on citizen reports: one row per change of state."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.reports.choices import ReportStateChoices
from jangkau.reports.limits import MAX_REASON_CHARS


class ModerationDecision(models.Model):
    """A moderator moved a report from ``previous_state`` to ``state``: who, when and why.

    The rows are the report's history; ``CitizenReport.state`` is the last row's ``state``.
    """

    report = models.ForeignKey(
        "reports.CitizenReport",
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("report"),
    )
    previous_state = models.CharField(
        _("previous state"), max_length=10, choices=ReportStateChoices.choices
    )
    state = models.CharField(_("new state"), max_length=10, choices=ReportStateChoices.choices)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="report_decisions",
        verbose_name=_("moderator"),
    )
    reason = models.CharField(_("reason"), max_length=MAX_REASON_CHARS, blank=True, default="")
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        constraints = [
            models.CheckConstraint(
                name="moderation_decides",
                condition=models.Q(
                    state__in=[ReportStateChoices.APPROVED, ReportStateChoices.REJECTED]
                ),
                violation_error_message=_("A decision approves or rejects."),
            ),
            models.CheckConstraint(
                name="moderation_changes_state",
                condition=~models.Q(state=models.F("previous_state")),
                violation_error_message=_("A decision must change the report's state."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.previous_state} → {self.state} by {self.moderator_id}"

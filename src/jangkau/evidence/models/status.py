"""The fused status of each village, and its history as rows."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.evidence.choices import ConnectivityStatusChoices, OperatorChoices


class VillageStatus(models.Model):
    """Current status of a village for one operator ('' = overall), from the status engine."""

    village = models.ForeignKey(
        "regions.Village", on_delete=models.CASCADE, related_name="statuses"
    )
    operator = models.CharField(
        _("operator"), max_length=20, choices=OperatorChoices.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ConnectivityStatusChoices.choices,
        default=ConnectivityStatusChoices.UNKNOWN,
    )
    as_of = models.DateField(_("as of"), null=True, blank=True)
    confidence = models.FloatField(_("confidence"), default=0.0)
    decided_by = models.JSONField(_("decided by (evidence keys)"), default=list, blank=True)
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_reason = models.TextField(_("review reason"), blank=True, default="")
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        ordering = ["village__code", "operator"]
        verbose_name = _("village status")
        verbose_name_plural = _("village statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "operator"],
                name="village_status_unique_operator",
                violation_error_message=_("One current status per village and operator."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.operator or 'overall'}: {self.status}"


class VillageStatusChange(models.Model):
    """A change of a village's status (a row per transition, so history can be audited)."""

    village = models.ForeignKey(
        "regions.Village", on_delete=models.CASCADE, related_name="status_changes"
    )
    operator = models.CharField(_("operator"), max_length=20, blank=True, default="")
    previous_status = models.CharField(_("previous status"), max_length=16, blank=True, default="")
    status = models.CharField(_("status"), max_length=16, choices=ConnectivityStatusChoices.choices)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    confidence = models.FloatField(_("confidence"), default=0.0)
    decided_by = models.JSONField(_("decided by"), default=list, blank=True)
    needs_review = models.BooleanField(_("needs review"), default=False)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "village__code"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.village_id} {self.previous_status or '∅'} → {self.status}"

"""Village corrections on citizen reports: a moderator moved a report to another village."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.reports.limits import MAX_REASON_CHARS


class VillageCorrection(models.Model):
    """A moderator moved a report from ``previous_village`` to ``village``: who, when and why.

    The village of a report is found from its pin (point in polygon). Near a boundary, or when
    the note names another village than the pin's, a moderator may correct it; the pin itself
    is kept as the reporter gave it. ``distance_m`` is how far the pin lies from the new
    village's boundary (0 inside it), so a reviewer sees how bold the correction was. The rows
    are the report's village history; ``CitizenReport.village`` is the last row's ``village``.
    """

    report = models.ForeignKey(
        "reports.CitizenReport",
        on_delete=models.CASCADE,
        related_name="village_corrections",
        verbose_name=_("report"),
    )
    previous_village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("previous village"),
    )
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("new village"),
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="report_village_corrections",
        verbose_name=_("moderator"),
    )
    reason = models.CharField(_("reason"), max_length=MAX_REASON_CHARS)
    distance_m = models.FloatField(
        _("distance of the pin from the new village (m)"), null=True, blank=True
    )
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)

    class Meta:
        ordering = ["-corrected_at", "-pk"]
        verbose_name = _("village correction")
        verbose_name_plural = _("village corrections")
        constraints = [
            models.CheckConstraint(
                name="village_correction_changes_village",
                condition=~models.Q(village=models.F("previous_village")),
                violation_error_message=_("A correction must move the report to another village."),
            ),
            models.CheckConstraint(
                name="village_correction_has_reason",
                condition=~models.Q(reason=""),
                violation_error_message=_("A correction needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.report_id}: {self.previous_village_id} → {self.village_id} "
            f"by {self.moderator_id}"
        )

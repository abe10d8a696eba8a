"""Which villages a village operator may write for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VillageOperatorAssignment(models.Model):
    """A user acting as operator for one village (a user may have several)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="village_assignments"
    )
    village = models.ForeignKey(
        "regions.Village", on_delete=models.CASCADE, related_name="operator_assignments"
    )

    class Meta:
        ordering = ["village__code"]
        verbose_name = _("village operator assignment")
        verbose_name_plural = _("village operator assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "village"],
                name="village_operator_unique",
                violation_error_message=_("This user already operates this village."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.village}"

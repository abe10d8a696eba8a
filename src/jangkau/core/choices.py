"""Choice classes shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QualityChoices(models.TextChoices):
    """How a figure is known. Shown wherever the figure appears; an estimate is never a fact."""

    OFFICIAL = "official", _("official")
    MEASURED = "measured", _("measured")
    ESTIMATED = "estimated", _("estimated")
    ILLUSTRATIVE = "illustrative", _("illustrative")


QUALITY_RANK = {
    QualityChoices.OFFICIAL: 4,
    QualityChoices.MEASURED: 3,
    QualityChoices.ESTIMATED: 2,
    QualityChoices.ILLUSTRATIVE: 1,
}


class RoleChoices(models.TextChoices):
    """The user roles; each is a Django group of the same name."""

    ADMIN = "admin", _("Administrator")
    PLANNER = "planner", _("Planner (Diskominfo)")
    NETWORK_OPERATOR = "network_operator", _("Network operator")
    OPD_OPERATOR = "opd_operator", _("OPD operator")
    VILLAGE_OPERATOR = "village_operator", _("Village operator")
    VIEWER = "viewer", _("Viewer")

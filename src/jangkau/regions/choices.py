"""Choice classes of the regions app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VillageKindChoices(models.TextChoices):
    """Kemendagri distinguishes desa (4th code segment 2xxx) from kelurahan (1xxx)."""

    DESA = "desa", _("desa")
    KELURAHAN = "kelurahan", _("kelurahan")


class RemotenessClassChoices(models.IntegerChoices):
    """Remoteness classes (rule in docs/remoteness.md)."""

    PUSAT = 1, _("central")
    ANTARA = 2, _("intermediate")
    TERPENCIL = 3, _("remote")
    SANGAT_TERPENCIL = 4, _("very remote")


class IslandStatusChoices(models.TextChoices):
    """Kepmendagri island status: BP berpenghuni (inhabited), TBP tidak berpenghuni."""

    INHABITED = "BP", _("inhabited")
    UNINHABITED = "TBP", _("uninhabited")
    UNKNOWN = "", _("unknown")

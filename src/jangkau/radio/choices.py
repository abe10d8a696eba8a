"""Choice classes of the coverage app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PropagationModelChoices(models.TextChoices):
    """Propagation models of the coverage core (:data:`jangkau.cores.propagation.raster.MODELS`)."""

    HATA = "hata", _("Okumura–Hata (terrain-blind)")
    COST231 = "cost231", _("COST-231 Hata (terrain-blind, 1500–2000 MHz)")
    FREE_SPACE = "free_space", _("free space (optimistic upper bound)")
    ITM = "itm", _("Longley–Rice ITM (uses the terrain)")


class EnvironmentChoices(models.TextChoices):
    """Clutter class of the Hata/COST-231 formulas."""

    URBAN = "urban", _("urban (also a conservative proxy for dense forest)")
    SUBURBAN = "suburban", _("suburban")
    OPEN = "open", _("open area (optimistic under forest)")


class EirpConventionChoices(models.TextChoices):
    """How a site's EIRP is read (see docs/coverage.md, "Link budget and thresholds")."""

    TOTAL = "total", _("total carrier EIRP (spread over the resource elements)")
    PER_RE = "per_re", _("EIRP per reference-signal resource element")


class RunStateChoices(models.TextChoices):
    """Life cycle of a coverage run."""

    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ProposedSiteStatusChoices(models.TextChoices):
    """What became of a proposed (what-if) site."""

    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


#: the service classes drawn on the overlay, with their RGBA colours (transparent = no signal).
OVERLAY_COLOURS = {
    "good": (46, 125, 50, 170),
    "weak": (249, 168, 37, 170),
    "below": (198, 40, 40, 70),
}

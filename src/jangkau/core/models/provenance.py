"""The provenance every figure in Jangkau carries: source, date and quality."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.core.choices import QualityChoices


class ProvenanceModel(models.Model):
    """Abstract base: where a figure comes from, as of when, and how it is known.

    ``as_of`` is the date the figure describes (not when it was typed in); ``as_of_label`` keeps
    a source's own wording when it gives no exact date ("c. 2021 - early 2022").
    """

    source = models.CharField(_("source"), max_length=300)
    source_url = models.TextField(_("source URL"), blank=True, default="")
    as_of = models.DateField(_("as of"), null=True, blank=True)
    as_of_label = models.CharField(_("as of (as stated)"), max_length=100, blank=True, default="")
    quality = models.CharField(
        _("quality"),
        max_length=16,
        choices=QualityChoices.choices,
        default=QualityChoices.ESTIMATED,
    )

    class Meta:
        abstract = True

    @property
    def as_of_display(self) -> str:
        """The date as the source states it, else the ISO date, else an empty string."""
        if self.as_of_label:
            return self.as_of_label
        return self.as_of.isoformat() if self.as_of else ""

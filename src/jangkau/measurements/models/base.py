"""The abstract base of every measurement and survey record."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.core.models import ProvenanceModel


class Measurement(ProvenanceModel):
    """A measurement or survey about one village, identified by a natural ``key``.

    ``key`` is what an import matches on: importing the same file again finds every row by it
    and changes nothing. Each record also keeps one :class:`jangkau.evidence.models.Evidence`
    row whose key is ``f"{EVIDENCE_PREFIX}:{key}"`` (see :attr:`evidence_key`).
    """

    #: the first part of the evidence key of this kind of record.
    EVIDENCE_PREFIX = ""

    key = models.CharField(_("key"), max_length=160)
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        verbose_name=_("village"),
    )
    note = models.TextField(_("note"), blank=True, default="")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def evidence_key(self) -> str:
        """The key of the evidence row this record writes."""
        return f"{self.EVIDENCE_PREFIX}:{self.key}"

    def evidence(self):
        """The evidence row of this record (None if it was removed)."""
        from jangkau.evidence.models import Evidence

        return Evidence.objects.filter(key=self.evidence_key).first()

"""One piece of evidence about a village's connectivity."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.core.models import ProvenanceModel
from jangkau.evidence.choices import (
    ConnectivityStatusChoices,
    EvidenceKindChoices,
    OperatorChoices,
)


class Evidence(ProvenanceModel):
    """A dated observation of a village's connectivity, already mapped to a status.

    ``as_of`` is the date observed. ``key`` is the natural key of the source row (e.g.
    ``blankspot-2021-2022:64.08.11.2001``) so that importing the same data again changes nothing.
    ``detail`` keeps the raw values (Mbps, dBm, survey answers) the status was mapped from.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("village"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKindChoices.choices)
    operator = models.CharField(
        _("operator"), max_length=20, choices=OperatorChoices.choices, blank=True, default=""
    )
    status = models.CharField(_("status"), max_length=16, choices=ConnectivityStatusChoices.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True, default="")
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["village__code", "-as_of", "key"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [models.Index(fields=["village", "as_of"], name="evidence_village_date_idx")]
        constraints = [
            models.CheckConstraint(
                name="evidence_has_date",
                condition=models.Q(as_of__isnull=False),
                violation_error_message=_("Evidence needs the date it was observed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.kind} {self.status} {self.as_of}"

"""Village surveys in the categories of BPS Podes (items R1005A-D)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.measurements.choices import (
    InternetSignalChoices,
    PhoneSignalChoices,
    SurveyKindChoices,
)
from jangkau.measurements.models.base import Measurement


class VillageSurvey(Measurement):
    """One village's answers to the Podes telecommunication items on one date.

    ``phone_signal`` is R1005C (phone signal in most of the village), ``internet_signal`` R1005D
    (mobile internet technology), ``bts_count`` R1005A and ``operator_count`` R1005B. A BPS Podes
    record has quality ``official``; a field survey using the same categories ``measured``.
    """

    EVIDENCE_PREFIX = "surveys"

    survey_kind = models.CharField(_("survey"), max_length=10, choices=SurveyKindChoices.choices)
    edition = models.CharField(_("edition"), max_length=40, blank=True, default="")
    survey_date = models.DateField(_("survey date"))
    surveyor = models.CharField(_("surveyor"), max_length=120, blank=True, default="")
    phone_signal = models.CharField(
        _("phone signal (R1005C)"),
        max_length=12,
        choices=PhoneSignalChoices.choices,
        blank=True,
        default="",
    )
    internet_signal = models.CharField(
        _("mobile internet signal (R1005D)"),
        max_length=12,
        choices=InternetSignalChoices.choices,
        blank=True,
        default="",
    )
    bts_count = models.PositiveIntegerField(_("BTS towers (R1005A)"), null=True, blank=True)
    operator_count = models.PositiveSmallIntegerField(
        _("operators reaching the village (R1005B)"), null=True, blank=True
    )

    class Meta:
        ordering = ["village__code", "-survey_date"]
        verbose_name = _("village survey")
        verbose_name_plural = _("village surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="survey_unique_key",
                violation_error_message=_("A survey with this key exists."),
            ),
            models.UniqueConstraint(
                fields=["village", "survey_kind", "survey_date"],
                name="survey_unique_village_kind_date",
                violation_error_message=_("This village already has this survey on this date."),
            ),
            models.CheckConstraint(
                name="survey_has_a_signal_answer",
                condition=~models.Q(phone_signal="", internet_signal=""),
                violation_error_message=_("A survey needs R1005C or R1005D."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.survey_kind} {self.survey_date}"

"""A citizen's report of the signal at one place ("Lapor Sinyal")."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.cores.status import status_from_citizen_answer
from jangkau.evidence.choices import OperatorChoices
from jangkau.reports.choices import (
    ChannelChoices,
    LocationMethodChoices,
    ReportStateChoices,
    ServiceAnswerChoices,
)
from jangkau.reports.limits import MAX_LATENCY_MS, MAX_MBPS, MAX_NOTE_CHARS


def _optional_range(field: str, high: float) -> models.Q:
    return models.Q(**{f"{field}__isnull": True}) | models.Q(
        **{f"{field}__gte": 0, f"{field}__lte": high}
    )


class CitizenReport(models.Model):
    """What a villager says works at one place, filed without logging in.

    The village is found from the pin on the server (point in polygon). ``state`` is the current
    moderation state; every change of it is a :class:`ModerationDecision` row. An approved report
    is also an :class:`jangkau.evidence.models.Evidence` row keyed ``citizen-report:<reference>``.
    Nothing identifies the reporter: ``sender`` is a keyed hash of the client address, enough to
    see that several reports came from one client, not to find out who it was.
    """

    reference = models.CharField(_("reference code"), max_length=12, unique=True, editable=False)
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        related_name="citizen_reports",
        verbose_name=_("village"),
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    location_method = models.CharField(
        _("how the location was given"),
        max_length=8,
        choices=LocationMethodChoices.choices,
        default=LocationMethodChoices.TYPED,
    )
    operator = models.CharField(
        _("operator"), max_length=20, choices=OperatorChoices.choices, blank=True, default=""
    )
    answer = models.CharField(_("what works"), max_length=16, choices=ServiceAnswerChoices.choices)
    download_mbps = models.FloatField(_("download (Mbit/s)"), null=True, blank=True)
    upload_mbps = models.FloatField(_("upload (Mbit/s)"), null=True, blank=True)
    latency_ms = models.FloatField(_("latency (ms)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=MAX_NOTE_CHARS, blank=True, default="")
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ReportStateChoices.choices,
        default=ReportStateChoices.PENDING,
    )
    observed_on = models.DateField(_("observed on"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    channel = models.CharField(
        _("channel"), max_length=8, choices=ChannelChoices.choices, default=ChannelChoices.WEB
    )
    sender = models.CharField(
        _("sender tag"),
        max_length=16,
        blank=True,
        default="",
        help_text=_(
            "A keyed hash of the client address: shows repeated reports from one client "
            "without storing the address."
        ),
    )

    class Meta:
        ordering = ["-submitted_at", "reference"]
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="report_state_submitted_idx"),
            models.Index(fields=["village", "state"], name="report_village_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="report_state_valid",
                condition=models.Q(state__in=ReportStateChoices.values),
                violation_error_message=_("Unknown report state."),
            ),
            models.CheckConstraint(
                name="report_answer_valid",
                condition=models.Q(answer__in=ServiceAnswerChoices.values),
                violation_error_message=_("Unknown answer to 'what works'."),
            ),
            models.CheckConstraint(
                name="report_location_on_earth",
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                violation_error_message=_("Latitude or longitude out of range."),
            ),
            models.CheckConstraint(
                name="report_download_range",
                condition=_optional_range("download_mbps", MAX_MBPS),
                violation_error_message=_("Download speed out of range."),
            ),
            models.CheckConstraint(
                name="report_upload_range",
                condition=_optional_range("upload_mbps", MAX_MBPS),
                violation_error_message=_("Upload speed out of range."),
            ),
            models.CheckConstraint(
                name="report_latency_range",
                condition=_optional_range("latency_ms", MAX_LATENCY_MS),
                violation_error_message=_("Latency out of range."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.village_id} {self.answer} ({self.state})"

    def get_absolute_url(self) -> str:
        """The public page where the reporter checks the state."""
        return reverse("reports:check", args=[self.reference])

    @property
    def evidence_key(self) -> str:
        """The natural key of the evidence row an approval creates."""
        return f"citizen-report:{self.reference}"

    @property
    def answer_status(self) -> str:
        """The status the answer maps to (what the evidence will say if approved)."""
        return status_from_citizen_answer(self.answer).value

"""Alert rules (who is told what, how, and when not) and the history of alerts."""

from __future__ import annotations

from datetime import time

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.monitoring.choices import (
    AlertChannelChoices,
    AlertDeliveryChoices,
    AlertEventChoices,
)


class AlertRule(models.Model):
    """Send these events to this destination, optionally limited to a village or kecamatan.

    ``destination`` is one or more comma-separated email addresses (email) or a URL that gets
    a JSON POST (webhook; e.g. a Telegram or WhatsApp gateway). Quiet hours are local time in
    Asia/Makassar (WITA); ``quiet_start`` after ``quiet_end`` spans midnight (22:00-06:00).
    Alerts raised during quiet hours are **held** and sent when they end (nothing is lost).
    """

    name = models.CharField(_("name"), max_length=120)
    channel = models.CharField(_("channel"), max_length=10, choices=AlertChannelChoices.choices)
    destination = models.CharField(_("destination"), max_length=500)
    events = models.JSONField(
        _("events"),
        default=list,
        help_text=_("Any of: outage_started, outage_recovered, gate_ready, gate_not_ready."),
    )
    village = models.ForeignKey(
        "regions.Village",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("only this village"),
    )
    district = models.ForeignKey(
        "regions.District",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("only this kecamatan"),
    )
    quiet_start = models.TimeField(_("quiet hours start (WITA)"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours end (WITA)"), null=True, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        constraints = [
            models.CheckConstraint(
                name="monitoring_alertrule_quiet_both_or_none",
                condition=(
                    Q(quiet_start__isnull=True, quiet_end__isnull=True)
                    | Q(quiet_start__isnull=False, quiet_end__isnull=False)
                ),
                violation_error_message=_("Give both ends of the quiet hours, or neither."),
            ),
            models.CheckConstraint(
                name="monitoring_alertrule_quiet_not_empty",
                condition=Q(quiet_start__isnull=True) | ~Q(quiet_start=models.F("quiet_end")),
                violation_error_message=_("Quiet hours cannot start and end at the same time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.channel} → {self.destination})"

    def clean(self):
        errors = {}
        known = set(AlertEventChoices.values)
        if not isinstance(self.events, list) or not self.events:
            errors["events"] = _("Choose at least one event.")
        elif not set(self.events) <= known:
            errors["events"] = _("Unknown event(s): %(events)s") % {
                "events": ", ".join(sorted(set(self.events) - known))
            }
        try:
            if self.channel == AlertChannelChoices.EMAIL:
                for address in self.email_addresses():
                    EmailValidator()(address)
                if not self.email_addresses():
                    raise ValidationError(_("Give at least one email address."))
            elif self.channel == AlertChannelChoices.WEBHOOK:
                URLValidator(schemes=["http", "https"])(self.destination)
        except ValidationError as exc:
            errors["destination"] = exc.messages
        if errors:
            raise ValidationError(errors)

    def email_addresses(self) -> list[str]:
        return [a.strip() for a in self.destination.split(",") if a.strip()]

    def is_quiet(self, local: time) -> bool:
        """Whether the local WITA time of day ``local`` falls in the quiet hours."""
        if self.quiet_start is None or self.quiet_end is None:
            return False
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= local < self.quiet_end
        return local >= self.quiet_start or local < self.quiet_end


class AlertLog(models.Model):
    """One alert: raised by an event, then sent, held, failed or skipped as a duplicate.

    ``subject_key`` names what the event is about (``target:17``, ``village:64.08.01.2001``,
    ``kecamatan:64.08.01``); dedupe compares it. ``not_before`` is when a held alert may go
    (the end of the quiet hours). ``event_at`` is when the event happened, ``created_at`` when
    the alert was raised.
    """

    rule = models.ForeignKey(
        AlertRule, on_delete=models.CASCADE, related_name="log", verbose_name=_("rule")
    )
    event = models.CharField(_("event"), max_length=20, choices=AlertEventChoices.choices)
    subject_key = models.CharField(_("subject"), max_length=64)
    subject_label = models.CharField(_("subject name"), max_length=300, blank=True, default="")
    message = models.TextField(_("message"))
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    event_at = models.DateTimeField(_("event at"))
    created_at = models.DateTimeField(_("raised at"), default=timezone.now)
    status = models.CharField(
        _("delivery"),
        max_length=16,
        choices=AlertDeliveryChoices.choices,
        default=AlertDeliveryChoices.PENDING,
    )
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alert history")
        indexes = [
            models.Index(
                fields=["rule", "subject_key", "created_at"], name="monitoring_alert_dedupe"
            ),
            models.Index(fields=["status", "not_before"], name="monitoring_alert_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.subject_key} → {self.rule_id}: {self.status}"

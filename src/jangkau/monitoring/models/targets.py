"""What is probed: a host, service or URL, grouped by village."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.monitoring.choices import SUBJECT_MODELS, ProbeKindChoices, SubjectKindChoices


class ProbeTarget(models.Model):
    """A target probed by one or more agents (``id`` is the protocol's ``probe_id``).

    A target belongs to a village (and so to a kecamatan), which is how the stability gate
    groups it. It may stand for an item of the infrastructure inventory: ``subject_kind``
    (site, link, access point, facility) and ``subject_code``, that item's natural key
    (``code``) in ``jangkau.inventory``. A code rather than a foreign key keeps the two apps
    independent and survives re-imports of the inventory; :meth:`subject` resolves it.

    ``address`` is a host name or IP address (ICMP, TCP, DNS) or an ``http(s)://`` URL (HTTP).
    ``latency_warn_ms`` and ``loss_warn_pct`` mark the target as degraded on the status page;
    the gate uses the regency-wide thresholds. ``sla_target_pct`` is the availability each
    month must reach.
    """

    name = models.CharField(_("name"), max_length=120)
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        related_name="probe_targets",
        verbose_name=_("village"),
    )
    subject_kind = models.CharField(
        _("inventory item kind"),
        max_length=20,
        choices=SubjectKindChoices.choices,
        blank=True,
        default=SubjectKindChoices.NONE,
    )
    subject_code = models.CharField(
        _("inventory item code"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("The code of the site, link, access point or facility in the inventory."),
    )
    kind = models.CharField(_("probe kind"), max_length=8, choices=ProbeKindChoices.choices)
    address = models.CharField(
        _("host, address or URL"),
        max_length=500,
        help_text=_("Host name or IP address; for HTTP(S) a full http:// or https:// URL."),
    )
    port = models.PositiveIntegerField(_("port"), null=True, blank=True)
    interval_s = models.PositiveIntegerField(_("interval (s)"), default=60)
    timeout_s = models.FloatField(_("timeout (s)"), default=5.0)
    expect_status = models.PositiveSmallIntegerField(
        _("expected HTTP status"),
        null=True,
        blank=True,
        help_text=_("HTTP only; empty accepts any 2xx or 3xx."),
    )
    latency_warn_ms = models.FloatField(_("latency warning (ms)"), default=150.0)
    loss_warn_pct = models.FloatField(_("loss warning (%)"), default=1.0)
    sla_target_pct = models.FloatField(_("SLA availability target (%)"), default=99.5)
    enabled = models.BooleanField(_("enabled"), default=True)
    agents = models.ManyToManyField(
        "monitoring.Agent",
        related_name="targets",
        blank=True,
        verbose_name=_("agents"),
        help_text=_("The agents that probe this target."),
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["village__code", "name", "pk"]
        verbose_name = _("probe target")
        verbose_name_plural = _("probe targets")
        constraints = [
            models.CheckConstraint(
                name="monitoring_target_port_range",
                condition=Q(port__isnull=True) | Q(port__gte=1, port__lte=65535),
                violation_error_message=_("The port must be between 1 and 65535."),
            ),
            models.CheckConstraint(
                name="monitoring_target_tcp_needs_port",
                condition=~Q(kind=ProbeKindChoices.TCP) | Q(port__isnull=False),
                violation_error_message=_("A TCP probe needs a port."),
            ),
            models.CheckConstraint(
                name="monitoring_target_status_http_only",
                condition=Q(expect_status__isnull=True) | Q(kind=ProbeKindChoices.HTTP),
                violation_error_message=_("Only an HTTP probe expects a status."),
            ),
            models.CheckConstraint(
                name="monitoring_target_timing_positive",
                condition=Q(interval_s__gte=1, timeout_s__gt=0),
                violation_error_message=_("Interval and timeout must be positive."),
            ),
            models.CheckConstraint(
                name="monitoring_target_sla_percent",
                condition=Q(sla_target_pct__gte=0, sla_target_pct__lte=100),
                violation_error_message=_("The SLA target is a percentage (0 to 100)."),
            ),
            models.CheckConstraint(
                name="monitoring_target_subject_complete",
                condition=Q(subject_code="") | ~Q(subject_kind=""),
                violation_error_message=_("An inventory code needs an inventory item kind."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()} {self.address})"

    def clean(self):
        errors = {}
        if self.kind == ProbeKindChoices.HTTP:
            if urlsplit(self.address).scheme not in ("http", "https"):
                errors["address"] = _("An HTTP probe needs an http:// or https:// URL.")
        elif "://" in self.address or " " in self.address.strip():
            errors["address"] = _("Give a host name or an IP address, not a URL.")
        if self.timeout_s and self.interval_s and self.timeout_s >= self.interval_s:
            errors["timeout_s"] = _("The timeout must be shorter than the interval.")
        if errors:
            raise ValidationError(errors)

    def subject(self):
        """The inventory item this target stands for, or None (not linked, not found)."""
        label = SUBJECT_MODELS.get(self.subject_kind)
        if not label or not self.subject_code:
            return None
        try:
            model = apps.get_model(label)
        except LookupError:
            return None
        return model.objects.filter(code=self.subject_code).first()

    def protocol_dict(self) -> dict:
        """This target as one probe of ``GET /api/monitoring/agent/probes``."""
        return {
            "id": self.pk,
            "kind": self.kind,
            "target": self.address,
            "port": self.port,
            "interval_s": self.interval_s,
            "timeout_s": float(self.timeout_s),
            "expect_status": self.expect_status,
        }

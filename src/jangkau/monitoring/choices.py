"""Choice classes of the monitoring app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProbeKindChoices(models.TextChoices):
    """How a target is probed by the agent (the ``kind`` of the agent protocol)."""

    ICMP = "icmp", _("ICMP echo (ping)")
    TCP = "tcp", _("TCP connect")
    HTTP = "http", _("HTTP(S) request")
    DNS = "dns", _("DNS lookup")


class SubjectKindChoices(models.TextChoices):
    """What a probe target stands for in the infrastructure inventory (blank: nothing)."""

    NONE = "", _("not linked")
    SITE = "site", _("site (tower)")
    LINK = "link", _("link")
    ACCESS_POINT = "access_point", _("access point")
    FACILITY = "facility", _("facility")


#: inventory model behind each subject kind (``app_label.ModelName``), resolved lazily.
SUBJECT_MODELS = {
    SubjectKindChoices.SITE: "inventory.Site",
    SubjectKindChoices.LINK: "inventory.Link",
    SubjectKindChoices.ACCESS_POINT: "inventory.AccessPoint",
    SubjectKindChoices.FACILITY: "inventory.Facility",
}


class RollupWidthChoices(models.IntegerChoices):
    """Bucket widths of the stored rollups, in seconds.

    Weeks exist only to make long windows (90 days) cheap to read; they start on Thursday
    00:00 WITA (WITA-aligned multiples of 7 days since the epoch, a Thursday).
    """

    FIVE_MINUTES = 300, _("5 minutes")
    HOUR = 3600, _("hour")
    DAY = 86400, _("day")
    WEEK = 604800, _("week")


class GateLevelChoices(models.TextChoices):
    """What a gate decision is about."""

    VILLAGE = "village", _("village")
    KECAMATAN = "kecamatan", _("kecamatan")


class GateStatusChoices(models.TextChoices):
    """The stability gate ("siap / belum siap"), as decided by ``cores.probes.gate``."""

    READY = "ready", _("ready")
    NOT_READY = "not_ready", _("not ready")
    INSUFFICIENT = "insufficient_data", _("insufficient data")


#: map colours of the gate layer (green, red, grey).
GATE_COLOURS = {
    GateStatusChoices.READY: "#2e7d32",
    GateStatusChoices.NOT_READY: "#c62828",
    GateStatusChoices.INSUFFICIENT: "#9e9e9e",
}


class AlertChannelChoices(models.TextChoices):
    """Where an alert goes."""

    EMAIL = "email", _("email")
    WEBHOOK = "webhook", _("webhook (JSON POST)")


class AlertEventChoices(models.TextChoices):
    """Events that raise alerts."""

    OUTAGE_STARTED = "outage_started", _("outage started")
    OUTAGE_RECOVERED = "outage_recovered", _("outage recovered")
    GATE_READY = "gate_ready", _("became ready (siap)")
    GATE_NOT_READY = "gate_not_ready", _("no longer ready (belum siap)")


#: events of one family describe the same state; dedupe compares within a family.
ALERT_EVENT_FAMILY = {
    AlertEventChoices.OUTAGE_STARTED: "outage",
    AlertEventChoices.OUTAGE_RECOVERED: "outage",
    AlertEventChoices.GATE_READY: "gate",
    AlertEventChoices.GATE_NOT_READY: "gate",
}


class AlertDeliveryChoices(models.TextChoices):
    """State of one alert in the history."""

    PENDING = "pending", _("pending")
    HELD = "held", _("held for quiet hours")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    DEDUPLICATED = "deduplicated", _("not sent (duplicate)")

"""Choice classes of the measurements app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TechnologyChoices(models.TextChoices):
    """The network a measurement was taken on."""

    G2 = "2g", "2G"
    G3 = "3g", "3G"
    G4 = "4g", "4G/LTE"
    G5 = "5g", "5G"
    WIFI = "wifi", _("Wi-Fi")
    FIXED = "fixed", _("fixed line")
    SATELLITE = "satellite", _("satellite")
    NONE = "none", _("no service")
    UNKNOWN = "unknown", _("unknown")


#: the technologies a speed test may name; wifi, fixed and satellite are not the mobile network.
SPEEDTEST_TECHNOLOGIES = ("2g", "3g", "4g", "5g", "wifi", "fixed", "satellite", "unknown")
#: the technologies a signal reading may name (a phone is on a mobile network or has none).
SIGNAL_TECHNOLOGIES = ("2g", "3g", "4g", "5g", "none")
#: technologies whose speed says nothing about the mobile signal across a village.
NOT_MOBILE = frozenset({"wifi", "fixed", "satellite"})


class ToolChoices(models.TextChoices):
    """The app or method that ran a speed test."""

    OOKLA_APP = "ookla_app", _("Speedtest by Ookla app")
    MLAB_NDT = "mlab_ndt", "M-Lab NDT"
    OPENSIGNAL = "opensignal", "Opensignal"
    NPERF = "nperf", "nPerf"
    FIELD_TEAM = "field_team", _("Diskominfo field team")
    OTHER = "other", _("other")


#: the default ``source`` of a speed test by tool (stored text, English).
TOOL_SOURCES = {
    "ookla_app": "Speedtest by Ookla app",
    "mlab_ndt": "M-Lab NDT (Measurement Lab)",
    "opensignal": "Opensignal app",
    "nperf": "nPerf app",
    "field_team": "Diskominfo field team",
    "other": "speed test",
}


class SurveyKindChoices(models.TextChoices):
    """Who asked the Podes questions."""

    PODES = "podes", _("BPS Podes (official)")
    FIELD = "field", _("field survey in the Podes categories")


class PhoneSignalChoices(models.TextChoices):
    """Podes R1005C: the phone signal in most of the village."""

    VERY_STRONG = "sangat_kuat", _("very strong")
    STRONG = "kuat", _("strong")
    WEAK = "lemah", _("weak")
    NONE = "tidak_ada", _("no signal")


#: the Podes wording of each R1005C answer (what the status mapper reads).
PHONE_SIGNAL_PODES = {
    "sangat_kuat": "Sinyal sangat kuat",
    "kuat": "Sinyal kuat",
    "lemah": "Sinyal lemah",
    "tidak_ada": "Tidak ada sinyal",
}


class InternetSignalChoices(models.TextChoices):
    """Podes R1005D: the mobile internet signal in most of the village (codes 1-4)."""

    G4_G5 = "4g_5g", "5G/4G/LTE"
    G3 = "3g", "3G/H/H+/EVDO"
    G2_5 = "2_5g", "2.5G/E/GPRS"
    NONE = "tidak_ada", _("no internet signal")


#: the Podes wording and code of each R1005D answer.
INTERNET_SIGNAL_PODES = {
    "4g_5g": ("5G/4G/LTE", 1),
    "3g": ("3G/H/H+/EVDO", 2),
    "2_5g": ("2.5G/E/GPRS", 3),
    "tidak_ada": ("Tidak ada sinyal internet", 4),
}


class NetworkTypeChoices(models.TextChoices):
    """Which of Ookla's two tile sets a tile comes from."""

    MOBILE = "mobile", _("mobile")
    FIXED = "fixed", _("fixed")


class ImportStateChoices(models.TextChoices):
    """Where an uploaded file is in its import."""

    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("imported")
    REJECTED = "rejected", _("rejected")
    FAILED = "failed", _("failed")

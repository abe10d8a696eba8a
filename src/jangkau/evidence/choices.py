"""Choice classes of the evidence app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConnectivityStatusChoices(models.TextChoices):
    """A village's (or an operator's) connectivity, worst to best, plus unknown."""

    UNKNOWN = "unknown", _("unknown")
    NO_SIGNAL = "no_signal", _("no signal")
    ONLY_2G_3G = "2g_3g_only", _("2G/3G only")
    WEAK_4G = "4g_weak", _("4G weak")
    GOOD_4G = "4g_good", _("4G good")


#: map colours (colour-blind-safe ordering from red to green; grey for unknown).
STATUS_COLOURS = {
    ConnectivityStatusChoices.UNKNOWN: "#9e9e9e",
    ConnectivityStatusChoices.NO_SIGNAL: "#c62828",
    ConnectivityStatusChoices.ONLY_2G_3G: "#ef6c00",
    ConnectivityStatusChoices.WEAK_4G: "#f9a825",
    ConnectivityStatusChoices.GOOD_4G: "#2e7d32",
}


class EvidenceKindChoices(models.TextChoices):
    """Kinds of evidence, grouped by how the fact was obtained (rank in docs/status-engine.md)."""

    SPEEDTEST = "speedtest", _("speed test (measured)")
    SIGNAL_READING = "signal_reading", _("signal reading (measured)")
    CITIZEN_REPORT = "citizen_report", _("citizen report (reported)")
    VILLAGE_SURVEY = "village_survey", _("village survey (surveyed)")
    MODEL_PREDICTION = "model_prediction", _("model prediction")
    PRIOR_LIST = "prior_list", _("prior list")


class OperatorChoices(models.TextChoices):
    """Mobile network operators in Indonesia; blank means "any/unspecified"."""

    ANY = "", _("any operator")
    TELKOMSEL = "telkomsel", "Telkomsel"
    INDOSAT = "indosat", "Indosat Ooredoo Hutchison"
    XL = "xl", "XL Axiata"
    SMARTFREN = "smartfren", "Smartfren"
    OTHER = "other", _("other")

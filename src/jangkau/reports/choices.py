"""Choice classes of the reports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStateChoices(models.TextChoices):
    """Where a citizen report is in moderation. Every change is a ``ModerationDecision`` row."""

    PENDING = "pending", _("waiting for moderation")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class ServiceAnswerChoices(models.TextChoices):
    """What works at the reporter's place, in the order of the scale.

    The values are the answers :func:`jangkau.cores.status.status_from_citizen_answer` accepts.
    """

    NONE = "none", _("No signal at all")
    CALLS_ONLY = "calls_only", _("Calls and SMS only, no internet")
    SLOW_INTERNET = "slow_internet", _("Internet, but slow")
    GOOD_INTERNET = "good_internet", _("Good internet")


class LocationMethodChoices(models.TextChoices):
    """How the reporter placed the pin (tells moderators how precise the location is)."""

    MAP = "map", _("tapped on the map")
    GPS = "gps", _("device location (GPS)")
    TYPED = "typed", _("typed coordinates")


class ChannelChoices(models.TextChoices):
    """Through which door the report came in."""

    WEB = "web", _("web form")
    API = "api", _("API")


class DecisionChoices(models.TextChoices):
    """What a moderator can decide; each decision leads to the report state of the same name."""

    APPROVE = "approve", _("approve")
    REJECT = "reject", _("reject")

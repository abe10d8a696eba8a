"""Choice classes of the inventory app, and the map colours that go with them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.evidence.choices import OperatorChoices


class TechnologyChoices(models.TextChoices):
    """Radio access technologies a site can carry (stored as a JSON list, in this order)."""

    G2 = "2G", "2G"
    G3 = "3G", "3G"
    G4 = "4G", "4G"
    G5 = "5G", "5G"


#: the operators a site can belong to: every mobile operator, and "other" with a name.
SITE_OPERATOR_CHOICES = [(value, label) for value, label in OperatorChoices.choices if value]


class SiteStatusChoices(models.TextChoices):
    """Life cycle of a tower/BTS site; every change is a :class:`SiteStatusChange` row."""

    PLANNED = "planned", _("planned")
    BUILDING = "building", _("under construction")
    ON_AIR = "on_air", _("on air")
    DEGRADED = "degraded", _("degraded")
    DOWN = "down", _("down")
    DECOMMISSIONED = "decommissioned", _("decommissioned")


#: statuses in which a site transmits (a degraded site still serves, worse).
SITE_ON_AIR = frozenset({SiteStatusChoices.ON_AIR, SiteStatusChoices.DEGRADED})

#: allowed status transitions of a site. Degraded/down only after the site has been on air;
#: decommissioned is final (a rebuilt tower is a new site with its own code).
SITE_TRANSITIONS: dict[str, frozenset[str]] = {
    SiteStatusChoices.PLANNED: frozenset(
        {SiteStatusChoices.BUILDING, SiteStatusChoices.ON_AIR, SiteStatusChoices.DECOMMISSIONED}
    ),
    SiteStatusChoices.BUILDING: frozenset(
        {SiteStatusChoices.PLANNED, SiteStatusChoices.ON_AIR, SiteStatusChoices.DECOMMISSIONED}
    ),
    SiteStatusChoices.ON_AIR: frozenset(
        {SiteStatusChoices.DEGRADED, SiteStatusChoices.DOWN, SiteStatusChoices.DECOMMISSIONED}
    ),
    SiteStatusChoices.DEGRADED: frozenset(
        {SiteStatusChoices.ON_AIR, SiteStatusChoices.DOWN, SiteStatusChoices.DECOMMISSIONED}
    ),
    SiteStatusChoices.DOWN: frozenset(
        {SiteStatusChoices.ON_AIR, SiteStatusChoices.DEGRADED, SiteStatusChoices.DECOMMISSIONED}
    ),
    SiteStatusChoices.DECOMMISSIONED: frozenset(),
}


class PowerSourceChoices(models.TextChoices):
    """Where a site's electricity comes from."""

    PLN = "pln", _("PLN grid")
    SOLAR_BATTERY = "solar_battery", _("solar and battery")
    GENSET = "genset", _("genset")
    HYBRID = "hybrid", _("hybrid")
    UNKNOWN = "unknown", _("unknown")


class BackhaulChoices(models.TextChoices):
    """How a site reaches the core network."""

    FIBER = "fiber", _("fiber")
    MICROWAVE = "microwave", _("microwave")
    VSAT = "vsat", _("VSAT")
    UNKNOWN = "unknown", _("unknown")


class ProgrammeChoices(models.TextChoices):
    """Who paid for a site: BAKTI (USO 3T), the operator, the regency budget, USO non-3T."""

    BAKTI = "bakti", _("BAKTI")
    OPERATOR = "operator", _("operator")
    APBD = "apbd", _("APBD (regency budget)")
    USO_NON_3T = "uso_non_3t", _("USO 3435 non-3T")
    OTHER = "other", _("other")


class LinkKindChoices(models.TextChoices):
    """Kinds of backhaul link."""

    FIBER_ROUTE = "fiber_route", _("fiber route")
    MICROWAVE_HOP = "microwave_hop", _("microwave hop")
    VSAT = "vsat", _("VSAT")


class ServiceStatusChoices(models.TextChoices):
    """Life cycle of a link or an access point."""

    PLANNED = "planned", _("planned")
    BUILDING = "building", _("under construction")
    ACTIVE = "active", _("active")
    DEGRADED = "degraded", _("degraded")
    DOWN = "down", _("down")
    DECOMMISSIONED = "decommissioned", _("decommissioned")


#: statuses in which a link or access point carries traffic.
SERVICE_ACTIVE = frozenset({ServiceStatusChoices.ACTIVE, ServiceStatusChoices.DEGRADED})


class AccessPointKindChoices(models.TextChoices):
    """Kinds of public internet access point."""

    VSAT = "vsat", _("VSAT terminal")
    BAKTI_AI = "bakti_ai", _("BAKTI Akses Internet terminal")
    PUBLIC_WIFI = "public_wifi", _("public Wi-Fi")
    VILLAGE_OFFICE = "village_office", _("village-office internet")


class FacilityKindChoices(models.TextChoices):
    """Public facilities whose connection matters: village offices, schools, health."""

    KANTOR_DESA = "kantor_desa", _("village office (kantor desa)")
    SD = "sd", _("primary school (SD)")
    SMP = "smp", _("junior secondary school (SMP)")
    SMA = "sma", _("senior secondary school (SMA)")
    SMK = "smk", _("vocational school (SMK)")
    PUSKESMAS = "puskesmas", _("puskesmas")
    PUSTU = "pustu", _("pustu (auxiliary health post)")
    HOSPITAL = "hospital", _("hospital")
    OTHER = "other", _("other")


class ConnectedChoices(models.TextChoices):
    """Whether a facility has a working internet connection."""

    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("unknown")


class ConnectionKindChoices(models.TextChoices):
    """How a facility is connected."""

    FIBER = "fiber", _("fiber")
    CELLULAR_4G = "cellular_4g", _("cellular 4G")
    CELLULAR_2G_3G = "cellular_2g_3g", _("cellular 2G/3G")
    VSAT = "vsat", _("VSAT")
    WIFI = "wifi", _("Wi-Fi")
    NONE = "none", _("none")
    UNKNOWN = "unknown", _("unknown")


#: map colours of operators (distinct hues; grey for other).
OPERATOR_COLOURS = {
    OperatorChoices.TELKOMSEL: "#d32f2f",
    OperatorChoices.INDOSAT: "#f9a825",
    OperatorChoices.XL: "#1565c0",
    OperatorChoices.SMARTFREN: "#6a1b9a",
    OperatorChoices.OTHER: "#546e7a",
}

#: map colours of link kinds.
LINK_COLOURS = {
    LinkKindChoices.FIBER_ROUTE: "#ef6c00",
    LinkKindChoices.MICROWAVE_HOP: "#00838f",
    LinkKindChoices.VSAT: "#7b1fa2",
}

#: map colours of facilities by connection.
CONNECTED_COLOURS = {
    ConnectedChoices.YES: "#2e7d32",
    ConnectedChoices.NO: "#c62828",
    ConnectedChoices.UNKNOWN: "#9e9e9e",
}

"""Models of this app (one module per noun)."""

from .access_points import AccessPoint
from .facilities import Facility
from .links import Link
from .service_status import ServiceStatusChange
from .sites import Sector, Site, SiteStatusChange

__all__ = [
    "AccessPoint",
    "Facility",
    "Link",
    "Sector",
    "ServiceStatusChange",
    "Site",
    "SiteStatusChange",
]

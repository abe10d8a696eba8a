"""Template context shared by every page."""

from django.conf import settings

from jangkau import __version__
from jangkau.core.permissions import roles_of


def jangkau(request):
    """Version, the user's roles, and the regency code."""
    return {
        "jangkau_version": __version__,
        "user_roles": roles_of(getattr(request, "user", None)),
        "regency_code": settings.JANGKAU_REGENCY_CODE,
        "tile_url": settings.JANGKAU_TILE_URL,
    }

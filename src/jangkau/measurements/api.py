"""API routes of this app (mounted under /api/ by jangkau.urls)."""

from ninja import Router

router = Router(tags=["measurements"])

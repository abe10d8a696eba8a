"""A fixed-window rate limit for public endpoints, per client address, in Django's cache.

Reads under ``/api/`` are limited per minute; anonymous writes (POST/PUT/PATCH/DELETE from a
client that is not logged in) per hour. Limits come from settings (environment). A refused
request gets HTTP 429 with ``Retry-After`` and the API's error body.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
AGENT_PATH_PREFIX = "/api/monitoring/agent/"


def client_address(request) -> str:
    """The client address: ``X-Forwarded-For``'s first hop only when trusted by settings."""
    if settings.JANGKAU_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(bucket: str, limit: int, window_s: int) -> tuple[bool, int]:
    """Count one hit in ``bucket``; return (allowed, seconds until the window resets)."""
    now = int(time.time())
    window_start = now - now % window_s
    key = f"rl:{bucket}:{window_start}"
    added = cache.add(key, 1, timeout=window_s + 5)
    count = 1 if added else cache.incr(key)
    return count <= limit, window_start + window_s - now


class RateLimitMiddleware:
    """Apply the public-endpoint limits before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.JANGKAU_RATELIMIT_ENABLED:
            refused = self._check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request):
        if request.path.startswith(AGENT_PATH_PREFIX):
            return None  # probe agents authenticate with their own tokens (monitoring app)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        address = client_address(request)
        checks = []
        if request.path.startswith("/api/"):
            checks.append(("api", settings.JANGKAU_RATELIMIT_API_PER_MINUTE, 60))
        if request.method in WRITE_METHODS:
            checks.append(("write", settings.JANGKAU_RATELIMIT_WRITE_PER_HOUR, 3600))
        for name, limit, window in checks:
            allowed, retry_after = hit(f"{name}:{address}", limit, window)
            if not allowed:
                response = JsonResponse(
                    {
                        "error": {
                            "code": "rate_limited",
                            "message": f"Too many requests; try again in {retry_after} s.",
                            "details": [],
                        }
                    },
                    status=429,
                )
                response["Retry-After"] = str(retry_after)
                return response
        return None

"""The shared API layer: one NinjaAPI, one error body, one pagination scheme.

Error body (every 4xx/5xx from the API)::

    {"error": {"code": "not_found", "message": "...", "details": [{"field": ..., "message": ...}]}}

Lists are paginated with ``limit`` (default 50, maximum 500) and ``offset`` and return
``{"count", "limit", "offset", "next", "previous", "results"}``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

api = NinjaAPI(
    title="Jangkau API",
    version="1",
    description=(
        "Regions, connectivity evidence and status of the regency. Every figure carries its "
        "source, date and quality (official, measured, estimated, illustrative)."
    ),
    urls_namespace="api",
)


def error_body(code: str, message: str, details: list | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or []}}


@api.exception_handler(NinjaValidationError)
def _validation(request, exc):
    details = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("query", "body", "path")]
        details.append({"field": ".".join(loc), "message": err.get("msg", "")})
    return api.create_response(
        request, error_body("invalid", "Invalid request.", details), status=422
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(
        request, error_body("not_found", str(exc) or "Not found."), status=404
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(
        request, error_body("forbidden", str(exc) or "Not allowed."), status=403
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, error_body("unauthenticated", "Log in first."), status=401)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return api.create_response(
        request, error_body(getattr(exc, "code", "error"), str(exc)), status=exc.status_code
    )


def paginate(request, queryset, limit: int, offset: int, serialize) -> dict:
    """Slice ``queryset`` and return the paginated body; ``limit`` is capped at MAX_LIMIT."""
    if limit < 1 or offset < 0:
        raise HttpError(422, "limit must be >= 1 and offset >= 0")
    limit = min(limit, MAX_LIMIT)
    count = queryset.count()
    items = [serialize(obj) for obj in queryset[offset : offset + limit]]

    def link(new_offset: int) -> str:
        params = request.GET.copy()
        params["limit"] = str(limit)
        params["offset"] = str(new_offset)
        return f"{request.path}?{params.urlencode()}"

    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(0, offset - limit)) if offset > 0 else None,
        "results": items,
    }

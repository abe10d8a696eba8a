"""Request guards of the public report endpoints: the body size, checked before it is read."""

from __future__ import annotations

from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from jangkau.core.api import error_body
from jangkau.reports.limits import MAX_BODY_BYTES


def _too_large(request, max_bytes: int) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > max_bytes


def _message(max_bytes: int) -> str:
    return _("The request is too large: at most %(n)d bytes are accepted.") % {"n": max_bytes}


def limit_api_body(max_bytes: int = MAX_BODY_BYTES):
    """For an API operation (``ninja.decorators.decorate_view``): 413 in the API's error body."""

    def decorator(run):
        @wraps(run)
        def guarded(request, *args, **kwargs):
            if _too_large(request, max_bytes):
                return JsonResponse(error_body("too_large", _message(max_bytes)), status=413)
            return run(request, *args, **kwargs)

        return guarded

    return decorator


def limit_form_body(max_bytes: int = MAX_BODY_BYTES):
    """For a page view: 413 before anything reads the body, CSRF checked after the size.

    Django's CSRF middleware reads a POST body (up to ``DATA_UPLOAD_MAX_MEMORY_SIZE``) before any
    view runs; so the view is exempted from the middleware and protected by the same check here,
    after the size is known to be small.
    """

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method == "POST" and _too_large(request, max_bytes):
                return HttpResponse(
                    _message(max_bytes), status=413, content_type="text/plain; charset=utf-8"
                )
            return protected(request, *args, **kwargs)

        return csrf_exempt(guarded)

    return decorator

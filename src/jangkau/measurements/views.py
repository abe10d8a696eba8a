"""The import pages: upload a file, follow its import, download templates, read the columns.

Uploading needs the ``imports.run`` permission (admin, planner). The size limit
(``JANGKAU_MAX_UPLOAD_BYTES``) is checked on ``Content-Length`` before the body is read, while
the body streams in (an upload handler stops it), and on the form.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from jangkau.core.importing import REGISTRY, column_docs, template_csv
from jangkau.core.models import TaskProgress
from jangkau.core.permissions import can
from jangkau.measurements.forms import ImportUploadForm
from jangkau.measurements.models import ImportRun
from jangkau.measurements.tasks import import_file_task

#: room for the form's other fields and the multipart boundaries, bytes.
FORM_OVERHEAD = 64 * 1024


def _require_importer(request) -> None:
    if not can(request.user, "imports.run"):
        raise PermissionDenied("not allowed: imports.run")


class SizeLimitHandler(FileUploadHandler):
    """Stop reading an upload once it passes the size limit (whatever Content-Length said)."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def _kinds() -> list:
    return [REGISTRY[kind] for kind in sorted(REGISTRY)]


def _page(request, form, status=200, error=""):
    return render(
        request,
        "measurements/imports/upload.html",
        {
            "form": form,
            "upload_error": error,
            "kinds": _kinds(),
            "runs": ImportRun.objects.select_related("user")[:20],
            "max_bytes": settings.JANGKAU_MAX_UPLOAD_BYTES,
        },
        status=status,
    )


@csrf_exempt
def upload(request):
    """The upload page. CSRF is checked by :func:`_upload`, after the size checks."""
    _require_importer(request)
    limit = settings.JANGKAU_MAX_UPLOAD_BYTES
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + FORM_OVERHEAD:
            error = _("The upload is %(size)s bytes, above the limit of %(limit)s bytes.") % {
                "size": f"{length:,}",
                "limit": f"{limit:,}",
            }
            return _page(request, ImportUploadForm(), status=413, error=error)
        request.upload_handlers.insert(0, SizeLimitHandler(request, limit))
    return _upload(request)


@csrf_protect
def _upload(request):
    if request.method != "POST":
        return _page(request, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if getattr(request, "upload_too_large", False):
        form.is_valid()
        form.add_error(
            "file",
            _("The file is above the limit of %(limit)s bytes.")
            % {"limit": f"{settings.JANGKAU_MAX_UPLOAD_BYTES:,}"},
        )
        return _page(request, form, status=413)
    if not form.is_valid():
        return _page(request, form, status=400)
    run = start_import(request, form.cleaned_data)
    return redirect("measurements:import-run", pk=run.pk)


def store_upload(uploaded) -> tuple[Path, int, str]:
    """Write an uploaded file under ``DATA_DIR/uploads/imports``; return (path, size, sha256)."""
    directory = Path(settings.DATA_DIR) / "uploads" / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{uuid.uuid4().hex}{Path(uploaded.name).suffix.lower()}"
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return path, size, digest.hexdigest()


def start_import(request, data: dict) -> ImportRun:
    """Store the file, record the run and queue its import."""
    uploaded = data["file"]
    path, size, sha256 = store_upload(uploaded)
    name = Path(uploaded.name).name[:255]
    progress = TaskProgress.objects.create(label=_("Import of %(name)s") % {"name": name})
    run = ImportRun.objects.create(
        kind=data["kind"],
        file_name=name,
        file_size=size,
        sha256=sha256,
        stored_path=str(path),
        options=data["values"],
        crs=data["crs"],
        language=get_language() or "",
        user=request.user,
        progress=progress,
    )
    import_file_task.enqueue(run_id=run.pk)
    return run


def run_detail(request, pk: int):
    """One import: its progress while it runs, then its outcome."""
    _require_importer(request)
    run = get_object_or_404(ImportRun.objects.select_related("user", "progress"), pk=pk)
    return render(request, "measurements/imports/run.html", {"run": run})


def run_result(request, pk: int):
    """The outcome of an import (HTMX partial; polls itself until the import has finished)."""
    _require_importer(request)
    run = get_object_or_404(ImportRun.objects.select_related("recompute_progress"), pk=pk)
    return render(request, "measurements/imports/_run_result.html", {"run": run})


def template_download(request, kind: str):
    """The CSV template of a kind (UTF-8 with a byte-order mark, so spreadsheets read it)."""
    spec = REGISTRY.get(kind)
    if spec is None:
        raise Http404(f"unknown import kind {kind}")
    response = HttpResponse("\ufeff" + template_csv(spec), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jangkau-{kind}-template.csv"'
    return response


def kind_doc(request, kind: str):
    """What a kind's file holds: every column with its type, range, choices and example."""
    spec = REGISTRY.get(kind)
    if spec is None:
        raise Http404(f"unknown import kind {kind}")
    return render(
        request,
        "measurements/imports/kind.html",
        {"spec": spec, "columns": column_docs(spec), "key_columns": spec.key_columns},
    )

"""Background tasks of this app: importing an uploaded file."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from jangkau.core.importing import InputFileError, run_import
from jangkau.core.models import TaskProgress
from jangkau.measurements.choices import ImportStateChoices
from jangkau.measurements.models import ImportRun


def _finish(run: ImportRun, state: str, **fields) -> None:
    run.state = state
    run.finished = timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    run.save()


@task(takes_context=True)
def import_file_task(context: TaskContext, run_id: int) -> dict:
    """Import the file of an :class:`ImportRun`; record the outcome on the run and delete the
    file. A rejected file is a normal outcome (state ``rejected`` with its problems)."""
    run = ImportRun.objects.select_related("user", "progress").get(pk=run_id)
    progress = run.progress or TaskProgress.objects.create(label=f"Import {run.file_name}")
    progress.task_result_id = str(context.task_result.id)
    progress.save(update_fields=["task_result_id"])
    run.state = ImportStateChoices.RUNNING
    run.save(update_fields=["state"])
    path = Path(run.stored_path)
    try:
        with translation.override(run.language or settings.LANGUAGE_CODE):
            try:
                result = run_import(
                    run.kind,
                    path,
                    user=run.user,
                    progress=lambda done, total, message: progress.advance(done, total, message),
                    crs=run.crs or None,
                    options=run.options,
                )
            except InputFileError as exc:
                total = getattr(exc, "total", len(exc.errors))
                _finish(
                    run,
                    ImportStateChoices.REJECTED,
                    errors=[e.as_dict() for e in exc.errors],
                    error_count=total,
                    message=_("rejected: %(count)s problem(s); nothing was written")
                    % {"count": total},
                )
                progress.finish(run.message)  # the job ran to its end: the file was refused
                return {"state": run.state, "error_count": total}
            except Exception as exc:
                _finish(run, ImportStateChoices.FAILED, message=str(exc))
                progress.finish(_("failed: %(reason)s") % {"reason": exc}, failed=True)
                raise
            _finish(
                run,
                ImportStateChoices.DONE,
                rows=result.rows,
                created_count=result.created,
                updated_count=result.updated,
                unchanged_count=result.unchanged,
                skipped_count=result.skipped,
                recompute_progress_id=result.recompute_progress_id,
                message=result.summary(),
            )
            progress.finish(
                _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged")
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            )
            return {"state": run.state, **result.as_dict()}
    finally:
        path.unlink(missing_ok=True)

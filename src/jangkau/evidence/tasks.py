"""Background tasks of the evidence app."""

from __future__ import annotations

from django_tasks import TaskContext, task

from jangkau.core.models import TaskProgress
from jangkau.evidence.services import recompute_statuses


@task(takes_context=True)
def recompute_statuses_task(
    context: TaskContext, village_codes: list[str] | None = None, progress_id: int | None = None
) -> int:
    """Recompute village statuses after new evidence arrived; reports progress."""
    progress = TaskProgress.objects.filter(pk=progress_id).first() if progress_id else None
    if progress is None:
        progress = TaskProgress.objects.create(label="Recompute village statuses")
    progress.task_result_id = str(context.task_result.id)
    progress.save(update_fields=["task_result_id"])
    try:
        changed = recompute_statuses(
            village_codes,
            progress=lambda done, total: (
                progress.advance(done, total) if done % 10 == 0 or done == total else None
            ),
        )
    except Exception as exc:
        progress.finish(f"failed: {exc}", failed=True)
        raise
    progress.finish(f"{changed} status change(s)")
    return changed


def enqueue_recompute(village_codes: list[str] | None = None, label: str = "") -> TaskProgress:
    """Queue a recomputation and return its progress row (pages poll it)."""
    progress = TaskProgress.objects.create(label=label or "Recompute village statuses")
    recompute_statuses_task.enqueue(village_codes=village_codes, progress_id=progress.pk)
    progress.refresh_from_db()
    return progress

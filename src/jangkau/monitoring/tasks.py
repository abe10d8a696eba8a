"""Background tasks of the monitoring app."""

from __future__ import annotations

from django_tasks import TaskContext, task

from jangkau.core.models import TaskProgress
from jangkau.monitoring.services.cycle import run_cycle


@task(takes_context=True)
def monitoring_cycle_task(context: TaskContext, progress_id: int | None = None) -> dict:
    """Roll up new results, update outages and the gate, send alerts; reports progress."""
    progress = TaskProgress.objects.filter(pk=progress_id).first() if progress_id else None
    if progress is None:
        progress = TaskProgress.objects.create(label="Monitoring rollup")
    progress.task_result_id = str(context.task_result.id)
    progress.save(update_fields=["task_result_id"])
    try:
        summary = run_cycle(
            progress=lambda done, total, message: progress.advance(done, total, message)
        )
    except Exception as exc:
        progress.finish(f"failed: {exc}", failed=True)
        raise
    progress.finish(
        f"{summary['counted']} result(s) counted, {summary['outage_events']} outage event(s), "
        f"{summary['gate_changes']} gate change(s), {summary['alerts_sent']} alert(s) sent"
    )
    return summary


def enqueue_cycle(label: str = "") -> TaskProgress:
    """Queue a cycle and return its progress row (pages poll it)."""
    progress = TaskProgress.objects.create(label=label or "Monitoring rollup")
    monitoring_cycle_task.enqueue(progress_id=progress.pk)
    progress.refresh_from_db()
    return progress

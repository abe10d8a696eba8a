"""Background task of the coverage app: compute a run, then publish its predictions."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import TaskContext, task

from jangkau.core.models import TaskProgress
from jangkau.radio.choices import RunStateChoices
from jangkau.radio.engine import RunOptions, execute_run, prepare_run
from jangkau.radio.models import CoverageRun
from jangkau.radio.predictions import publish_predictions, published_run

logger = logging.getLogger(__name__)


@task(takes_context=True)
def compute_coverage_task(context: TaskContext, run_id: int) -> dict:
    """Compute coverage run ``run_id`` with a progress bar; publish it if it is the network's."""
    run = CoverageRun.objects.select_related("progress", "terrain").get(pk=run_id)
    progress = run.progress or TaskProgress.objects.create(label=f"Coverage run #{run.pk}")
    progress.task_result_id = str(context.task_result.id)
    progress.save(update_fields=["task_result_id"])
    try:
        progress.advance(0, run.n_sites, "starting")
        execute_run(run, progress)
        published = None
        if not run.include_proposed:
            published = publish_predictions(run)
    except Exception as exc:
        logger.exception("coverage run %s failed", run.pk)
        CoverageRun.objects.filter(pk=run.pk).update(
            state=RunStateChoices.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        progress.finish(f"failed: {exc}", failed=True)
        raise
    message = f"{run.n_sites} site(s), {run.seconds:.1f} s"
    if published is not None:
        message += f"; {published['created']} new prediction(s) as evidence"
    progress.finish(message)
    return {"run": run.pk, "seconds": run.seconds}


def request_run(options: RunOptions, user=None) -> tuple[CoverageRun, bool]:
    """Get the run for ``options``: reuse a cached one or queue a new one.

    Returns ``(run, queued)``. On a cache hit of a finished run of the current network whose
    predictions are not the published ones (another run was published since), its
    predictions are published again, so the evidence always follows the latest request.
    """
    run, needs_computing = prepare_run(options, user)
    if not needs_computing:
        if run.is_done and not run.include_proposed:
            current = published_run()
            if current is None or current.pk != run.pk:
                publish_predictions(run)
        return run, False
    progress = TaskProgress.objects.create(label=f"Coverage run #{run.pk}", total=run.n_sites)
    run.progress = progress
    run.save(update_fields=["progress"])
    compute_coverage_task.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run, True

"""Background tasks: solving a scenario, and printing its report to PDF."""

from __future__ import annotations

from django.db import transaction
from django_tasks import TaskContext, task

from jangkau.core.models import TaskProgress
from jangkau.planning.choices import SCENARIO_BUSY, ScenarioStateChoices
from jangkau.planning.models import PlanResult, Scenario

STEP_LABELS = {
    "instance": "building the instance from the database",
    "plan": "solving the plan",
}


class ScenarioBusy(Exception):
    """The scenario is already queued or running."""


@task(takes_context=True)
def run_scenario_task(
    context: TaskContext, scenario_id: int, progress_id: int, user_id: int | None = None
) -> int | None:
    """Solve a scenario and its cost curve; return the plan's result id."""
    from django.contrib.auth import get_user_model

    from jangkau.planning.services import run_scenario

    progress = TaskProgress.objects.get(pk=progress_id)
    progress.task_result_id = str(context.task_result.id)
    progress.save(update_fields=["task_result_id"])
    scenario = Scenario.objects.select_related("cost_table").get(pk=scenario_id)
    Scenario.objects.filter(pk=scenario_id).update(state=ScenarioStateChoices.RUNNING)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None

    def report(done: int, total: int, step: str) -> None:
        if step.startswith("curve "):
            message = f"cost curve: {float(step[6:]):.0%} of the budget"
        else:
            message = STEP_LABELS.get(step, step)
        progress.advance(done, total, message)

    try:
        result = run_scenario(scenario, progress=report, user=user)
    except Exception as exc:
        Scenario.objects.filter(pk=scenario_id).update(state=ScenarioStateChoices.FAILED)
        progress.finish(f"failed: {exc}", failed=True)
        raise
    Scenario.objects.filter(pk=scenario_id).update(state=ScenarioStateChoices.DONE)
    progress.finish(f"result #{result.pk}: {result.status}")
    return result.pk


def enqueue_run(scenario: Scenario, user=None) -> TaskProgress:
    """Queue a solve of ``scenario``; refuse (``ScenarioBusy``) while one is under way."""
    with transaction.atomic():
        locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
        if locked.state in SCENARIO_BUSY:
            raise ScenarioBusy(scenario.pk)
        progress = TaskProgress.objects.create(label=f"Plan: {scenario.name}"[:200])
        locked.state = ScenarioStateChoices.QUEUED
        locked.progress = progress
        locked.save(update_fields=["state", "progress", "updated"])
    user_id = user.pk if user is not None and user.is_authenticated else None
    run_scenario_task.enqueue(scenario_id=scenario.pk, progress_id=progress.pk, user_id=user_id)
    progress.refresh_from_db()
    scenario.refresh_from_db()
    return progress


@task(takes_context=True)
def report_pdf_task(context: TaskContext, result_id: int, progress_id: int) -> str:
    """Print the report of a result to PDF with headless Chromium; return its stored path."""
    from jangkau.planning.exports import write_report_pdf

    progress = TaskProgress.objects.get(pk=progress_id)
    progress.task_result_id = str(context.task_result.id)
    progress.save(update_fields=["task_result_id"])
    result = PlanResult.objects.get(pk=result_id)
    progress.advance(0, 1, "printing the report with headless Chromium")
    try:
        relative = write_report_pdf(result)
    except Exception as exc:
        progress.finish(f"failed: {exc}", failed=True)
        raise
    PlanResult.objects.filter(pk=result_id).update(pdf_path=relative)
    progress.finish("PDF ready")
    return relative


def enqueue_pdf(result: PlanResult) -> TaskProgress:
    """Queue printing a result's report to PDF."""
    progress = TaskProgress.objects.create(label=f"PDF report of plan #{result.pk}")
    PlanResult.objects.filter(pk=result.pk).update(pdf_progress=progress)
    report_pdf_task.enqueue(result_id=result.pk, progress_id=progress.pk)
    progress.refresh_from_db()
    result.refresh_from_db()
    return progress

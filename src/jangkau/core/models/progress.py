"""Progress of a background task, written by the task and polled by pages."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskProgress(models.Model):
    """One row per background job: what it does and how far it has got.

    The task updates ``done``/``total``/``message``; pages poll it through HTMX. ``task_result_id``
    is the django-tasks result id, so the job's final state comes from the task backend itself.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    task_result_id = models.CharField(_("task result id"), max_length=64, blank=True, default="")
    label = models.CharField(_("label"), max_length=200)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True, default="")
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")

    def __str__(self) -> str:
        return f"{self.label} ({self.state} {self.done}/{self.total})"

    @property
    def percent(self) -> int:
        """Completion in whole percent (0 while the total is unknown)."""
        if not self.total:
            return 100 if self.state == self.State.DONE else 0
        return min(100, round(100 * self.done / self.total))

    def advance(self, done: int, total: int | None = None, message: str = "") -> None:
        """Record progress; called by the running task."""
        self.state = self.State.RUNNING
        self.done = done
        if total is not None:
            self.total = total
        if message:
            self.message = message
        self.save(update_fields=["state", "done", "total", "message", "updated"])

    def finish(self, message: str = "", failed: bool = False) -> None:
        """Mark the job done (or failed) with a closing message."""
        self.state = self.State.FAILED if failed else self.State.DONE
        if not failed and self.total:
            self.done = self.total
        self.message = message
        self.save(update_fields=["state", "done", "message", "updated"])

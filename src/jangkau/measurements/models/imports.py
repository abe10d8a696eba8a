"""A file uploaded on the import page and what its import did."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.measurements.choices import ImportStateChoices


class ImportRun(models.Model):
    """One uploaded file: its kind, who sent it, the state of its import and the outcome.

    The file itself is deleted once the import has run; ``sha256`` identifies it. ``errors``
    holds the problems of a rejected file (at most 1,000, each ``{"row", "field", "message"}``)
    and ``error_count`` how many were found in all.
    """

    kind = models.CharField(_("kind"), max_length=40)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.BigIntegerField(_("file size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, default="")
    stored_path = models.CharField(_("stored at"), max_length=500, blank=True, default="")
    options = models.JSONField(_("given values"), default=dict, blank=True)
    crs = models.CharField(_("CRS"), max_length=100, blank=True, default="")
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
        verbose_name=_("user"),
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ImportStateChoices.choices,
        default=ImportStateChoices.QUEUED,
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    error_count = models.PositiveIntegerField(_("problems found"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True, default="")
    progress = models.ForeignKey(
        "core.TaskProgress",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("progress"),
    )
    recompute_progress = models.ForeignKey(
        "core.TaskProgress",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status recomputation"),
    )
    created = models.DateTimeField(_("uploaded"), default=timezone.now)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                name="import_run_known_state",
                condition=models.Q(state__in=ImportStateChoices.values),
                violation_error_message=_("Unknown import state."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in {
            ImportStateChoices.DONE,
            ImportStateChoices.REJECTED,
            ImportStateChoices.FAILED,
        }

"""Aggregated results (5 minutes, hour, day) and the bookkeeping of the rollup task."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.monitoring.choices import RollupWidthChoices


class ResultRollup(models.Model):
    """One row of :class:`jangkau.cores.probes.Rollup`: a target's results in one time bucket.

    The bucket is ``[bucket_start, bucket_start + width_s)``, ``bucket_start`` in UTC epoch
    seconds (an integer keeps the 90-day query free of date parsing). Buckets are aligned to
    WITA (UTC+8), so a daily bucket is a local day. The latency histogram is the core's fixed
    log-bucket layout (:class:`~jangkau.cores.probes.HistogramSpec` defaults), stored trimmed:
    ``hist`` holds little-endian uint32 counts of bins ``hist_offset`` to
    ``hist_offset + len(hist) / 4 - 1``; every other bin is zero.

    Rows are recomputed whole (delete and insert), never incremented, so running the rollup
    twice gives the same rows.
    """

    target = models.ForeignKey(
        "monitoring.ProbeTarget",
        on_delete=models.CASCADE,
        related_name="rollups",
        verbose_name=_("target"),
    )
    width_s = models.PositiveIntegerField(_("bucket width"), choices=RollupWidthChoices.choices)
    bucket_start = models.BigIntegerField(_("bucket start (UTC epoch s)"))
    count = models.PositiveIntegerField(_("results"))
    successes = models.PositiveIntegerField(_("successful results"))
    latency_count = models.PositiveIntegerField(_("results with a latency"))
    latency_sum = models.FloatField(_("latency sum (ms)"))
    latency_min = models.FloatField(_("latency minimum (ms)"), null=True)
    latency_max = models.FloatField(_("latency maximum (ms)"), null=True)
    packets_sent = models.PositiveIntegerField(_("ICMP packets sent"), default=0)
    packets_lost = models.PositiveIntegerField(_("ICMP packets lost"), default=0)
    hist_offset = models.PositiveSmallIntegerField(_("first histogram bin"), default=0)
    hist = models.BinaryField(_("latency histogram (trimmed uint32)"), default=b"")

    class Meta:
        ordering = ["target", "width_s", "bucket_start"]
        verbose_name = _("result rollup")
        verbose_name_plural = _("result rollups")
        indexes = [
            models.Index(fields=["width_s", "bucket_start"], name="monitoring_rollup_width_start")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "width_s", "bucket_start"],
                name="monitoring_rollup_unique_bucket",
                violation_error_message=_("One row per target, width and bucket."),
            ),
            models.CheckConstraint(
                name="monitoring_rollup_counts_consistent",
                condition=Q(successes__lte=F("count"), latency_count__lte=F("successes")),
                violation_error_message=_("More successes than results."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_id} {self.width_s}s {self.bucket_start_at:%Y-%m-%d %H:%M}"

    @property
    def bucket_start_at(self) -> datetime:
        """The bucket start as an aware UTC datetime."""
        return datetime.fromtimestamp(self.bucket_start, UTC)


class RollupCursor(models.Model):
    """The rollup task's bookkeeping (one row, ``name="default"``).

    ``purged_before``: raw results with ``ts`` before this instant have been deleted, so
    buckets before it can no longer be recomputed from raw; a late result older than it is
    folded into the rollups and deleted in the same transaction instead. ``running_since`` is
    set while a run holds the cursor (claimed with a conditional update, so two workers never
    run the cycle at once; a claim older than an hour is considered abandoned).
    """

    name = models.CharField(_("name"), max_length=40, unique=True, default="default")
    purged_before = models.DateTimeField(_("raw results purged before"), null=True, blank=True)
    running_since = models.DateTimeField(_("running since"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_summary = models.JSONField(_("last run summary"), default=dict, blank=True)
    updated = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("rollup cursor")
        verbose_name_plural = _("rollup cursors")

    def __str__(self) -> str:
        return f"{self.name}: raw kept from {self.purged_before}"

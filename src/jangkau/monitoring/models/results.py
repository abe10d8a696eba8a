"""Raw probe results as uploaded by the agents (kept for a limited window)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ProbeResult(models.Model):
    """One probe run, stored exactly once (``uuid`` is the agent's idempotency key).

    ``ts`` is when the agent ran the probe (its clock, UTC); ``received_at`` is when the server
    stored it. ``rolled_up`` is set, in the same transaction that rewrites the result's rollup
    buckets, once the result is counted in them; the rollup task finds new work by it, and only
    rolled-up results are purged. ``packets_sent``/``packets_lost`` come from an ICMP result's
    ``detail`` (``sent``/``received``) and feed packet loss; they are 0 for other kinds. Raw
    results are
    kept ``JANGKAU_MONITORING_RAW_DAYS`` days; the rollups keep the rest.
    """

    uuid = models.UUIDField(_("uuid"), unique=True)
    # no index of its own: the (target, ts) index below serves every lookup by target, and a
    # second index on every row costs ingest (docs/benchmarks.md, ingest)
    target = models.ForeignKey(
        "monitoring.ProbeTarget",
        db_index=False,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("target"),
    )
    # which agent uploaded it: provenance, not integrity (the ingest checks that the target
    # belongs to the agent). No database constraint: PostgreSQL would check it row by row at
    # every commit, an eighth of the ingest time. Django still sets it to null when an agent is
    # deleted; a result stored in the very instant its agent is deleted keeps the old id.
    agent = models.ForeignKey(
        "monitoring.Agent",
        db_constraint=False,
        null=True,
        on_delete=models.SET_NULL,
        related_name="results",
        verbose_name=_("agent"),
    )
    ts = models.DateTimeField(_("probed at (agent clock, UTC)"))
    received_at = models.DateTimeField(_("received at"))
    ok = models.BooleanField(_("succeeded"))
    latency_ms = models.FloatField(_("latency (ms)"), null=True, blank=True)
    loss_pct = models.FloatField(_("loss (%)"), null=True, blank=True)
    packets_sent = models.PositiveSmallIntegerField(_("ICMP packets sent"), default=0)
    packets_lost = models.PositiveSmallIntegerField(_("ICMP packets lost"), default=0)
    error = models.TextField(_("error"), blank=True, default="")
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    rolled_up = models.BooleanField(_("counted in the rollups"), default=False)

    class Meta:
        ordering = ["target", "ts"]
        verbose_name = _("probe result")
        verbose_name_plural = _("probe results")
        indexes = [
            models.Index(fields=["target", "ts"], name="monitoring_result_target_ts"),
            # keyed by id so new rows land at its right end (cheap inserts); it only holds
            # results not yet rolled up, a few minutes' worth
            models.Index(
                fields=["id"], condition=Q(rolled_up=False), name="monitoring_result_pending"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="monitoring_result_latency_nonnegative",
                condition=Q(latency_ms__isnull=True) | Q(latency_ms__gte=0),
                violation_error_message=_("Latency cannot be negative."),
            ),
            models.CheckConstraint(
                name="monitoring_result_loss_percent",
                condition=Q(loss_pct__isnull=True) | Q(loss_pct__gte=0, loss_pct__lte=100),
                violation_error_message=_("Loss is a percentage (0 to 100)."),
            ),
            models.CheckConstraint(
                name="monitoring_result_lost_le_sent",
                condition=Q(packets_lost__lte=F("packets_sent")),
                violation_error_message=_("More packets lost than sent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_id} {self.ts:%Y-%m-%d %H:%M:%S} {'ok' if self.ok else 'fail'}"

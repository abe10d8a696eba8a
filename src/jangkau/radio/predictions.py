"""Publish a run's per-operator predictions as ``model_prediction`` evidence.

Mapping (per village and operator, from the operator's own raster):

* good share ≥ 0.5 → ``4g_good``;
* otherwise, at-least-weak share ≥ 0.5 → ``4g_weak``;
* otherwise **no evidence**. A model that predicts no coverage only says that no *known* site
  reaches the village; with an incomplete inventory that is absence of evidence, not evidence
  of absence (the same reasoning as "not on a blank-spot list" in docs/status-engine.md). A
  prediction of coverage can still be wrong, which is why model predictions rank lowest and
  never decide while a measurement exists.

Only runs of the current network publish (never a run that includes proposed sites). A
publication replaces every earlier ``coverage:`` prediction, then the statuses of every
village whose predictions appeared, changed or disappeared are recomputed in the background.
The evidence is dated by the tower inventory the run used (``run.as_of``), not the run date.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jangkau.core.choices import QualityChoices
from jangkau.evidence.choices import ConnectivityStatusChoices, EvidenceKindChoices
from jangkau.evidence.models import Evidence
from jangkau.radio.models import CoverageRun, VillageCoverage

KEY_PREFIX = "coverage:"
#: a village counts as served when at least this share of its area is.
SERVED_SHARE = 0.5


def predicted_status(share_good: float | None, share_weak: float | None) -> str | None:
    """The status a prediction supports, or None (no evidence) below the weak share."""
    if share_good is not None and share_good >= SERVED_SHARE:
        return ConnectivityStatusChoices.GOOD_4G
    if share_weak is not None and share_weak >= SERVED_SHARE:
        return ConnectivityStatusChoices.WEAK_4G
    return None


def evidence_key(run: CoverageRun, village_code: str, operator: str) -> str:
    return f"{KEY_PREFIX}{run.inputs_hash}:{village_code}:{operator}"


def published_run() -> CoverageRun | None:
    """The run whose predictions are the current evidence."""
    return (
        CoverageRun.objects.filter(published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .first()
    )


def publish_predictions(run: CoverageRun, recompute: bool = True) -> dict:
    """Replace the model-prediction evidence with this run's; return counts.

    Returns ``{"created", "removed", "villages"}``; ``villages`` are the codes whose statuses
    are recomputed.
    """
    if run.include_proposed:
        raise ValueError("a run with proposed sites describes a plan, not the network")
    rows = (
        VillageCoverage.objects.filter(run=run)
        .exclude(operator="")
        .select_related("village")
        .order_by("village__code", "operator")
    )
    wanted: dict[str, tuple[VillageCoverage, str]] = {}
    for row in rows:
        status = predicted_status(row.share_good, row.share_weak)
        if status is not None:
            wanted[evidence_key(run, row.village.code, row.operator)] = (row, status)
    source = (
        f"Jangkau coverage engine, run #{run.pk} ({run.model}, {run.resolution_m:g} m, "
        f"terrain: {run.terrain_label})"
    )
    note = (
        "Predicted, not observed: the model may over-state coverage under forest and hills. "
        "Share of the village area at the good/weak level; thresholds "
        f"{run.threshold_good_dbm:g}/{run.threshold_weak_dbm:g} dBm."
    )
    with transaction.atomic():
        old = Evidence.objects.filter(
            kind=EvidenceKindChoices.MODEL_PREDICTION, key__startswith=KEY_PREFIX
        )
        affected = set(old.exclude(key__in=list(wanted)).values_list("village__code", flat=True))
        removed, _by_model = old.exclude(key__in=list(wanted)).delete()
        existing = set(Evidence.objects.filter(key__in=list(wanted)).values_list("key", flat=True))
        created = 0
        for key, (row, status) in wanted.items():
            affected.add(row.village.code)
            if key in existing:
                continue
            Evidence.objects.create(
                key=key,
                village=row.village,
                kind=EvidenceKindChoices.MODEL_PREDICTION,
                operator=row.operator,
                status=status,
                source=source,
                source_url=f"/cakupan/runs/{run.pk}/",
                as_of=run.as_of or timezone.localdate(),
                quality=QualityChoices.ESTIMATED,
                detail={
                    "run": run.pk,
                    "share_good": row.share_good,
                    "share_weak": row.share_weak,
                    "median_signal_dbm": row.median_signal_dbm,
                    "margin_db": row.margin_db,
                    "best_site": row.best_site_code,
                    "model": run.model,
                    "thresholds_dbm": [run.threshold_good_dbm, run.threshold_weak_dbm],
                },
                note=note,
            )
            created += 1
        run.published_at = timezone.now()
        run.save(update_fields=["published_at"])
    villages = sorted(affected)
    if recompute and villages:
        from jangkau.evidence.tasks import enqueue_recompute

        enqueue_recompute(villages, label=f"Recompute statuses after coverage run #{run.pk}")
    return {"created": created, "removed": removed, "villages": villages}

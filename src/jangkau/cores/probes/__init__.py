"""Probe statistics: availability, latency, loss, outages, rollups, SLA and the stability gate.

Pure numpy: arrays in, dataclasses out, no Django. The modules are split by noun:

``stats``
    Cleaning a raw series (sort, dedupe) and summarising it: availability with coverage,
    latency percentiles, jitter, loss, gaps; fixed-width rollups (5 min, hour, day) with a
    log-bucket latency histogram, and their coarsening.
``outages``
    Outage detection (N consecutive failures, M consecutive successes to recover, merge gap),
    MTBF and MTTR.
``sla``
    The many-targets window query over rollups (availability + p95 over 90 days) and monthly
    SLA compliance per target, from raw results or from rollups.
``gate``
    The stability gate ("siap") per target, village and kecamatan, and gate transitions.

See ``docs/monitoring-statistics.md`` for every definition and its justification.
"""

from jangkau.cores.probes.gate import (
    GateDecision,
    GateReason,
    GateThresholds,
    GateTransition,
    TargetMetrics,
    evaluate_kecamatan,
    evaluate_target,
    evaluate_village,
    gate_transitions,
    metrics_from_stats,
    metrics_from_window,
    rolling_metrics,
)
from jangkau.cores.probes.outages import (
    Outage,
    Reliability,
    detect_outages,
    reliability,
)
from jangkau.cores.probes.rollups import (
    HistogramSpec,
    Rollup,
    coarsen,
    concat_rollups,
    histogram_quantiles,
    rollup,
)
from jangkau.cores.probes.sla import (
    EPS,
    MonthlySla,
    WindowStats,
    monthly_sla,
    monthly_sla_from_rollup,
    window_stats,
)
from jangkau.cores.probes.stats import (
    DAY_S,
    FIVE_MINUTES_S,
    HOUR_S,
    WITA_OFFSET_S,
    Gap,
    ProbeSeries,
    ProbeStats,
    find_gaps,
    jitter,
    latency_percentiles,
    loss_pct,
    prepare_series,
    summarize,
    to_epoch_seconds,
)

__all__ = [
    "DAY_S",
    "EPS",
    "WITA_OFFSET_S",
    "FIVE_MINUTES_S",
    "HOUR_S",
    "Gap",
    "GateDecision",
    "GateReason",
    "GateThresholds",
    "GateTransition",
    "HistogramSpec",
    "MonthlySla",
    "Outage",
    "ProbeSeries",
    "ProbeStats",
    "Reliability",
    "Rollup",
    "TargetMetrics",
    "WindowStats",
    "coarsen",
    "concat_rollups",
    "detect_outages",
    "evaluate_kecamatan",
    "evaluate_target",
    "evaluate_village",
    "find_gaps",
    "gate_transitions",
    "histogram_quantiles",
    "jitter",
    "latency_percentiles",
    "loss_pct",
    "metrics_from_stats",
    "metrics_from_window",
    "monthly_sla",
    "monthly_sla_from_rollup",
    "prepare_series",
    "reliability",
    "rolling_metrics",
    "rollup",
    "summarize",
    "to_epoch_seconds",
    "window_stats",
]

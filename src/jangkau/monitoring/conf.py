"""Settings of the monitoring app, each with its default.

Values come from ``jangkau.settings`` (which reads the environment); the app never reads the
environment itself. Every name, its environment variable and default are listed in
``docs/monitoring.md``.
"""

from __future__ import annotations

from django.conf import settings

from jangkau.cores.probes import GateThresholds


def _get(name: str, default):
    return getattr(settings, name, default)


def raw_days() -> int:
    """Days raw results are kept (``JANGKAU_MONITORING_RAW_DAYS``, default 30)."""
    return max(1, int(_get("JANGKAU_MONITORING_RAW_DAYS", 30)))


def rollup_5m_days() -> int:
    """Days 5-minute rollups are kept (default 90, never less than the raw window + 2)."""
    return max(raw_days() + 2, int(_get("JANGKAU_MONITORING_ROLLUP_5M_DAYS", 90)))


def rollup_hour_days() -> int:
    """Days hourly rollups are kept (default 1095, three years); daily rollups are kept forever."""
    return max(rollup_5m_days(), int(_get("JANGKAU_MONITORING_ROLLUP_HOUR_DAYS", 1095)))


def clock_skew_s() -> float:
    """How far in the future a result's ``ts`` may be (agent clock ahead), default 300 s."""
    return float(_get("JANGKAU_MONITORING_CLOCK_SKEW_S", 300))


def max_result_age_days() -> int:
    """Results older than this are rejected (a box booted with a wrong clock), default 365."""
    return int(_get("JANGKAU_MONITORING_MAX_RESULT_AGE_DAYS", 365))


def max_batch() -> int:
    """Most results accepted in one upload, default 5000 (the agent sends 500)."""
    return int(_get("JANGKAU_MONITORING_MAX_BATCH", 5000))


def default_interval_s() -> int:
    """``interval_default_s`` served to agents, default 60."""
    return int(_get("JANGKAU_MONITORING_DEFAULT_INTERVAL_S", 60))


def outage_rule() -> tuple[int, int, float]:
    """(N failures to open, M successes to close, merge gap s): default (3, 2, 300)."""
    return (
        int(_get("JANGKAU_OUTAGE_FAILURES", 3)),
        int(_get("JANGKAU_OUTAGE_RECOVERIES", 2)),
        float(_get("JANGKAU_OUTAGE_MERGE_GAP_S", 300)),
    )


def gate_thresholds() -> GateThresholds:
    """The stability gate: >= 99.5 % availability, <= 1 % loss, <= 150 ms p95 over 30 days."""
    return GateThresholds(
        min_availability_pct=float(_get("JANGKAU_GATE_MIN_AVAILABILITY_PCT", 99.5)),
        max_loss_pct=float(_get("JANGKAU_GATE_MAX_LOSS_PCT", 1.0)),
        max_p95_ms=float(_get("JANGKAU_GATE_MAX_P95_MS", 150.0)),
        window_days=float(_get("JANGKAU_GATE_WINDOW_DAYS", 30)),
        min_coverage_pct=float(_get("JANGKAU_GATE_MIN_COVERAGE_PCT", 80.0)),
    )


def alert_dedupe_s() -> float:
    """Window in which the same alert is not sent again, default 60 minutes."""
    return 60.0 * float(_get("JANGKAU_ALERT_DEDUPE_MINUTES", 60))


def alert_webhook_timeout_s() -> float:
    """Timeout of one webhook POST, default 10 s."""
    return float(_get("JANGKAU_ALERT_WEBHOOK_TIMEOUT_S", 10))


def alert_max_attempts() -> int:
    """Delivery attempts before an alert stays failed, default 3."""
    return int(_get("JANGKAU_ALERT_MAX_ATTEMPTS", 3))


def metrics_token() -> str:
    """Bearer token required by ``/metrics``; empty (default) = public and rate-limited."""
    return str(_get("JANGKAU_METRICS_TOKEN", "") or "")


def metrics_per_minute() -> int:
    """Requests per minute per address to a public ``/metrics``, default 60."""
    return int(_get("JANGKAU_METRICS_PER_MINUTE", 60))


def agent_failed_auth_per_minute() -> int:
    """Refused agent tokens per minute per address before 429, default 30."""
    return int(_get("JANGKAU_AGENT_FAILED_AUTH_PER_MINUTE", 30))

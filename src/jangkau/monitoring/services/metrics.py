"""Prometheus text exposition format 0.0.4 for ``/metrics``, written by hand (no client library).

Per enabled target, from its latest result (labels ``target`` (name), ``target_id``,
``village`` and ``kecamatan`` (Kemendagri codes), ``kind``):

``jangkau_probe_up``                 1 if the latest probe succeeded, else 0
``jangkau_probe_latency_ms``         its latency (NaN when it failed)
``jangkau_probe_loss_pct``           its loss: ICMP packet loss, else 0 / 100
``jangkau_probe_last_result_timestamp_seconds``  when it ran (Unix time)

Per agent (label ``agent``): ``jangkau_agent_last_seen_seconds`` (Unix time of its last
request; ``time() - jangkau_agent_last_seen_seconds`` is its silence) and
``jangkau_agent_backlog`` (results queued on the box). Per village and kecamatan:
``jangkau_gate_ready`` (1 siap, 0 otherwise). Targets without any result have no samples.
"""

from __future__ import annotations

import math

from jangkau.monitoring.models import Agent, GateState, ProbeTarget
from jangkau.monitoring.services.stats import last_results

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def escape_label(value: str) -> str:
    """Escape a label value: backslash, double quote and line feed."""
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def format_value(value: float | int | None) -> str:
    """A sample value: integers as is, NaN/Inf spelled as Prometheus expects."""
    if value is None:
        return "NaN"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value))


def _labels(pairs: dict) -> str:
    return "{" + ",".join(f'{k}="{escape_label(v)}"' for k, v in pairs.items()) + "}"


class _Family:
    def __init__(self, name: str, help_text: str, kind: str = "gauge"):
        self.name, self.help, self.kind = name, help_text, kind
        self.samples: list[str] = []

    def add(self, labels: dict, value) -> None:
        self.samples.append(f"{self.name}{_labels(labels)} {format_value(value)}")

    def render(self) -> list[str]:
        return [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} {self.kind}", *self.samples]


def render_metrics() -> str:
    """The whole exposition (ends with a newline, as the format requires)."""
    up = _Family("jangkau_probe_up", "Whether the latest probe of the target succeeded.")
    latency = _Family("jangkau_probe_latency_ms", "Latency of the latest probe in milliseconds.")
    loss = _Family("jangkau_probe_loss_pct", "Loss of the latest probe in percent.")
    last_ts = _Family(
        "jangkau_probe_last_result_timestamp_seconds",
        "Unix time of the latest probe of the target.",
    )
    seen = _Family(
        "jangkau_agent_last_seen_seconds", "Unix time of the agent's last request to the server."
    )
    backlog = _Family("jangkau_agent_backlog", "Results queued on the agent, as it last reported.")
    gate = _Family(
        "jangkau_gate_ready", "Whether the village or kecamatan passes the stability gate (siap)."
    )
    targets = list(
        ProbeTarget.objects.filter(enabled=True).select_related("village__district").order_by("pk")
    )
    latest = last_results([t.pk for t in targets])
    for t in targets:
        r = latest.get(t.pk)
        if r is None:
            continue
        labels = {
            "target": t.name,
            "target_id": t.pk,
            "village": t.village.code,
            "kecamatan": t.village.district.code,
            "kind": t.kind,
        }
        up.add(labels, 1 if r.ok else 0)
        latency.add(labels, r.latency_ms if r.ok and r.latency_ms is not None else math.nan)
        loss.add(labels, r.loss_pct if r.loss_pct is not None else (0.0 if r.ok else 100.0))
        last_ts.add(labels, r.ts.timestamp())
    for a in Agent.objects.filter(revoked_at__isnull=True).order_by("name"):
        if a.last_seen is not None:
            seen.add({"agent": a.name}, a.last_seen.timestamp())
        if a.last_backlog is not None:
            backlog.add({"agent": a.name}, a.last_backlog)
    for g in GateState.objects.select_related("village", "district").order_by("level", "pk"):
        gate.add({"level": g.level, "code": g.subject_code}, 1 if g.ready else 0)
    lines: list[str] = []
    for family in (up, latency, loss, last_ts, seen, backlog, gate):
        lines += family.render()
    return "\n".join(lines) + "\n"

"""Alerts: raise them from outage and gate events, dedupe, hold in quiet hours, deliver.

Rules
-----
* An event goes to every enabled :class:`AlertRule` that lists it and whose scope (village or
  kecamatan, if set) contains its subject. Each raised alert is an :class:`AlertLog` row.
* **Dedupe.** Events come in families describing one state (outage: started/recovered; gate:
  ready/not ready). An alert is recorded as ``deduplicated`` and not sent when the rule's last
  alert about the same subject and family that was sent, held or pending is the *same event*
  raised less than ``JANGKAU_ALERT_DEDUPE_MINUTES`` ago. A change of state (down, up, down)
  is always sent: suppressing it would leave a reader believing the last state they saw.
* **Quiet hours** (local WITA time) **delay**, they do not drop: the alert is ``held`` with
  ``not_before`` at the end of the quiet hours and sent then, in the order raised, so an
  outage that began and ended overnight is reported in the morning with both times.
* **Delivery** happens in the background task: email through ``django.core.mail``; a webhook
  as a JSON POST with ``urllib.request`` and a timeout. The result (sent, failed with the
  error and HTTP status) is stored; failed alerts are retried on the next runs up to
  ``JANGKAU_ALERT_MAX_ATTEMPTS`` attempts.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jangkau import __version__
from jangkau.monitoring import conf
from jangkau.monitoring.choices import (
    ALERT_EVENT_FAMILY,
    AlertChannelChoices,
    AlertDeliveryChoices,
    AlertEventChoices,
    GateLevelChoices,
    GateStatusChoices,
)
from jangkau.monitoring.models import AlertLog, AlertRule
from jangkau.monitoring.services.gate import GateEvent
from jangkau.monitoring.services.outages import OutageEvent

log = logging.getLogger("jangkau.monitoring.alerts")

#: quiet hours and the times in messages are local time here (WITA, UTC+8).
ALERT_TZ = ZoneInfo("Asia/Makassar")
_LIVE = (AlertDeliveryChoices.PENDING, AlertDeliveryChoices.HELD, AlertDeliveryChoices.SENT)


@dataclass(frozen=True)
class AlertEvent:
    """Something worth telling people about, independent of who is told."""

    event: str
    subject_key: str
    subject_label: str
    village_id: int | None
    district_id: int | None
    message: str
    at: datetime
    payload: dict = field(default_factory=dict)


def _local(dt: datetime) -> str:
    return dt.astimezone(ALERT_TZ).strftime("%Y-%m-%d %H:%M WITA")


def _duration(seconds: float) -> str:
    minutes = int(round(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return _("%(d)d d %(h)d h %(m)d min") % {"d": days, "h": hours, "m": minutes}
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    return _("%(m)d min") % {"m": minutes}


def from_outage(ev: OutageEvent) -> AlertEvent:
    """The alert event of an outage start or recovery."""
    o = ev.outage
    target = o.target
    village = target.village
    label = f"{target.name} · {village.name} ({village.district.name})"
    if ev.event == AlertEventChoices.OUTAGE_STARTED:
        message = _("Outage: %(target)s is down since %(start)s.") % {
            "target": label,
            "start": _local(o.start),
        }
        at = o.start
    else:
        message = _(
            "Recovered: %(target)s is up again since %(end)s after %(duration)s "
            "(down since %(start)s)."
        ) % {
            "target": label,
            "end": _local(o.end),
            "duration": _duration(o.duration_s),
            "start": _local(o.start),
        }
        at = o.end
    payload = {
        "target": target.pk,
        "target_name": target.name,
        "kind": target.kind,
        "village": village.code,
        "kecamatan": village.district.code,
        "start": o.start.isoformat(),
        "end": o.end.isoformat() if o.end else None,
        "duration_s": round(o.duration_s, 1),
    }
    return AlertEvent(
        ev.event,
        f"target:{target.pk}",
        label,
        village.pk,
        village.district_id,
        message,
        at,
        payload,
    )


def from_gate(ev: GateEvent) -> AlertEvent | None:
    """The alert event of a gate change, or None when readiness did not flip (or first run)."""
    was_ready = ev.previous == GateStatusChoices.READY
    is_ready = ev.current == GateStatusChoices.READY
    if not ev.previous or was_ready == is_ready:
        return None
    c = ev.change
    subject = ev.subject
    if ev.level == GateLevelChoices.VILLAGE:
        label = f"{_('Village')} {subject.name} ({subject.code})"
        village_id, district_id = subject.pk, subject.district_id
    else:
        label = f"{_('Kecamatan')} {subject.name} ({subject.code})"
        village_id, district_id = None, subject.pk
    numbers = _("availability %(a)s %%, loss %(l)s %%, p95 %(p)s ms over %(days)s days") % {
        "a": "–" if c.availability_pct is None else number_format(c.availability_pct, 2),
        "l": "–" if c.loss_pct is None else number_format(c.loss_pct, 2),
        "p": "–" if c.p95_ms is None else number_format(c.p95_ms, 0),
        "days": f"{conf.gate_thresholds().window_days:g}",
    }
    if is_ready:
        event = AlertEventChoices.GATE_READY
        message = _("%(subject)s is now ready (siap): %(numbers)s.") % {
            "subject": label,
            "numbers": numbers,
        }
    else:
        event = AlertEventChoices.GATE_NOT_READY
        why = "; ".join(r["message"] for r in c.reasons[:3])
        message = _("%(subject)s is no longer ready (belum siap): %(numbers)s. %(why)s") % {
            "subject": label,
            "numbers": numbers,
            "why": why,
        }
    payload = {
        "level": ev.level,
        "code": subject.code,
        "previous": ev.previous,
        "status": ev.current,
        "availability_pct": c.availability_pct,
        "loss_pct": c.loss_pct,
        "p95_ms": c.p95_ms,
        "coverage_pct": c.coverage_pct,
        "reasons": c.reasons,
    }
    return AlertEvent(
        event,
        f"{ev.level}:{subject.code}",
        label,
        village_id,
        district_id,
        message.strip(),
        c.at,
        payload,
    )


def quiet_until(rule: AlertRule, now: datetime) -> datetime | None:
    """End of the quiet hours containing ``now`` (aware), or None when not quiet."""
    local = now.astimezone(ALERT_TZ)
    if not rule.is_quiet(local.time()):
        return None
    end = local.replace(
        hour=rule.quiet_end.hour, minute=rule.quiet_end.minute, second=0, microsecond=0
    )
    if end <= local:
        end += timedelta(days=1)
    return end


def _matches(rule: AlertRule, ev: AlertEvent) -> bool:
    if ev.event not in rule.events:
        return False
    if rule.village_id and rule.village_id != ev.village_id:
        return False
    return not (rule.district_id and rule.district_id != ev.district_id)


def raise_alerts(events: list[AlertEvent], now: datetime) -> list[AlertLog]:
    """Record one alert per (event, matching rule): pending, held or deduplicated."""
    rules = list(AlertRule.objects.filter(enabled=True))
    window = timedelta(seconds=conf.alert_dedupe_s())
    logs = []
    for ev in events:
        family = [e for e, f in ALERT_EVENT_FAMILY.items() if f == ALERT_EVENT_FAMILY[ev.event]]
        for rule in rules:
            if not _matches(rule, ev):
                continue
            last = (
                AlertLog.objects.filter(
                    rule=rule, subject_key=ev.subject_key, event__in=family, status__in=_LIVE
                )
                .order_by("-created_at", "-pk")
                .first()
            )
            entry = AlertLog(
                rule=rule,
                event=ev.event,
                subject_key=ev.subject_key,
                subject_label=ev.subject_label[:300],
                message=ev.message,
                payload=ev.payload,
                event_at=ev.at,
                created_at=now,
            )
            if last is not None and last.event == ev.event and last.created_at >= now - window:
                entry.status = AlertDeliveryChoices.DEDUPLICATED
                entry.error = f"same as alert {last.pk} of {last.created_at.isoformat()}"
            else:
                held = quiet_until(rule, now)
                if held is not None:
                    entry.status = AlertDeliveryChoices.HELD
                    entry.not_before = held
            entry.save()
            logs.append(entry)
    return logs


def _send_email(entry: AlertLog) -> None:
    subject = "[Jangkau] " + entry.message.split(". ")[0][:150]
    send_mail(
        subject,
        entry.message,
        settings.DEFAULT_FROM_EMAIL,
        entry.rule.email_addresses(),
        fail_silently=False,
    )


def _send_webhook(entry: AlertLog) -> int:
    body = json.dumps(
        {
            "text": entry.message,
            "event": entry.event,
            "subject": entry.subject_key,
            "subject_name": entry.subject_label,
            "at": entry.event_at.isoformat(),
            "details": entry.payload,
        }
    ).encode("utf-8")
    request = urllib.request.Request(
        entry.rule.destination,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": f"jangkau-alerts/{__version__}"},
    )
    with urllib.request.urlopen(request, timeout=conf.alert_webhook_timeout_s()) as response:
        return response.status


def deliver(entry: AlertLog, now: datetime) -> None:
    """Send one alert now and record the result."""
    entry.attempts += 1
    try:
        if entry.rule.channel == AlertChannelChoices.EMAIL:
            _send_email(entry)
        else:
            entry.http_status = _send_webhook(entry)
    except urllib.error.HTTPError as exc:
        entry.status, entry.http_status = AlertDeliveryChoices.FAILED, exc.code
        entry.error = f"HTTP {exc.code}: {exc.reason}"
    except Exception as exc:  # network, SMTP, timeout: recorded, retried next run
        entry.status = AlertDeliveryChoices.FAILED
        entry.error = f"{type(exc).__name__}: {exc}"[:2000]
    else:
        entry.status, entry.sent_at, entry.error = AlertDeliveryChoices.SENT, now, ""
    if entry.status == AlertDeliveryChoices.FAILED:
        log.warning("alert %s to %s failed: %s", entry.pk, entry.rule.destination, entry.error)
    entry.save(update_fields=["attempts", "status", "sent_at", "http_status", "error"])


def dispatch_due(now: datetime) -> dict[str, int]:
    """Deliver pending alerts, held ones whose quiet hours are over, and failed ones to retry."""
    due = (
        AlertLog.objects.select_related("rule")
        .filter(
            Q(status=AlertDeliveryChoices.PENDING)
            | Q(status=AlertDeliveryChoices.HELD, not_before__lte=now)
            | Q(status=AlertDeliveryChoices.FAILED, attempts__lt=conf.alert_max_attempts())
        )
        .order_by("created_at", "pk")
    )
    counts = {"sent": 0, "failed": 0}
    for entry in due:
        deliver(entry, now)
        counts["sent" if entry.status == AlertDeliveryChoices.SENT else "failed"] += 1
    return counts


def alert_events(
    outage_events: list[OutageEvent], gate_events: list[GateEvent]
) -> list[AlertEvent]:
    """Alert events (messages in the site language) from the cycle's outage and gate events."""
    with translation.override(settings.LANGUAGE_CODE):
        events = [from_outage(e) for e in outage_events]
        events += [a for a in (from_gate(e) for e in gate_events) if a is not None]
    return events

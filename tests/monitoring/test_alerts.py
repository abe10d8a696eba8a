"""Alerts: email and webhook delivery, dedupe, quiet hours (WITA), history rows, scope."""

from __future__ import annotations

import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import number_format

from jangkau.monitoring.models import AlertLog, AlertRule
from jangkau.monitoring.services.alerts import (
    AlertEvent,
    dispatch_due,
    quiet_until,
    raise_alerts,
)
from jangkau.monitoring.services.cycle import run_cycle
from tests.monitoring.conftest import T0, series

pytestmark = pytest.mark.django_db

ALL_EVENTS = ["outage_started", "outage_recovered", "gate_ready", "gate_not_ready"]


class Hook:
    """A real HTTP server on loopback that records webhook POSTs and answers as told."""

    def __init__(self):
        self.bodies: list[dict] = []
        self.headers: list[dict] = []
        self.status = 200
        self.delay_s = 0.0
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                hook.bodies.append(json.loads(self.rfile.read(length)))
                hook.headers.append(dict(self.headers))
                time.sleep(hook.delay_s)
                try:
                    self.send_response(hook.status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"ok": true}')
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/hook?chat_id=42"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def hook():
    h = Hook()
    yield h
    h.close()


def event(name="outage_started", subject="target:1", at=T0, village=None):
    return AlertEvent(
        name,
        subject,
        "uplink · Desa",
        village.pk if village else None,
        village.district_id if village else None,
        f"{name} {subject}",
        at,
        {"target": 1},
    )


def email_rule(**kw):
    kw.setdefault("events", ALL_EVENTS)
    return AlertRule.objects.create(
        name="diskominfo",
        channel="email",
        destination="noc@kutaitimurkab.go.id, kadis@example.id",
        **kw,
    )


def test_an_outage_and_its_recovery_are_emailed(
    agent_token, make_target, ingest, mailoutbox, village
):
    agent, _ = agent_token
    t = make_target(agents=[agent])
    email_rule()
    ingest(agent, series(t, T0, "..xxxx"), T0 + timedelta(minutes=6))
    run_cycle(now=T0 + timedelta(minutes=6))
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["noc@kutaitimurkab.go.id", "kadis@example.id"]
    assert "uplink" in mail.body and village.name in mail.body
    assert "2026-05-04 00:02 WITA" in mail.body  # T0 is 00:00 WITA; down from minute 2
    ingest(agent, series(t, T0 + timedelta(minutes=6), "..."), T0 + timedelta(minutes=9))
    run_cycle(now=T0 + timedelta(minutes=9))
    assert len(mailoutbox) == 2
    assert "00:06 WITA" in mailoutbox[1].body
    assert re.search(r"\b4 (min|menit)\b", mailoutbox[1].body)  # English or Indonesian
    log = list(AlertLog.objects.order_by("created_at").values_list("event", "status"))
    assert log == [("outage_started", "sent"), ("outage_recovered", "sent")]


def test_the_same_event_for_the_same_subject_is_not_sent_twice_within_the_window(
    mailoutbox, settings
):
    settings.JANGKAU_ALERT_DEDUPE_MINUTES = 60
    email_rule()
    raise_alerts([event()], T0)
    raise_alerts([event()], T0 + timedelta(minutes=30))  # e.g. the outage was re-detected
    raise_alerts([event(subject="target:2")], T0 + timedelta(minutes=31))  # another subject
    dispatch_due(T0 + timedelta(minutes=31))
    statuses = list(AlertLog.objects.order_by("pk").values_list("subject_key", "status"))
    assert statuses == [("target:1", "sent"), ("target:1", "deduplicated"), ("target:2", "sent")]
    assert len(mailoutbox) == 2
    raise_alerts([event()], T0 + timedelta(minutes=61))  # the window is over
    dispatch_due(T0 + timedelta(minutes=61))
    assert len(mailoutbox) == 3


def test_a_change_of_state_is_always_sent(mailoutbox):
    email_rule()
    for minutes, name in ((0, "outage_started"), (5, "outage_recovered"), (10, "outage_started")):
        raise_alerts([event(name)], T0 + timedelta(minutes=minutes))
    dispatch_due(T0 + timedelta(minutes=10))
    assert [m.body.split()[0] for m in mailoutbox] == [
        "outage_started",
        "outage_recovered",
        "outage_started",
    ]


def test_alerts_in_quiet_hours_are_held_and_sent_when_they_end(mailoutbox):
    rule = email_rule(quiet_start=clock(22, 0), quiet_end=clock(6, 0))
    night = datetime(2026, 5, 4, 15, 30, tzinfo=UTC)  # 23:30 WITA
    raise_alerts([event(at=night)], night)
    entry = AlertLog.objects.get()
    assert entry.status == "held"
    assert entry.not_before == datetime(2026, 5, 4, 22, 0, tzinfo=UTC)  # 06:00 WITA
    dispatch_due(datetime(2026, 5, 4, 21, 59, tzinfo=UTC))
    assert mailoutbox == []
    raise_alerts(
        [event("outage_recovered", at=night + timedelta(hours=2))], night + timedelta(hours=2)
    )
    dispatch_due(datetime(2026, 5, 4, 22, 0, tzinfo=UTC))
    assert [m.body.split()[0] for m in mailoutbox] == ["outage_started", "outage_recovered"]
    assert quiet_until(rule, datetime(2026, 5, 4, 23, 0, tzinfo=UTC)) is None  # 07:00 WITA
    daytime = email_rule(quiet_start=clock(12, 0), quiet_end=clock(13, 0))
    assert quiet_until(daytime, datetime(2026, 5, 4, 4, 30, tzinfo=UTC)) == datetime(
        2026, 5, 4, 5, 0, tzinfo=UTC
    )
    assert quiet_until(daytime, datetime(2026, 5, 4, 5, 0, tzinfo=UTC)) is None


def test_a_webhook_gets_a_json_post(hook):
    AlertRule.objects.create(
        name="telegram", channel="webhook", destination=hook.url, events=["outage_started"]
    )
    raise_alerts([event(), event("gate_ready", "village:64.08.01.2001")], T0)
    assert dispatch_due(T0) == {"sent": 1, "failed": 0}
    body = hook.bodies[0]
    assert body["text"] == "outage_started target:1"
    assert body["event"] == "outage_started" and body["subject"] == "target:1"
    assert body["details"] == {"target": 1} and body["at"] == T0.isoformat()
    assert hook.headers[0]["Content-Type"] == "application/json"
    entry = AlertLog.objects.get()
    assert (entry.status, entry.http_status, entry.attempts) == ("sent", 200, 1)


def test_a_failing_webhook_is_recorded_and_retried_up_to_the_limit(hook, settings):
    settings.JANGKAU_ALERT_MAX_ATTEMPTS = 3
    hook.status = 500
    AlertRule.objects.create(
        name="wa", channel="webhook", destination=hook.url, events=["outage_started"]
    )
    raise_alerts([event()], T0)
    for minute in range(5):
        dispatch_due(T0 + timedelta(minutes=minute))
    entry = AlertLog.objects.get()
    assert (entry.status, entry.http_status, entry.attempts) == ("failed", 500, 3)
    assert entry.error.startswith("HTTP 500")
    assert len(hook.bodies) == 3
    hook.status = 200
    dispatch_due(T0 + timedelta(minutes=9))
    assert AlertLog.objects.get().status == "failed"  # given up


def test_a_webhook_that_does_not_answer_in_time_fails_without_blocking(hook, settings):
    settings.JANGKAU_ALERT_WEBHOOK_TIMEOUT_S = 0.3
    hook.delay_s = 2.0
    AlertRule.objects.create(
        name="slow", channel="webhook", destination=hook.url, events=["outage_started"]
    )
    raise_alerts([event()], T0)
    started = time.monotonic()
    assert dispatch_due(T0) == {"sent": 0, "failed": 1}
    assert time.monotonic() - started < 1.5
    assert "timed out" in AlertLog.objects.get().error


def test_a_rule_limited_to_a_village_ignores_other_villages(mailoutbox, village, other_village):
    email_rule(village=village)
    raise_alerts([event(village=other_village), event(subject="target:9", village=village)], T0)
    dispatch_due(T0)
    assert [e.subject_key for e in AlertLog.objects.all()] == ["target:9"]


def test_a_gate_change_is_alerted_with_the_numbers(
    agent_token, make_target, ingest, mailoutbox, settings, village
):
    settings.JANGKAU_GATE_WINDOW_DAYS = 1
    agent, _ = agent_token
    t = make_target(agents=[agent])
    email_rule(events=["gate_ready", "gate_not_ready"])
    from tests.monitoring.test_gate import day_of_results

    ingest(agent, day_of_results(t, T0), T0 + timedelta(days=1))
    run_cycle(now=T0 + timedelta(days=1))
    assert mailoutbox == []  # the first evaluation is not a change anyone is told about
    day2 = T0 + timedelta(days=1)
    ingest(agent, day_of_results(t, day2, fail_every=20), day2 + timedelta(days=1))
    run_cycle(now=day2 + timedelta(days=1))
    bodies = [m.body for m in mailoutbox]
    assert len(bodies) == 1  # the village flipped; the kecamatan was never ready
    assert village.name in bodies[0] and village.code in bodies[0]
    with translation.override(settings.LANGUAGE_CODE):  # messages use the site language
        assert number_format(95.0, 2) in bodies[0] and number_format(5.0, 2) in bodies[0]


def test_alert_messages_are_in_the_site_language(mailoutbox, settings, village):
    """The product default is Indonesian: decimal comma (and the translations once merged)."""
    from jangkau.monitoring.models import GateChange
    from jangkau.monitoring.services.alerts import alert_events
    from jangkau.monitoring.services.gate import GateEvent

    settings.LANGUAGE_CODE = "id"
    change = GateChange(
        level="village",
        village=village,
        previous_status="ready",
        status="not_ready",
        availability_pct=97.25,
        loss_pct=2.75,
        p95_ms=88.0,
        reasons=[],
        at=T0,
    )
    [ev] = alert_events([], [GateEvent("village", village, "ready", "not_ready", change)])
    assert "97,25" in ev.message and "2,75" in ev.message and "97.25" not in ev.message


def test_an_alert_rule_validates_its_destination_and_events():
    rule = AlertRule(
        name="x", channel="email", destination="not an address", events=["outage_started", "bogus"]
    )
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert set(exc.value.message_dict) == {"destination", "events"}
    AlertRule(
        name="y", channel="webhook", destination="https://gw.example/hook", events=["gate_ready"]
    ).full_clean()

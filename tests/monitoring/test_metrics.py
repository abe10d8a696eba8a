"""/metrics: Prometheus text format 0.0.4, label escaping, token or rate limit."""

from __future__ import annotations

import math
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from jangkau.monitoring.services.metrics import escape_label, format_value
from tests.monitoring.conftest import result

pytestmark = pytest.mark.django_db

SAMPLE = re.compile(
    r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)"
    r'\{(?P<labels>(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*)\}'
    r" (?P<value>NaN|[+-]Inf|-?[0-9.eE+-]+)$"
)
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"')


def parse(text):
    """A strict reading of the exposition: every line is HELP, TYPE or a sample."""
    assert text.endswith("\n")
    families, samples = {}, []
    for line in text.rstrip("\n").split("\n"):
        if line.startswith("# HELP "):
            name = line.split()[2]
            families.setdefault(name, {})["help"] = line
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            assert kind == "gauge"
            families.setdefault(name, {})["type"] = kind
        else:
            m = SAMPLE.match(line)
            assert m, f"not a sample line: {line!r}"
            assert m["name"] in families, "sample before its HELP/TYPE"
            labels = {
                k: v.replace('\\"', '"').replace("\\\\", "\\")
                for k, v in LABEL.findall(m["labels"])
            }
            samples.append((m["name"], labels, m["value"]))
    return families, samples


@pytest.fixture
def scraped(client, agent_token, make_target, ingest):
    agent, _ = agent_token
    up = make_target('core "A" \\ router', kind="icmp", agents=[agent])
    down = make_target("sekolah", kind="http", address="https://sekolah.example/", agents=[agent])
    make_target("never probed", agents=[agent])
    now = timezone.now()
    ingest(
        agent,
        [
            result(
                up,
                now - timedelta(seconds=30),
                latency=41.5,
                loss_pct=0.0,
                detail={"sent": 3, "received": 3},
            ),
            result(down, now - timedelta(seconds=20), ok=False),
        ],
        now,
        backlog=17,
    )
    response = client.get("/metrics")
    return response, up, down, agent


def test_the_exposition_is_valid_text_format_0_0_4(scraped):
    response, up, down, agent = scraped
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    families, samples = parse(response.content.decode())
    assert {
        "jangkau_probe_up",
        "jangkau_probe_latency_ms",
        "jangkau_probe_loss_pct",
        "jangkau_agent_last_seen_seconds",
        "jangkau_agent_backlog",
    } <= set(families)
    by = {(name, lab.get("target_id") or lab.get("agent")): (lab, v) for name, lab, v in samples}
    labels, value = by[("jangkau_probe_up", str(up.pk))]
    assert value == "1"
    assert labels == {
        "target": 'core "A" \\ router',
        "target_id": str(up.pk),
        "village": up.village.code,
        "kecamatan": up.village.district.code,
        "kind": "icmp",
    }
    assert by[("jangkau_probe_up", str(down.pk))][1] == "0"
    assert float(by[("jangkau_probe_latency_ms", str(up.pk))][1]) == 41.5
    assert by[("jangkau_probe_latency_ms", str(down.pk))][1] == "NaN"
    assert float(by[("jangkau_probe_loss_pct", str(down.pk))][1]) == 100.0
    assert by[("jangkau_agent_backlog", agent.name)][1] == "17"
    seen = float(by[("jangkau_agent_last_seen_seconds", agent.name)][1])
    assert abs(seen - timezone.now().timestamp()) < 60
    # a target without results has no samples rather than made-up ones
    assert len([s for s in samples if s[0] == "jangkau_probe_up"]) == 2


def test_label_values_and_numbers_are_escaped_and_spelled_as_prometheus_expects():
    assert escape_label('a"b\\c\nd') == 'a\\"b\\\\c\\nd'
    assert format_value(math.nan) == "NaN"
    assert format_value(math.inf) == "+Inf" and format_value(-math.inf) == "-Inf"
    assert format_value(3) == "3" and format_value(0.5) == "0.5" and format_value(None) == "NaN"


def test_a_configured_token_is_required(client, settings, scraped):
    settings.JANGKAU_METRICS_TOKEN = "s3cret-scrape-token"
    r = client.get("/metrics")
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape-token"})
    assert ok.status_code == 200 and b"jangkau_probe_up" in ok.content


def test_without_a_token_it_is_rate_limited_per_address(client, settings, db):
    settings.JANGKAU_METRICS_PER_MINUTE = 2
    codes = [client.get("/metrics").status_code for _ in range(3)]
    assert codes == [200, 200, 429]

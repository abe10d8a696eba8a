"""The real probe agent (``jangkau.agent``) against the real server on loopback.

The server is pytest-django's ``live_server`` running this app; the agent is the shipped one,
with its SQLite queue in a temporary directory. "Server down" is an agent configuration
pointing at a port where nothing listens, sharing the queue file with the configuration that
points at the live server.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import socket
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from jangkau.agent.config import AgentConfig
from jangkau.agent.queue import ResultQueue
from jangkau.agent.runner import EXIT_OK, EXIT_QUEUED
from jangkau.agent.runner import Agent as ProbeAgent

pytestmark = pytest.mark.django_db(transaction=True)

SRC = str(Path(__import__("jangkau").__file__).resolve().parents[1])


class _Accept(socketserver.BaseRequestHandler):
    def handle(self):
        pass


@pytest.fixture
def open_port():
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Accept)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def setup(open_port):
    """An agent with a token and three targets (reachable TCP, refused TCP, DNS)."""
    from jangkau.monitoring.models import ProbeTarget
    from jangkau.monitoring.services.agents import issue_token
    from jangkau.regions.models import District, Regency, Village

    village = Village.objects.order_by("code").first()
    if village is None:  # transactional tests start from an empty database
        regency = Regency.objects.create(code="64.08", name="Kutai Timur")
        district = District.objects.create(code="64.08.01", name="Muara Ancalong", regency=regency)
        village = Village.objects.create(
            code="64.08.01.2001", name="Senyiur", district=district, kind="desa"
        )
    issued = issue_token("e2e-box", village.code)
    specs = [
        ("uplink", "tcp", "127.0.0.1", open_port),
        ("down", "tcp", "127.0.0.1", closed_port()),
        ("resolver", "dns", "localhost", None),
    ]
    targets = []
    for name, kind, address, port in specs:
        t = ProbeTarget.objects.create(
            name=name,
            kind=kind,
            address=address,
            port=port,
            village=village,
            interval_s=1,
            timeout_s=0.9,
        )
        t.agents.add(issued.agent)
        targets.append(t)
    return issued.agent, issued.token, targets


def config(server, token, queue, **kw):
    base = dict(
        server=server,
        token=token,
        queue=queue,
        flush_interval_s=0.1,
        backoff_base_s=0.05,
        backoff_cap_s=0.2,
        refresh_s=60.0,
        http_timeout_s=10.0,
    )
    base.update(kw)
    return AgentConfig(**base)


def run_once(cfg):
    """One ``--once`` run of the agent, on its own thread and event loop (the browser tests'
    Playwright keeps a loop running in the main thread for the whole session)."""

    async def go():
        agent = ProbeAgent(cfg)
        try:
            return await agent.run_once(), agent.produced
        finally:
            agent.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, go()).result(timeout=120)


def stored_uuids():
    from jangkau.monitoring.models import ProbeResult

    return [str(u) for u in ProbeResult.objects.values_list("uuid", flat=True)]


def test_results_queued_while_the_server_is_away_arrive_exactly_once(live_server, setup, tmp_path):
    agent_row, token, targets = setup
    queue = tmp_path / "queue.sqlite3"
    live = config(live_server.url, token, queue)
    away = config(f"http://127.0.0.1:{closed_port()}", token, queue)

    code, produced = run_once(live)  # fetches and caches the probe list, delivers 3
    assert (code, produced) == (EXIT_OK, 3)
    total = produced
    queued_while_away = []
    for _ in range(3):  # the server is unreachable: the agent keeps probing from its cache
        code, produced = run_once(away)
        assert code == EXIT_QUEUED and produced == 3
        total += produced
        with ResultQueue(queue) as q:
            queued_while_away = q.uuids()
    assert len(queued_while_away) == 9

    code, produced = run_once(live)  # back: the backlog and the new round go up
    assert code == EXIT_OK
    total += produced
    with ResultQueue(queue) as q:
        assert len(q) == 0 and q.dead_letters() == []
    uuids = stored_uuids()
    assert len(uuids) == len(set(uuids)) == total == 15
    assert set(queued_while_away) <= set(uuids)
    from jangkau.monitoring.models import Agent, ProbeResult

    agent_row = Agent.objects.get(pk=agent_row.pk)
    assert agent_row.accepted_total == 15 and agent_row.last_backlog == 12
    refused = ProbeResult.objects.filter(target=targets[1])
    assert refused.count() == 5 and not refused.filter(ok=True).exists()
    assert set(refused.values_list("error", flat=True)) == {"connection refused"}
    assert ProbeResult.objects.filter(target=targets[0], ok=True).count() == 5


def test_killing_the_agent_during_an_upload_loses_and_duplicates_nothing(
    live_server, setup, tmp_path, monkeypatch
):
    from jangkau.monitoring import api as monitoring_api
    from jangkau.monitoring.models import Agent

    agent_row, token, _targets = setup
    queue = tmp_path / "queue.sqlite3"
    cfg_file = tmp_path / "agent.toml"
    cfg_file.write_text(
        f'[agent]\nserver = "{live_server.url}"\ntoken = "{token}"\n'
        f'queue = "{queue}"\nbatch_size = 2\n'
    )
    cmd = [
        sys.executable,
        "-c",
        "import sys; from jangkau.agent.runner import main; sys.exit(main(sys.argv[1:]))",
        "--once",
        "--config",
        str(cfg_file),
    ]
    env = {**os.environ, "PYTHONPATH": SRC}
    for var in ("JANGKAU_AGENT_SERVER", "JANGKAU_AGENT_TOKEN", "JANGKAU_AGENT_QUEUE"):
        env.pop(var, None)

    stored, release = threading.Event(), threading.Event()
    real_ingest = monitoring_api.ingest_batch

    def store_then_hold(*args, **kwargs):
        reply = real_ingest(*args, **kwargs)  # committed
        if not release.is_set():
            stored.set()
            release.wait(30)  # the reply is held: the agent is killed while waiting for it
        return reply

    monkeypatch.setattr(monitoring_api, "ingest_batch", store_then_hold)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert stored.wait(60), "the agent never uploaded"
        proc.kill()  # SIGKILL in the middle of the upload
        proc.wait(10)
    finally:
        release.set()
    assert proc.returncode == -9
    first = stored_uuids()
    assert len(first) == 2  # the first batch is in the database, never acknowledged
    with ResultQueue(queue) as q:
        queued = q.uuids()
    assert len(queued) == 3 and set(first) <= set(queued)  # nothing lost on the box

    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == EXIT_OK, done.stderr
    with ResultQueue(queue) as q:
        assert len(q) == 0 and q.dead_letters() == []
    uuids = stored_uuids()
    assert len(uuids) == len(set(uuids)) == 6  # 3 + 3, the re-sent two stored once
    assert set(queued) <= set(uuids)
    assert Agent.objects.get(pk=agent_row.pk).accepted_total == 6

"""The agent end to end against a real loopback HTTP server speaking the agent protocol.

The server below implements ``docs/agent.md`` with an in-memory store keyed by uuid, and can
misbehave on demand: be stopped, answer 500, drop the connection after reading the body (with
or without storing it), hang after storing (so the agent can be SIGKILLed mid-upload), refuse
the token, or refuse a batch as malformed.
"""

import asyncio
import json
import logging
import os
import random
import shutil
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from jangkau.agent import probes as probes_mod
from jangkau.agent.client import Backoff, ServerClient
from jangkau.agent.config import AgentConfig, ConfigError, load_config
from jangkau.agent.probes import ProbeSpec, ping_group_range, run_probe
from jangkau.agent.queue import ResultQueue
from jangkau.agent.runner import EXIT_AUTH, EXIT_CONFIG, EXIT_OK, EXIT_QUEUED, Agent, main

TOKEN = "good-token"
SRC = str(Path(__import__("jangkau").__file__).resolve().parents[1])


# -- the protocol server ---------------------------------------------------------------------


class ProtocolServer:
    """In-memory implementation of the server side of the agent protocol."""

    def __init__(self, probes):
        self.probes = probes
        self.tokens = {TOKEN}
        self.mode = "normal"
        self.poison: set[str] = set()
        self.store: dict[str, dict] = {}
        self.posted: list[list[str]] = []  # uuids of every POST body received
        self.backlogs: list[int] = []
        self.lock = threading.Lock()
        self.got_post = threading.Event()
        self.release = threading.Event()
        self.port = 0
        self.httpd = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        srv = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, doc):
                body = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def authorized(self):
                auth = self.headers.get("Authorization", "")
                if not auth.startswith("Bearer ") or auth[7:] not in srv.tokens:
                    self.reply(401, {"error": "unknown or revoked token"})
                    return False
                return True

            def do_GET(self):
                if self.path != "/api/monitoring/agent/probes":
                    return self.reply(404, {"error": "not found"})
                if self.authorized():
                    self.reply(200, {"agent": "sd-1", "interval_default_s": 60,
                                     "probes": srv.probes})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                if self.path != "/api/monitoring/agent/results":
                    return self.reply(404, {"error": "not found"})
                if not self.authorized():
                    return None
                try:
                    doc = json.loads(raw)
                    results = doc["results"]
                    uuids = [r["uuid"] for r in results]
                except (ValueError, KeyError, TypeError):
                    return self.reply(400, {"error": "malformed batch"})
                with srv.lock:
                    srv.posted.append(uuids)
                    srv.backlogs.append(doc.get("backlog"))
                    mode = srv.mode
                if mode == "error500":
                    return self.reply(500, {"error": "boom"})
                if srv.poison & set(uuids):
                    return self.reply(400, {"error": "result fails validation"})
                if mode == "close_after_body":
                    self.close_connection = True
                    return None
                accepted, dups, rejected = self.store_results(results)
                if mode == "store_then_close":
                    self.close_connection = True
                    return None
                if mode == "hang_after_store":
                    srv.got_post.set()
                    srv.release.wait(30)
                return self.reply(200, {"accepted": accepted, "duplicates": dups,
                                        "rejected": rejected})

            def store_results(self, results):
                ids = {p["id"] for p in srv.probes}
                accepted, dups, rejected = [], [], []
                with srv.lock:
                    for r in results:
                        if r["uuid"] in srv.store:
                            dups.append(r["uuid"])
                        elif r["probe_id"] not in ids:
                            rejected.append({"uuid": r["uuid"], "error": "unknown probe"})
                        else:
                            srv.store[r["uuid"]] = r
                            accepted.append(r["uuid"])
                return accepted, dups, rejected

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _Sink(socketserver.BaseRequestHandler):
    def handle(self):
        pass


@pytest.fixture
def tcp_port():
    """A loopback TCP listener that accepts and closes."""
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Sink)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tcp_port):
    probes = [
        {"id": 1, "kind": "tcp", "target": "127.0.0.1", "port": tcp_port, "interval_s": 1,
         "timeout_s": 2.0, "expect_status": None},
        {"id": 2, "kind": "tcp", "target": "127.0.0.1", "port": free_port(), "interval_s": 1,
         "timeout_s": 2.0, "expect_status": None},
        {"id": 3, "kind": "dns", "target": "localhost", "port": None, "interval_s": 1,
         "timeout_s": 2.0, "expect_status": None},
    ]
    srv = ProtocolServer(probes).start()
    yield srv
    srv.release.set()
    srv.stop()


def make_config(server_url, tmp_path, **kw):
    base = dict(server=server_url, token=TOKEN, queue=tmp_path / "queue.sqlite3",
                flush_interval_s=0.1, backoff_base_s=0.05, backoff_cap_s=0.2, refresh_s=60.0,
                http_timeout_s=10.0)
    base.update(kw)
    return AgentConfig(**base)


def run_once(cfg, **kw):
    async def go():
        agent = Agent(cfg, **kw)
        try:
            code = await agent.run_once()
            return code, agent.produced, len(agent.queue)
        finally:
            agent.close()
    return asyncio.run(go())


def assert_exactly_once(server, produced_uuids):
    assert sorted(server.store) == sorted(produced_uuids)
    assert len(set(produced_uuids)) == len(produced_uuids)


# -- delivery ----------------------------------------------------------------------------------


def test_once_delivers_results_with_the_documented_shape(server, tmp_path):
    code, produced, left = run_once(make_config(server.url, tmp_path))
    assert (code, produced, left) == (EXIT_OK, 3, 0)
    by_probe = {r["probe_id"]: r for r in server.store.values()}
    assert by_probe[1]["ok"] and by_probe[1]["latency_ms"] > 0
    assert not by_probe[2]["ok"] and by_probe[2]["error"] == "connection refused"
    assert by_probe[3]["ok"] and "127.0.0.1" in by_probe[3]["detail"]["addresses"]
    for r in server.store.values():
        assert set(r) == {"uuid", "probe_id", "ts", "ok", "latency_ms", "loss_pct", "error",
                          "detail"}
        assert r["ts"].endswith("Z")
        assert datetime.fromisoformat(r["ts"].replace("Z", "+00:00")).utcoffset().seconds == 0
    assert server.backlogs == [3]


def test_server_stopped_mid_run_every_result_arrives_exactly_once(server, tmp_path):
    cfg = make_config(server.url, tmp_path)
    seen_queued = []

    async def scenario():
        agent = Agent(cfg)
        stop = asyncio.Event()
        task = asyncio.create_task(agent.run(stop))
        await _until(lambda: len(server.store) >= 3)
        await asyncio.to_thread(server.stop)
        await asyncio.sleep(2.5)  # ~2 rounds while the server is down
        seen_queued.append(len(agent.queue))
        await asyncio.to_thread(server.start)  # same port
        await _until(lambda: len(agent.queue) == 0)
        await asyncio.sleep(1.1)
        stop.set()
        await task
        outcome = await agent.flush()  # what the last round left
        assert outcome.ok
        produced = agent.produced
        agent.close()
        return produced

    produced = asyncio.run(scenario())
    assert seen_queued[0] >= 6
    assert produced == len(server.store) >= 12
    posted = [u for batch in server.posted for u in batch]
    assert set(posted) == set(server.store)
    with ResultQueue(cfg.queue) as q:
        assert len(q) == 0 and q.dead_letters() == []


async def _until(cond, timeout=15.0):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("mode", ["close_after_body", "store_then_close", "error500"])
def test_failed_upload_keeps_results_and_resend_is_not_duplicated(server, tmp_path, mode):
    cfg = make_config(server.url, tmp_path)
    server.mode = mode
    code, produced1, left = run_once(cfg)
    assert code == EXIT_QUEUED and left == produced1 == 3
    stored_while_failing = len(server.store)
    assert stored_while_failing == (3 if mode == "store_then_close" else 0)
    server.mode = "normal"
    code, produced2, left = run_once(cfg)
    assert (code, left) == (EXIT_OK, 0)
    assert len(server.store) == produced1 + produced2 == 6
    assert len(server.posted[-1]) == 6  # the unacknowledged three were sent again


def test_sigkill_during_upload_loses_and_duplicates_nothing(server, tmp_path):
    cfg_file = tmp_path / "agent.toml"
    cfg_file.write_text(f'[agent]\nserver = "{server.url}"\ntoken = "{TOKEN}"\n'
                        f'queue = "{tmp_path / "queue.sqlite3"}"\n')
    cmd = [sys.executable, "-c",
           "import sys; from jangkau.agent.runner import main; sys.exit(main(sys.argv[1:]))",
           "--once", "--config", str(cfg_file)]
    env = {**os.environ, "PYTHONPATH": SRC}
    for var in ("JANGKAU_AGENT_SERVER", "JANGKAU_AGENT_TOKEN", "JANGKAU_AGENT_QUEUE"):
        env.pop(var, None)
    server.mode = "hang_after_store"
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert server.got_post.wait(30), "the agent never uploaded"
        proc.kill()  # SIGKILL while the server holds the reply
        proc.wait(10)
    finally:
        server.release.set()
    assert proc.returncode == -9
    first = list(server.posted[0])
    assert sorted(server.store) == sorted(first)  # stored, but never acknowledged
    with ResultQueue(tmp_path / "queue.sqlite3") as q:
        assert sorted(q.uuids()) == sorted(first)  # so still queued
    server.mode = "normal"
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == EXIT_OK, done.stderr
    with ResultQueue(tmp_path / "queue.sqlite3") as q:
        assert len(q) == 0
    assert len(server.store) == 6
    resent = server.posted[-1]
    assert set(first) <= set(resent) and len(resent) == 6


def test_401_logs_and_keeps_results_until_the_token_works(server, tmp_path, caplog):
    cfg = make_config(server.url, tmp_path)
    assert run_once(cfg)[0] == EXIT_OK  # caches the probe list
    server.tokens = set()  # token revoked
    with caplog.at_level(logging.ERROR, logger="jangkau.agent"):
        code, produced, left = run_once(cfg)
    assert code == EXIT_AUTH
    assert produced == 3 and left == 3  # probes ran from the cached list, results kept
    assert any("token" in rec.getMessage() and rec.levelno == logging.ERROR
               for rec in caplog.records)
    server.tokens = {TOKEN}
    code, produced, left = run_once(cfg)
    assert (code, left) == (EXIT_OK, 0)
    assert len(server.store) == 9


def test_rejected_results_go_to_dead_letter_and_400_is_bisected(server, tmp_path):
    cfg = make_config(server.url, tmp_path, batch_size=10)
    q = ResultQueue(cfg.queue)
    rows = [{"uuid": f"00000000-0000-4000-8000-{i:012d}", "probe_id": 1, "ts": "2026-01-01T00:"
             f"00:{i:02d}Z", "ok": True, "latency_ms": 1.0, "loss_pct": None, "error": None,
             "detail": {}} for i in range(7)]
    rows[2]["probe_id"] = 999  # server rejects: unknown probe
    q.put(rows)
    server.poison = {rows[5]["uuid"]}  # server answers 400 to any batch containing it

    async def go():
        agent = Agent(cfg, queue=q)
        return await agent.flush()

    outcome = asyncio.run(go())
    assert outcome.ok and outcome.dead == 2 and outcome.delivered == 5
    dead = {d["uuid"]: d["error"] for d in q.dead_letters()}
    assert dead[rows[2]["uuid"]] == "unknown probe"
    assert "400" in dead[rows[5]["uuid"]]
    assert sorted(server.store) == sorted(r["uuid"] for i, r in enumerate(rows) if i not in (2, 5))
    q.close()


def test_oldest_first_in_batches(server, tmp_path):
    cfg = make_config(server.url, tmp_path, batch_size=4)
    q = ResultQueue(cfg.queue)
    rows = [{"uuid": f"00000000-0000-4000-8000-{i:012d}", "probe_id": 1, "ts": "t", "ok": True}
            for i in range(10)]
    for r in rows:  # one commit each, so seq order is insertion order
        q.put([r])

    async def go():
        return await Agent(cfg, queue=q).flush()

    assert asyncio.run(go()).delivered == 10
    assert [len(b) for b in server.posted] == [4, 4, 2]
    assert [u for b in server.posted for u in b] == [r["uuid"] for r in rows]
    assert server.backlogs == [10, 6, 2]
    q.close()


# -- backoff -----------------------------------------------------------------------------------


def test_backoff_bounds_double_and_cap():
    b = Backoff(1.0, 8.0, random.Random(1))
    delays = [b.next_delay() for _ in range(7)]
    ceilings = [1, 2, 4, 8, 8, 8, 8]
    for d, c in zip(delays, ceilings, strict=True):
        assert c / 2 <= d <= c
    assert delays[2] > delays[0] and delays[3] > delays[1]  # floors 2 > 1, 4 > 2
    b.reset()
    assert b.next_delay() <= 1.0


def test_agent_backs_off_more_and_more_while_the_server_is_down(tmp_path):
    cfg = make_config(f"http://127.0.0.1:{free_port()}", tmp_path, flush_interval_s=0.01)
    delays = []

    async def go():
        stop = asyncio.Event()

        async def fake_sleep(d):
            delays.append(d)
            if len(delays) >= 7:
                stop.set()

        agent = Agent(cfg, sleep=fake_sleep, backoff=Backoff(1.0, 8.0, random.Random(3)))
        agent.queue.put([{"uuid": "u1", "probe_id": 1, "ts": "t", "ok": True}])
        await asyncio.wait_for(agent.upload_loop(stop), 30)
        left = len(agent.queue)
        agent.close()
        return left

    assert asyncio.run(go()) == 1
    for d, c in zip(delays, [1, 2, 4, 8, 8, 8, 8], strict=True):
        assert c / 2 <= d <= c
    assert max(delays) <= 8.0 and delays[3] >= 4.0 > 1.0 >= delays[0]


# -- probes ------------------------------------------------------------------------------------


def spec(kind, target, port=None, timeout=2.0, expect=None, pid=1):
    return ProbeSpec(pid, kind, target, port, 60, timeout, expect)


def probe(s, **kw):
    return asyncio.run(run_probe(s, **kw))


class _Web(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        status = {"/ok": 200, "/missing": 404, "/moved": 302}.get(self.path.split("?")[0], 500)
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"hi")


@pytest.fixture
def web():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Web)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_tcp_probe_open_and_closed(tcp_port):
    r = probe(spec("tcp", "127.0.0.1", tcp_port))
    assert r.ok and 0 < r.latency_ms < 2000 and r.error is None
    r = probe(spec("tcp", "127.0.0.1", free_port()))
    assert not r.ok and r.error == "connection refused" and r.latency_ms is None


def test_http_probe_status_redirect_and_expectations(web):
    base = f"http://127.0.0.1:{web.server_address[1]}"
    r = probe(spec("http", base + "/ok?x=1"))
    assert r.ok and r.detail["status"] == 200 and r.latency_ms > 0
    r = probe(spec("http", base + "/moved"))
    assert r.ok and r.detail["status"] == 302 and r.detail["location"] == "/ok"
    r = probe(spec("http", base + "/moved", expect=200))
    assert not r.ok and r.error == "HTTP status 302, expected 200"
    r = probe(spec("http", base + "/missing"))
    assert not r.ok and r.detail["status"] == 404
    r = probe(spec("http", base + "/missing", expect=404))
    assert r.ok


def test_http_probe_timeout_on_a_silent_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)  # accepts the handshake, never answers
        r = probe(spec("http", f"http://127.0.0.1:{s.getsockname()[1]}/", timeout=0.3))
    assert not r.ok and r.error == "timeout after 0.3 s"


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available to make a test certificate")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")],
                   check=True, capture_output=True)
    return d / "cert.pem", d / "key.pem"


def test_https_probe_reports_certificate_expiry_and_verification_errors(self_signed):
    cert, key = self_signed
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Web)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"https://127.0.0.1:{srv.server_address[1]}/ok"
        trusted = ssl.create_default_context(cafile=str(cert))
        r = probe(spec("http", url), ssl_context=trusted)
        assert r.ok, r.error
        assert 29.0 < r.detail["cert_expiry_days"] <= 30.0
        assert r.detail["tls_version"].startswith("TLS")
        r = probe(spec("http", url))  # system trust store: self-signed is refused
        assert not r.ok and r.error.startswith("TLS certificate verification failed")
    finally:
        srv.shutdown()
        srv.server_close()


def test_dns_probe_localhost_and_resolution_failure(monkeypatch):
    r = probe(spec("dns", "localhost"))
    assert r.ok and "127.0.0.1" in r.detail["addresses"]

    async def refuse(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    async def go():
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(loop, "getaddrinfo", refuse)
        return await run_probe(spec("dns", "no-such-host.desa"))

    r = asyncio.run(go())
    assert not r.ok and r.error == "name resolution failed: Name or service not known"


def _unprivileged_icmp_allowed():
    rng = ping_group_range()
    if rng is None:
        return False, "cannot read net.ipv4.ping_group_range"
    groups = {os.getgid(), *os.getgroups()}
    ok = any(rng[0] <= g <= rng[1] for g in groups)
    return ok, f"net.ipv4.ping_group_range = {rng[0]} {rng[1]} excludes groups {sorted(groups)}"


def test_icmp_probe_to_loopback():
    allowed, why = _unprivileged_icmp_allowed()
    if not allowed:
        pytest.skip(f"kernel forbids unprivileged ICMP here: {why}")
    r = probe(spec("icmp", "127.0.0.1"), icmp_count=3, icmp_interval_s=0.05)
    assert r.ok and r.loss_pct == 0.0 and r.detail["received"] == 3 and r.latency_ms > 0


def test_icmp_probe_reports_a_clear_error_when_the_kernel_forbids_it():
    allowed, _ = _unprivileged_icmp_allowed()
    if allowed:
        pytest.skip("unprivileged ICMP is allowed here; the success path is tested instead")
    r = probe(spec("icmp", "127.0.0.1"), icmp_count=1)
    assert not r.ok and r.detail == {"reason": "icmp_permission"}
    assert "ping_group_range" in r.error


def test_probe_never_raises(monkeypatch):
    async def broken(spec):
        raise RuntimeError("bug")

    monkeypatch.setattr(probes_mod, "probe_tcp", broken)
    r = probe(spec("tcp", "127.0.0.1", 1))
    assert not r.ok and r.error == "agent error: RuntimeError: bug"


def test_probe_spec_validation():
    ok = ProbeSpec.from_json({"id": 4, "kind": "tcp", "target": "10.1.1.1", "port": 22,
                              "interval_s": None, "timeout_s": None}, interval_default_s=90)
    assert (ok.interval_s, ok.timeout_s) == (90, 5.0)
    for bad in ({"id": "x", "kind": "tcp", "target": "a", "port": 1},
                {"id": 1, "kind": "smtp", "target": "a"},
                {"id": 1, "kind": "tcp", "target": "a"},
                {"id": 1, "kind": "http", "target": "ftp://a"},
                {"id": 1, "kind": "tcp", "target": "a", "port": 70000}):
        with pytest.raises(ValueError):
            ProbeSpec.from_json(bad)


# -- configuration and main --------------------------------------------------------------------


def test_config_file_env_override_and_token_file(tmp_path):
    f = tmp_path / "agent.toml"
    (tmp_path / "token").write_text("from-file\n")
    f.write_text('[agent]\nserver = "https://a.example/"\ntoken_file = "%s"\nbatch_size = 50\n'
                 % (tmp_path / "token"))
    cfg = load_config(f, env={})
    assert (cfg.server, cfg.token, cfg.batch_size) == ("https://a.example", "from-file", 50)
    cfg = load_config(f, env={"JANGKAU_AGENT_SERVER": "http://b.example",
                              "JANGKAU_AGENT_TOKEN": "from-env",
                              "JANGKAU_AGENT_QUEUE": str(tmp_path / "x.db"),
                              "JANGKAU_AGENT_BATCH_SIZE": "7"})
    assert (cfg.server, cfg.token, cfg.batch_size, cfg.queue) == (
        "http://b.example", "from-env", 7, tmp_path / "x.db")


@pytest.mark.parametrize("text, env, match", [
    ("", {}, "no server"),
    ('[agent]\nserver = "http://a"\n', {}, "no token"),
    ('[agent]\nserver = "http://a"\ntoken = "t"\nbatchsize = 5\n', {}, "unknown keys"),
    ('[agent]\nserver = "ftp://a"\ntoken = "t"\n', {}, "http"),
    ('[agent]\nserver = "http://a"\ntoken = "t"\nbatch_size = 0\n', {}, "positive"),
    ("server = 1\n", {}, "top-level"),
    ("[agent\n", {}, "TOML"),
])
def test_config_fails_loudly(tmp_path, text, env, match):
    f = tmp_path / "agent.toml"
    f.write_text(text)
    with pytest.raises(ConfigError, match=match):
        load_config(f, env=env)


def test_main_config_error_exit_code(tmp_path, monkeypatch, capsys):
    for var in ("JANGKAU_AGENT_SERVER", "JANGKAU_AGENT_TOKEN", "JANGKAU_AGENT_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    assert main(["--once"]) == EXIT_CONFIG
    assert "no server configured" in capsys.readouterr().err


def test_main_once_and_status_with_env_config(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("JANGKAU_AGENT_SERVER", server.url)
    monkeypatch.setenv("JANGKAU_AGENT_TOKEN", TOKEN)
    monkeypatch.setenv("JANGKAU_AGENT_QUEUE", str(tmp_path / "q.sqlite3"))
    assert main(["--once"]) == EXIT_OK
    assert len(server.store) == 3
    server.mode = "error500"
    assert main(["--once"]) == EXIT_QUEUED
    capsys.readouterr()
    assert main(["--status"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == {"queued": 3, "dead_letter": 0}


def test_client_rejects_bad_server_url():
    with pytest.raises(ValueError):
        ServerClient("localhost:8000", "t")


def test_status_needs_only_the_queue(tmp_path, monkeypatch, capsys):
    for var in ("JANGKAU_AGENT_SERVER", "JANGKAU_AGENT_TOKEN", "JANGKAU_AGENT_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    path = tmp_path / "q.sqlite3"
    with ResultQueue(path) as q:
        q.put([{"uuid": "a", "probe_id": 1, "ts": "t", "ok": False}])
        q.ack(rejected=[("a", "bad")])
        q.put([{"uuid": "b", "probe_id": 1, "ts": "t", "ok": True}])
    monkeypatch.setenv("JANGKAU_AGENT_QUEUE", str(path))
    monkeypatch.setenv("JANGKAU_AGENT_TOKEN_FILE", str(tmp_path / "unreadable"))
    assert main(["--status"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == {"queued": 1, "dead_letter": 1}
    assert main(["--once"]) == EXIT_CONFIG  # probing still needs server and token

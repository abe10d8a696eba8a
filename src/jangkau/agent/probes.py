"""Probe definitions and the four probes: ICMP echo, TCP connect, HTTP(S) GET, DNS lookup.

Every probe returns a :class:`ProbeResult` and never raises: a failure of the target, of name
resolution, of TLS, or of the host itself (e.g. ICMP sockets forbidden by the kernel) becomes a
result with ``ok = False`` and a readable ``error``. Latency definitions:

``icmp``
    mean round-trip time of the echo replies received (``icmplib``, unprivileged datagram
    sockets); ``loss_pct`` = 100 * lost / sent.
``tcp``
    time for ``connect()`` to complete (three-way handshake; includes name resolution if the
    target is a host name, so prefer addresses).
``http``
    time from starting the connection to receiving the status line (connect + TLS + request +
    server time, i.e. time to first byte); the body is not read.
``dns``
    duration of ``getaddrinfo`` through the system resolver.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from jangkau.agent.ids import uuid7

KINDS = ("icmp", "tcp", "http", "dns")
USER_AGENT = "jangkau-agent"
_MAX_HEADER_BYTES = 65_536


def utc_now_iso() -> str:
    """Current UTC time as ISO 8601 with milliseconds and ``Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class ProbeSpec:
    """One probe as served by ``GET /api/monitoring/agent/probes``.

    Attributes
    ----------
    id : int
        Server id of the probe.
    kind : str
        ``"icmp"``, ``"tcp"``, ``"http"`` or ``"dns"``.
    target : str
        Host name or address (``icmp``, ``tcp``, ``dns``) or URL (``http``).
    port : int or None
        TCP port (required for ``tcp``; overrides the URL's default port for ``http``).
    interval_s : int
        Seconds between runs.
    timeout_s : float
        Time limit of one run.
    expect_status : int or None
        ``http`` only: required status; default any 2xx or 3xx.
    """

    id: int
    kind: str
    target: str
    port: int | None
    interval_s: int
    timeout_s: float
    expect_status: int | None = None

    @classmethod
    def from_json(cls, d: dict, interval_default_s: int = 60) -> ProbeSpec:
        """Validate one probe object of the server's reply (``ValueError`` if invalid)."""
        if not isinstance(d, dict):
            raise ValueError(f"probe must be an object, got {d!r}")
        pid = d.get("id")
        if not isinstance(pid, int) or isinstance(pid, bool):
            raise ValueError(f"probe id must be an integer, got {pid!r}")
        kind = d.get("kind")
        if kind not in KINDS:
            raise ValueError(f"probe {pid}: kind must be one of {KINDS}, got {kind!r}")
        target = d.get("target")
        if not isinstance(target, str) or not target:
            raise ValueError(f"probe {pid}: target must be a non-empty string")
        port = d.get("port")
        if port is not None and (not isinstance(port, int) or not 0 < port < 65536):
            raise ValueError(f"probe {pid}: port must be 1..65535 or null, got {port!r}")
        if kind == "tcp" and port is None:
            raise ValueError(f"probe {pid}: a tcp probe needs a port")
        if kind == "http" and urlsplit(target).scheme not in ("http", "https"):
            raise ValueError(f"probe {pid}: http target must be an http(s) URL, got {target!r}")
        interval = d.get("interval_s") or interval_default_s
        timeout = d.get("timeout_s") or 5.0
        if not (isinstance(interval, int | float) and interval > 0):
            raise ValueError(f"probe {pid}: interval_s must be positive")
        if not (isinstance(timeout, int | float) and timeout > 0):
            raise ValueError(f"probe {pid}: timeout_s must be positive")
        expect = d.get("expect_status")
        if expect is not None and not isinstance(expect, int):
            raise ValueError(f"probe {pid}: expect_status must be an integer or null")
        return cls(pid, kind, target, port, int(interval), float(timeout), expect)


@dataclass
class ProbeResult:
    """One result, as uploaded in ``POST /api/monitoring/agent/results``.

    Attributes
    ----------
    uuid : str
        Time-ordered uuid7 (:mod:`jangkau.agent.ids`), the idempotency key of the result.
    probe_id : int
    ts : str
        UTC start time of the run, ISO 8601 with ``Z``.
    ok : bool
    latency_ms : float or None
    loss_pct : float or None
        ICMP only.
    error : str or None
        Why the probe failed.
    detail : dict
        Kind-specific extras: ``status``, ``cert_expiry_days``, ``tls_version``,
        ``addresses``, ``sent``, ``received``...
    """

    probe_id: int
    ts: str
    ok: bool
    latency_ms: float | None = None
    loss_pct: float | None = None
    error: str | None = None
    detail: dict = field(default_factory=dict)
    uuid: str = field(default_factory=lambda: str(uuid7()))

    def to_json(self) -> dict:
        """The wire representation (a JSON-serialisable dict)."""
        return {
            "uuid": self.uuid,
            "probe_id": self.probe_id,
            "ts": self.ts,
            "ok": self.ok,
            "latency_ms": None if self.latency_ms is None else round(self.latency_ms, 3),
            "loss_pct": None if self.loss_pct is None else round(self.loss_pct, 3),
            "error": self.error,
            "detail": self.detail,
        }


def _describe(exc: BaseException, timeout_s: float) -> str:
    """A short, readable error text for a probe failure."""
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return f"timeout after {timeout_s:g} s"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate verification failed: {exc.verify_message or exc}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, socket.gaierror):
        return f"name resolution failed: {exc.strerror or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, OSError):
        return f"{exc.strerror or type(exc).__name__}" + (
            f" (errno {exc.errno})" if exc.errno else ""
        )
    return f"{type(exc).__name__}: {exc}"


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000.0


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    try:
        await asyncio.wait_for(writer.wait_closed(), 1.0)
    except (OSError, TimeoutError, ssl.SSLError):
        pass


async def probe_tcp(spec: ProbeSpec) -> ProbeResult:
    """TCP connect to ``target:port``; latency = connect time."""
    ts = utc_now_iso()
    t0 = time.perf_counter()
    try:
        async with asyncio.timeout(spec.timeout_s):
            _, writer = await asyncio.open_connection(spec.target, spec.port)
        latency = _ms(t0)
    except Exception as exc:  # every failure becomes a result
        return ProbeResult(spec.id, ts, False, error=_describe(exc, spec.timeout_s))
    await _close(writer)
    return ProbeResult(spec.id, ts, True, latency_ms=latency)


async def probe_dns(spec: ProbeSpec) -> ProbeResult:
    """Resolve ``target`` with the system resolver; detail lists the addresses."""
    ts = utc_now_iso()
    loop = asyncio.get_running_loop()
    t0 = time.perf_counter()
    try:
        async with asyncio.timeout(spec.timeout_s):
            infos = await loop.getaddrinfo(spec.target, spec.port, type=socket.SOCK_STREAM)
    except Exception as exc:  # reported, never raised
        return ProbeResult(spec.id, ts, False, error=_describe(exc, spec.timeout_s))
    latency = _ms(t0)
    addresses = sorted({info[4][0] for info in infos})
    return ProbeResult(
        spec.id,
        ts,
        bool(addresses),
        latency_ms=latency,
        error=None if addresses else "no address",
        detail={"addresses": addresses},
    )


def _cert_expiry_days(writer: asyncio.StreamWriter) -> float | None:
    cert = writer.get_extra_info("peercert")
    if not cert or "notAfter" not in cert:
        return None
    return round((ssl.cert_time_to_seconds(cert["notAfter"]) - time.time()) / 86400.0, 2)


async def probe_http(spec: ProbeSpec, ssl_context: ssl.SSLContext | None = None) -> ProbeResult:
    """HTTP(S) GET; ok when the status is ``expect_status`` (default 2xx/3xx).

    For ``https`` the certificate is verified (``ssl_context`` or the system CAs) and
    ``detail.cert_expiry_days`` reports the days left before its ``notAfter``.
    """
    ts = utc_now_iso()
    url = urlsplit(spec.target)
    https = url.scheme == "https"
    host = url.hostname or ""
    port = spec.port or url.port or (443 if https else 80)
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    default_port = port == (443 if https else 80)
    host_header = (f"[{host}]" if ":" in host else host) + ("" if default_port else f":{port}")
    ctx = None
    if https:
        ctx = ssl_context or ssl.create_default_context()
    detail: dict = {}
    t0 = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(spec.timeout_s):
            reader, writer = await asyncio.open_connection(
                host, port, ssl=ctx, server_hostname=host if https else None
            )
            detail["connect_ms"] = round(_ms(t0), 3)
            if https:
                detail["cert_expiry_days"] = _cert_expiry_days(writer)
                ssl_obj = writer.get_extra_info("ssl_object")
                detail["tls_version"] = ssl_obj.version() if ssl_obj else None
            request = (
                f"GET {path} HTTP/1.1\r\nHost: {host_header}\r\n"
                f"User-Agent: {USER_AGENT}\r\nAccept: */*\r\nConnection: close\r\n\r\n"
            )
            writer.write(request.encode("latin-1"))
            await writer.drain()
            status_line = await reader.readline()
            latency = _ms(t0)
            parts = status_line.decode("latin-1").split(None, 2)
            if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
                raise ValueError(f"not an HTTP response: {status_line[:80]!r}")
            status = int(parts[1])
            size = 0
            while size < _MAX_HEADER_BYTES:
                line = await reader.readline()
                size += len(line)
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "location":
                    detail["location"] = value.strip()
    except Exception as exc:  # reported, never raised
        if writer is not None:
            await _close(writer)
        return ProbeResult(spec.id, ts, False, error=_describe(exc, spec.timeout_s), detail=detail)
    await _close(writer)
    detail["status"] = status
    ok = status == spec.expect_status if spec.expect_status else 200 <= status < 400
    error = (
        None
        if ok
        else (
            f"HTTP status {status}"
            + (f", expected {spec.expect_status}" if spec.expect_status else "")
        )
    )
    return ProbeResult(spec.id, ts, ok, latency_ms=latency, error=error, detail=detail)


def ping_group_range() -> tuple[int, int] | None:
    """The kernel's ``net.ipv4.ping_group_range`` (groups allowed unprivileged ICMP)."""
    try:
        lo, hi = Path("/proc/sys/net/ipv4/ping_group_range").read_text().split()
        return int(lo), int(hi)
    except (OSError, ValueError):
        return None


def icmp_permission_hint() -> str:
    """Explain how to allow unprivileged ICMP on this host."""
    rng = ping_group_range()
    now = f" (now {rng[0]} {rng[1]})" if rng else ""
    return (
        "unprivileged ICMP sockets are not permitted by the kernel: allow the agent's group "
        f"in net.ipv4.ping_group_range{now}, e.g. "
        "sysctl -w net.ipv4.ping_group_range='0 2147483647'"
    )


async def probe_icmp(spec: ProbeSpec, count: int = 3, interval_s: float = 0.2) -> ProbeResult:
    """ICMP echo with ``icmplib`` over unprivileged datagram sockets (``privileged=False``)."""
    ts = utc_now_iso()
    try:
        import icmplib
    except ImportError:
        return ProbeResult(
            spec.id,
            ts,
            False,
            error="icmplib is not installed",
            detail={"reason": "icmp_unavailable"},
        )
    budget = spec.timeout_s + count * (interval_s + spec.timeout_s) + 1.0
    try:
        async with asyncio.timeout(budget):
            host = await icmplib.async_ping(
                spec.target,
                count=count,
                interval=interval_s,
                timeout=spec.timeout_s,
                privileged=False,
            )
    except icmplib.SocketPermissionError:
        return ProbeResult(
            spec.id, ts, False, error=icmp_permission_hint(), detail={"reason": "icmp_permission"}
        )
    except icmplib.NameLookupError as exc:
        return ProbeResult(spec.id, ts, False, error=f"name resolution failed: {exc}")
    except Exception as exc:  # reported, never raised
        return ProbeResult(spec.id, ts, False, error=_describe(exc, budget))
    sent, received = host.packets_sent, host.packets_received
    loss = 100.0 * (sent - received) / sent if sent else 100.0
    detail = {"address": host.address, "sent": sent, "received": received}
    if received:
        detail.update(
            min_ms=round(host.min_rtt, 3),
            max_ms=round(host.max_rtt, 3),
            jitter_ms=round(host.jitter, 3),
        )
        return ProbeResult(spec.id, ts, True, latency_ms=host.avg_rtt, loss_pct=loss, detail=detail)
    return ProbeResult(spec.id, ts, False, loss_pct=loss, error="no echo reply", detail=detail)


async def run_probe(
    spec: ProbeSpec,
    *,
    icmp_count: int = 3,
    icmp_interval_s: float = 0.2,
    ssl_context: ssl.SSLContext | None = None,
) -> ProbeResult:
    """Run one probe of any kind; never raises (internal errors become failed results)."""
    try:
        if spec.kind == "tcp":
            return await probe_tcp(spec)
        if spec.kind == "http":
            return await probe_http(spec, ssl_context)
        if spec.kind == "dns":
            return await probe_dns(spec)
        if spec.kind == "icmp":
            return await probe_icmp(spec, icmp_count, icmp_interval_s)
        raise ValueError(f"unknown probe kind {spec.kind!r}")
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # reported, never raised
        return ProbeResult(
            spec.id, utc_now_iso(), False, error=f"agent error: {type(exc).__name__}: {exc}"
        )


__all__ = [
    "KINDS",
    "ProbeResult",
    "ProbeSpec",
    "icmp_permission_hint",
    "ping_group_range",
    "probe_dns",
    "probe_http",
    "probe_icmp",
    "probe_tcp",
    "run_probe",
    "utc_now_iso",
]

"""HTTP client for the server side of the agent protocol (stdlib ``http.client``).

Two endpoints, both authenticated by ``Authorization: Bearer <token>`` (see ``docs/agent.md``):

* ``GET  {server}/api/monitoring/agent/probes``  -> the probe list;
* ``POST {server}/api/monitoring/agent/results`` -> per-uuid acknowledgement.

Errors are sorted by what the agent must do about them:

:class:`AuthError`
    401/403: the token is unknown or revoked; keep the results, retry with backoff, log loudly.
:class:`BatchError`
    400: the server says the batch is malformed; the runner bisects it to isolate the bad
    result, which goes to the dead-letter table.
:class:`TransientError`
    connection refused/reset/closed, timeout, 5xx, 429, any other status, unreadable reply:
    keep everything, retry with exponential backoff.

Blocking calls run in a worker thread (``asyncio.to_thread``) so the probe loop never waits on
the network.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import random
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from jangkau import __version__
from jangkau.agent.probes import ProbeSpec

PROBES_PATH = "/api/monitoring/agent/probes"
RESULTS_PATH = "/api/monitoring/agent/results"
_MAX_REPLY_BYTES = 16 * 1024 * 1024


class ServerError(Exception):
    """Base of the client's errors; ``status`` is the HTTP status or None (no reply)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class AuthError(ServerError):
    """401/403: unknown or revoked token."""


class BatchError(ServerError):
    """400: the batch was refused as malformed (the server's ``error`` is the message)."""


class TransientError(ServerError):
    """No usable reply: network failure, timeout, 5xx, 429 or unreadable body."""


@dataclass(frozen=True)
class ProbeList:
    """The server's probe list.

    Attributes
    ----------
    agent : str
        Name of this agent on the server.
    interval_default_s : int
    probes : list of ProbeSpec
        Valid probes.
    invalid : list of str
        Why each invalid probe object was skipped.
    raw : dict
        The reply as received (cached in the queue for offline restarts).
    """

    agent: str
    interval_default_s: int
    probes: list[ProbeSpec]
    invalid: list[str] = field(default_factory=list)
    raw: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, doc) -> ProbeList:
        """Validate a probes reply (``ValueError`` if its shape is wrong)."""
        if not isinstance(doc, dict) or not isinstance(doc.get("probes"), list):
            raise ValueError("probe list reply must be an object with a 'probes' array")
        default = doc.get("interval_default_s") or 60
        if not isinstance(default, int) or default <= 0:
            raise ValueError("interval_default_s must be a positive integer")
        probes, invalid = [], []
        for item in doc["probes"]:
            try:
                probes.append(ProbeSpec.from_json(item, default))
            except ValueError as exc:
                invalid.append(str(exc))
        return cls(str(doc.get("agent", "")), default, probes, invalid, doc)


@dataclass(frozen=True)
class UploadReply:
    """The server's acknowledgement of an upload.

    Attributes
    ----------
    accepted, duplicates : list of str
        uuids stored now / stored before; both are delivered.
    rejected : list of (str, str)
        ``(uuid, error)`` refused for good.
    """

    accepted: list[str]
    duplicates: list[str]
    rejected: list[tuple[str, str]]

    @classmethod
    def from_json(cls, doc) -> UploadReply:
        """Validate a results reply (``ValueError`` if its shape is wrong)."""
        if not isinstance(doc, dict):
            raise ValueError("results reply must be an object")
        accepted = doc.get("accepted", [])
        duplicates = doc.get("duplicates", [])
        rejected = doc.get("rejected", [])
        if not all(isinstance(x, list) for x in (accepted, duplicates, rejected)):
            raise ValueError("accepted, duplicates and rejected must be arrays")
        if not all(isinstance(u, str) for u in accepted + duplicates):
            raise ValueError("accepted and duplicates must hold uuid strings")
        rej = []
        for item in rejected:
            if not isinstance(item, dict) or not isinstance(item.get("uuid"), str):
                raise ValueError("rejected entries must be objects with a uuid")
            rej.append((item["uuid"], str(item.get("error") or "rejected")))
        return cls(list(accepted), list(duplicates), rej)


class Backoff:
    """Exponential backoff with "equal jitter".

    After the :math:`k`-th consecutive failure (``k = 0, 1, ...``) the wait is
    :math:`d_k/2 + U(0, d_k/2)` with :math:`d_k = \\min(\\text{cap}, \\text{base}\\, 2^k)`:
    it at least doubles its floor each time until the cap, and the random half spreads many
    agents that lost the server together (M. Brooker, "Exponential Backoff And Jitter", AWS
    Architecture Blog, 2015).
    """

    def __init__(self, base_s: float = 2.0, cap_s: float = 300.0, rng: random.Random | None = None):
        self.base_s = float(base_s)
        self.cap_s = float(cap_s)
        self.failures = 0
        self._rng = rng or random.Random()

    def ceiling(self, k: int) -> float:
        """:math:`d_k`, the largest wait after ``k`` previous failures."""
        return min(self.cap_s, self.base_s * 2.0 ** min(k, 64))

    def next_delay(self) -> float:
        """Register one more failure and return the wait before the next attempt."""
        d = self.ceiling(self.failures)
        self.failures += 1
        return d / 2.0 + self._rng.uniform(0.0, d / 2.0)

    def reset(self) -> None:
        """Back to the shortest wait after a success."""
        self.failures = 0


class ServerClient:
    """Talks to the Jangkau server.

    Parameters
    ----------
    server : str
        Base URL (may include a path prefix).
    token : str
        Bearer token.
    timeout_s : float
        Socket timeout of each request.
    ca_file : path-like, optional
        Extra CA bundle for an https server.
    agent_version : str
        Sent as ``agent_version`` and in the User-Agent.
    """

    def __init__(
        self,
        server: str,
        token: str,
        *,
        timeout_s: float = 30.0,
        ca_file: str | Path | None = None,
        agent_version: str = __version__,
    ):
        parts = urlsplit(server)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"server must be an http(s) URL, got {server!r}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self.prefix = parts.path.rstrip("/")
        self.token = token
        self.timeout_s = timeout_s
        self.agent_version = agent_version
        self._ssl = None
        if self.scheme == "https":
            self._ssl = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)

    # -- blocking API --------------------------------------------------------------------
    def fetch_probes(self) -> ProbeList:
        """``GET .../probes``; raises :class:`ServerError` subclasses."""
        status, doc = self._request("GET", PROBES_PATH, None)
        try:
            return ProbeList.from_json(doc)
        except ValueError as exc:
            raise TransientError(f"unusable probe list: {exc}", status) from None

    def post_results(self, results: list[dict], backlog: int) -> UploadReply:
        """``POST .../results`` with one batch; raises :class:`ServerError` subclasses."""
        body = {"agent_version": self.agent_version, "backlog": int(backlog), "results": results}
        status, doc = self._request("POST", RESULTS_PATH, body)
        try:
            return UploadReply.from_json(doc)
        except ValueError as exc:
            raise TransientError(f"unusable upload reply: {exc}", status) from None

    # -- async wrappers ------------------------------------------------------------------
    async def afetch_probes(self) -> ProbeList:
        """:meth:`fetch_probes` in a worker thread."""
        return await asyncio.to_thread(self.fetch_probes)

    async def apost_results(self, results: list[dict], backlog: int) -> UploadReply:
        """:meth:`post_results` in a worker thread."""
        return await asyncio.to_thread(self.post_results, results, backlog)

    # -- internals -----------------------------------------------------------------------
    def _connection(self) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection(
                self.host, self.port, timeout=self.timeout_s, context=self._ssl
            )
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)

    def _request(self, method: str, path: str, body: dict | None) -> tuple[int, object]:
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/json",
            "User-Agent": f"jangkau-agent/{self.agent_version}",
        }
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
        conn = self._connection()
        try:
            conn.request(method, self.prefix + path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read(_MAX_REPLY_BYTES)
            status = resp.status
        except (OSError, http.client.HTTPException) as exc:
            raise TransientError(f"{method} {path}: {type(exc).__name__}: {exc}") from None
        finally:
            conn.close()
        try:
            doc = json.loads(raw) if raw else None
        except ValueError:
            doc = None
        message = doc.get("error") if isinstance(doc, dict) else None
        if status in (401, 403):
            raise AuthError(
                f"{method} {path}: HTTP {status}: token refused"
                + (f" ({message})" if message else ""),
                status,
            )
        if status == 400:
            raise BatchError(f"{method} {path}: HTTP 400: {message or raw[:200]!r}", status)
        if status != 200:
            raise TransientError(f"{method} {path}: HTTP {status}", status)
        if doc is None:
            raise TransientError(f"{method} {path}: reply is not JSON", status)
        return status, doc

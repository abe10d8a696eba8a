"""Agent configuration: a TOML file (stdlib ``tomllib``) overridden by environment variables.

File (all keys in an ``[agent]`` table; unknown keys are an error so typos fail loudly)::

    [agent]
    server = "https://jangkau.example.go.id"
    token_file = "/etc/jangkau-agent/token"   # or: token = "..."
    queue = "/var/lib/jangkau-agent/queue.sqlite3"
    batch_size = 500

Environment variables win over the file: ``JANGKAU_AGENT_SERVER``, ``JANGKAU_AGENT_TOKEN``,
``JANGKAU_AGENT_TOKEN_FILE``, ``JANGKAU_AGENT_QUEUE``, ``JANGKAU_AGENT_BATCH_SIZE``,
``JANGKAU_AGENT_CONCURRENCY``, ``JANGKAU_AGENT_LOG_LEVEL``, ``JANGKAU_AGENT_CA_FILE``, and
``JANGKAU_AGENT_CONFIG`` names the file when ``--config`` is not given. The full list is in
``docs/agent.md``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit


class ConfigError(Exception):
    """The configuration is missing something required or has an invalid value."""


@dataclass(frozen=True)
class AgentConfig:
    """Everything the agent needs to run.

    Attributes
    ----------
    server : str
        Base URL of the Jangkau server, e.g. ``https://jangkau.example.go.id``.
    token : str
        Bearer token of this agent (the server derives the agent identity from it).
    queue : Path
        SQLite queue file.
    batch_size : int
        Results per upload request (oldest first), default 500.
    concurrency : int
        Probes running at once, default 256.
    http_timeout_s : float
        Timeout of one request to the server, default 30.
    refresh_s : float
        How often the probe list is fetched again, default 300.
    flush_interval_s : float
        Upper bound on the time between upload attempts while results are queued, default 10.
    backoff_base_s, backoff_cap_s : float
        Exponential backoff after a failed upload: base 2 s doubling up to 300 s.
    icmp_count : int
        Echo requests per ICMP probe, default 3.
    icmp_interval_s : float
        Spacing of those echo requests, default 0.2.
    max_queue : int
        Oldest results are dropped (and logged) beyond this many queued, default 2,000,000.
    ca_file : Path or None
        Extra CA bundle to verify the server (self-hosted PKI).
    log_level : str
        ``DEBUG``, ``INFO``, ``WARNING`` or ``ERROR``.
    """

    server: str
    token: str
    queue: Path = Path("/var/lib/jangkau-agent/queue.sqlite3")
    batch_size: int = 500
    concurrency: int = 256
    http_timeout_s: float = 30.0
    refresh_s: float = 300.0
    flush_interval_s: float = 10.0
    backoff_base_s: float = 2.0
    backoff_cap_s: float = 300.0
    icmp_count: int = 3
    icmp_interval_s: float = 0.2
    max_queue: int = 2_000_000
    ca_file: Path | None = None
    log_level: str = "INFO"


_ENV = {
    "JANGKAU_AGENT_SERVER": "server",
    "JANGKAU_AGENT_TOKEN": "token",
    "JANGKAU_AGENT_TOKEN_FILE": "token_file",
    "JANGKAU_AGENT_QUEUE": "queue",
    "JANGKAU_AGENT_BATCH_SIZE": "batch_size",
    "JANGKAU_AGENT_CONCURRENCY": "concurrency",
    "JANGKAU_AGENT_HTTP_TIMEOUT": "http_timeout_s",
    "JANGKAU_AGENT_REFRESH": "refresh_s",
    "JANGKAU_AGENT_FLUSH_INTERVAL": "flush_interval_s",
    "JANGKAU_AGENT_BACKOFF_CAP": "backoff_cap_s",
    "JANGKAU_AGENT_ICMP_COUNT": "icmp_count",
    "JANGKAU_AGENT_MAX_QUEUE": "max_queue",
    "JANGKAU_AGENT_CA_FILE": "ca_file",
    "JANGKAU_AGENT_LOG_LEVEL": "log_level",
}
ENV_VARS = tuple(_ENV)
_FIELDS = {f.name: f for f in fields(AgentConfig)}
_INTS = {"batch_size", "concurrency", "icmp_count", "max_queue"}
_FLOATS = {
    "http_timeout_s",
    "refresh_s",
    "flush_interval_s",
    "backoff_base_s",
    "backoff_cap_s",
    "icmp_interval_s",
}


def _coerce(name: str, value, source: str):
    try:
        if name in _INTS:
            if isinstance(value, bool):
                raise ValueError
            out = int(value)
            if out < 1:
                raise ValueError
            return out
        if name in _FLOATS:
            out = float(value)
            if not out > 0:
                raise ValueError
            return out
    except (TypeError, ValueError):
        raise ConfigError(f"{source}: {name} must be a positive number, got {value!r}") from None
    if name in {"queue", "ca_file", "token_file"}:
        return Path(str(value)).expanduser()
    if not isinstance(value, str):
        raise ConfigError(f"{source}: {name} must be a string, got {value!r}")
    return value


def load_config(
    path: str | os.PathLike | None = None,
    env: Mapping[str, str] | None = None,
    *,
    require_credentials: bool = True,
) -> AgentConfig:
    """Read the configuration file (if any), apply environment overrides, validate.

    Parameters
    ----------
    path : path-like, optional
        TOML file; default ``$JANGKAU_AGENT_CONFIG`` if set, else none.
    env : mapping, optional
        Environment (default ``os.environ``).
    require_credentials : bool
        False for commands that only read the local queue (``--status``): server and token
        may then be missing (empty strings) and an unreadable token file is ignored.

    Returns
    -------
    AgentConfig

    Raises
    ------
    ConfigError
        Unreadable file, unknown key, invalid value, or no server / no token.
    """
    env = os.environ if env is None else env
    path = path or env.get("JANGKAU_AGENT_CONFIG") or None
    values: dict = {}
    if path is not None:
        p = Path(path)
        try:
            with p.open("rb") as fh:
                doc = tomllib.load(fh)
        except OSError as exc:
            raise ConfigError(f"cannot read config file {p}: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {p} is not valid TOML: {exc}") from None
        extra = set(doc) - {"agent"}
        if extra:
            raise ConfigError(f"{p}: unknown top-level keys {sorted(extra)}; use an [agent] table")
        table = doc.get("agent", {})
        allowed = set(_FIELDS) | {"token_file"}
        unknown = set(table) - allowed
        if unknown:
            raise ConfigError(f"{p}: unknown keys in [agent]: {sorted(unknown)}")
        values = {k: _coerce(k, v, str(p)) for k, v in table.items()}
    for var, name in _ENV.items():
        if env.get(var):
            values[name] = _coerce(name, env[var], var)
            if name == "token":
                values.pop("token_file", None)
            if name == "token_file":
                values.pop("token", None)
    token_file = values.pop("token_file", None)
    if token_file is not None and not values.get("token"):
        try:
            values["token"] = Path(token_file).read_text().strip()
        except OSError as exc:
            if require_credentials:
                raise ConfigError(f"cannot read token file {token_file}: {exc}") from None
    if not require_credentials:
        values.setdefault("server", "")
        values.setdefault("token", "")
    elif not values.get("server"):
        raise ConfigError(
            "no server configured: set JANGKAU_AGENT_SERVER or 'server' in the "
            "[agent] table of the config file"
        )
    elif not values.get("token"):
        raise ConfigError(
            "no token configured: set JANGKAU_AGENT_TOKEN (or "
            "JANGKAU_AGENT_TOKEN_FILE) or 'token'/'token_file' in the config file"
        )
    if values["server"]:
        parts = urlsplit(values["server"])
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ConfigError(f"server must be an http(s) URL, got {values['server']!r}")
        values["server"] = values["server"].rstrip("/")
    level = str(values.get("log_level", "INFO")).upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"log_level must be DEBUG, INFO, WARNING or ERROR, got {level!r}")
    values["log_level"] = level
    return AgentConfig(**values)

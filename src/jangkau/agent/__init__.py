"""The Jangkau probe agent (``jangkau agent``), run on a small Linux box in a village.

It fetches its probe list from the server, probes (ICMP, TCP, HTTP(S), DNS) with asyncio,
keeps every result in a local SQLite queue until the server acknowledges it, and uploads with
retries. Standard library only, plus ``icmplib`` for ICMP; it never imports Django or numpy so
it runs on the smallest box. Protocol and deployment: ``docs/agent.md``.
"""

from jangkau.agent.client import (
    AuthError,
    Backoff,
    BatchError,
    ProbeList,
    ServerClient,
    ServerError,
    TransientError,
    UploadReply,
)
from jangkau.agent.config import AgentConfig, ConfigError, load_config
from jangkau.agent.probes import ProbeResult, ProbeSpec, run_probe
from jangkau.agent.queue import ResultQueue
from jangkau.agent.runner import Agent, FlushOutcome, main

__all__ = [
    "Agent",
    "AgentConfig",
    "AuthError",
    "Backoff",
    "BatchError",
    "ConfigError",
    "FlushOutcome",
    "ProbeList",
    "ProbeResult",
    "ProbeSpec",
    "ResultQueue",
    "ServerClient",
    "ServerError",
    "TransientError",
    "UploadReply",
    "load_config",
    "main",
    "run_probe",
]

"""Result identifiers: time-ordered UUIDs (version 7, RFC 9562 section 5.7).

A result's uuid is its idempotency key: the server stores each uuid once, under a unique index.
A random uuid4 lands on a random page of that index, so every insert dirties a different page;
a uuid7 starts with the Unix time in milliseconds, so the results of one upload (and of one
agent over time) land together at the right-hand end of the index. On SQLite the server then
stores 1.7 times the results per second (docs/benchmarks.md, ingest). The remaining 74 bits are
random, so two agents (or two results within one millisecond) do not collide in practice; the
server would report such a collision as a duplicate, never overwrite.

Python 3.14 has ``uuid.uuid7``; the floor here is 3.11, so it is built by hand.
"""

from __future__ import annotations

import secrets
import time
import uuid

_VERSION = 0x7
_VARIANT = 0b10


def uuid7(unix_ms: int | None = None) -> uuid.UUID:
    """A version-7 UUID: 48-bit Unix time in ms, version, 12 + 62 random bits, RFC variant.

    Parameters
    ----------
    unix_ms : int, optional
        Milliseconds since 1970-01-01 UTC (default: now). Must fit in 48 bits.
    """
    if unix_ms is None:
        unix_ms = time.time_ns() // 1_000_000
    if not 0 <= unix_ms < 1 << 48:
        raise ValueError("unix_ms must be between 0 and 2**48 - 1")
    rand = secrets.randbits(74)
    value = (
        (unix_ms << 80)
        | (_VERSION << 76)
        | ((rand >> 62) << 64)  # rand_a: 12 bits
        | (_VARIANT << 62)
        | (rand & ((1 << 62) - 1))  # rand_b: 62 bits
    )
    return uuid.UUID(int=value)


def uuid7_ms(value: uuid.UUID | str) -> int:
    """The Unix milliseconds a uuid7 carries (``ValueError`` if it is not version 7)."""
    u = value if isinstance(value, uuid.UUID) else uuid.UUID(value)
    if u.version != _VERSION:
        raise ValueError(f"{u} is not a version-7 UUID")
    return u.int >> 80

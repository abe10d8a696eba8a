"""Typed helpers that read settings from environment variables.

Every setting of Jangkau comes from the environment (see ``docs/configuration.md``). A secret
may also be given as a file path in ``NAME_FILE`` (for Docker/systemd credentials), which wins
over ``NAME``.
"""

from __future__ import annotations

import os
from pathlib import Path


class MissingSetting(RuntimeError):
    """Raised when a required environment variable is not set."""


def envstr(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    """Return ``$NAME`` (or the contents of the file named by ``$NAME_FILE``)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise MissingSetting(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise MissingSetting(
                f"The environment variable {name} is required (see .env.example and "
                "docs/configuration.md)."
            )
        return default
    return value


def envbool(name: str, default: bool = False) -> bool:
    """Return a boolean from ``$NAME``: 1/true/yes/on or 0/false/no/off."""
    value = envstr(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise MissingSetting(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no).")


def envint(name: str, default: int) -> int:
    """Return an integer from ``$NAME``."""
    value = envstr(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise MissingSetting(f"{name}={value!r} is not an integer.") from exc


def envfloat(name: str, default: float) -> float:
    """Return a float from ``$NAME``."""
    value = envstr(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise MissingSetting(f"{name}={value!r} is not a number.") from exc


def envlist(name: str, default: list[str] | None = None) -> list[str]:
    """Return a comma-separated list from ``$NAME``."""
    value = envstr(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]

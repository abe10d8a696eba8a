"""Batch ITM point-to-point predictions over JSON Lines (``jangkau coverage p2p``).

Contract
--------
Input: one JSON object per line (UTF-8)::

    {"elevations_m": [312.0, 305.5, ...], "step_m": 30.0, "freq_mhz": 900.0,
     "tx_height_m": 30.0, "rx_height_m": 10.0}

with the required fields ``elevations_m`` (list of numbers, transmitter first, at least 3),
``step_m``, ``freq_mhz``, ``tx_height_m``, ``rx_height_m`` and the optional fields
``polarization`` (``"vertical"`` | ``"horizontal"``, default vertical), ``climate`` (one of
:data:`.itm.CLIMATES`, default ``"equatorial"``), ``epsilon`` (15), ``sigma`` (0.005 S/m),
``ns`` (surface refractivity, 360 N-units), ``time_pct``, ``location_pct``,
``situation_pct`` (50 each). Ranges are those of :func:`.itm.itm_p2p`.

Output: exactly one JSON object per input line, in the same order::

    {"loss_db": 141.27, "mode": "diffraction", "warnings": "0: no warning"}

or, for a line that cannot be computed, ``{"line": 7, "error": "missing field 'step_m'"}``
(``line`` is the 1-based input line number). A line is refused if it is blank, not UTF-8, not
valid JSON (``NaN``/``Infinity`` included), not an object, has a field not listed above (a
misspelt optional field would otherwise silently fall back to its default), misses a required
field, has a value of the wrong type (numbers must be JSON numbers, not strings or booleans),
a value out of range, an unknown polarization or climate, or too few elevations; and if ITM
produces a non-finite loss. A blank line is an error, not skipped, so that output line ``k``
always answers input line ``k``; the newline that ends the last line is not a blank line.

:func:`run_p2p` returns 0 if every line was computed, 1 if at least one line was refused
(every good line is still computed and written), 2 if the input cannot be read or the output
cannot be written. The input is streamed: lines are read in chunks (1,000 by default) and the
profiles of a chunk are grouped by length and computed together with :func:`.itm.itm_p2p`.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

from jangkau.cores.propagation.itm import (
    CLIMATES,
    MIN_POINTS,
    POLARIZATIONS,
    ItmInputError,
    check_scalar,
    itm_p2p,
    mode_name,
    warning_text,
)

REQUIRED_FIELDS = ("elevations_m", "step_m", "freq_mhz", "tx_height_m", "rx_height_m")
"""Fields every input line must have."""

OPTIONAL_FIELDS = {
    "polarization": "vertical",
    "climate": "equatorial",
    "epsilon": 15.0,
    "sigma": 0.005,
    "ns": 360.0,
    "time_pct": 50.0,
    "location_pct": 50.0,
    "situation_pct": 50.0,
}
"""Optional fields and their defaults."""

CHUNK_LINES = 1000
"""Input lines computed together."""

_NUMERIC = (
    "step_m",
    "freq_mhz",
    "tx_height_m",
    "rx_height_m",
    "epsilon",
    "sigma",
    "ns",
    "time_pct",
    "location_pct",
    "situation_pct",
)
_NAMES = {"polarization": POLARIZATIONS, "climate": CLIMATES}
_KNOWN = frozenset(REQUIRED_FIELDS) | frozenset(OPTIONAL_FIELDS)


class LineError(ValueError):
    """Why one input line cannot be computed."""


def _json_type(value) -> str:
    """JSON name of a decoded value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _reject_constant(name: str):
    raise LineError(f"invalid JSON: {name} is not a JSON number")


def _is_number(value) -> bool:
    return type(value) is int or type(value) is float


def parse_line(raw: bytes) -> dict:
    """Decode and validate one input line.

    Parameters
    ----------
    raw : bytes
        The line, with or without its line ending.

    Returns
    -------
    dict
        The fields with defaults filled in; ``elevations_m`` as a float array.

    Raises
    ------
    LineError
        With a message naming the offending field.
    """
    line = raw.rstrip(b"\r\n")
    if not line.strip():
        raise LineError(
            "blank line: every line must hold one JSON object (output line k answers input line k)"
        )
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LineError(f"line is not valid UTF-8 (byte {exc.start})") from None
    try:
        record = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise LineError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(record, dict):
        raise LineError(f"expected a JSON object, got {_json_type(record)}")
    unknown = sorted(set(record) - _KNOWN)
    if unknown:
        raise LineError(f"unknown field {unknown[0]!r}")
    for field in REQUIRED_FIELDS:
        if field not in record:
            raise LineError(f"missing field {field!r}")

    out = {}
    elevations = record["elevations_m"]
    if not isinstance(elevations, list):
        raise LineError(
            f"field 'elevations_m' must be an array of numbers, got {_json_type(elevations)}"
        )
    if not all(map(_is_number, elevations)):
        bad = next(v for v in elevations if not _is_number(v))
        raise LineError(
            f"field 'elevations_m' must be an array of numbers, found a {_json_type(bad)}"
        )
    if len(elevations) < MIN_POINTS:
        raise LineError(
            f"field 'elevations_m' has too few points: {len(elevations)} (at "
            f"least {MIN_POINTS}, i.e. 2 intervals)"
        )
    z = np.array(elevations, dtype=float)
    if not np.isfinite(z).all():
        raise LineError("field 'elevations_m' must hold finite numbers")
    out["elevations_m"] = z

    for field in _NUMERIC:
        value = record.get(field, OPTIONAL_FIELDS.get(field))
        if not _is_number(value):
            raise LineError(f"field {field!r} must be a number, got {_json_type(value)}")
        problem = check_scalar(field, value)
        if problem:
            raise LineError(f"field {field!r} is out of range: {problem}")
        out[field] = float(value)
    for field, choices in _NAMES.items():
        value = record.get(field, OPTIONAL_FIELDS[field])
        if not isinstance(value, str):
            raise LineError(f"field {field!r} must be a string, got {_json_type(value)}")
        if value not in choices:
            raise LineError(
                f"field {field!r} has unknown value {value!r}; expected one of "
                + ", ".join(repr(c) for c in choices)
            )
        out[field] = value
    return out


def _compute_group(records: list[dict]) -> list[dict]:
    """ITM for records of equal profile length, vectorised; one output object each."""
    z = np.stack([r["elevations_m"] for r in records])
    kwargs = {f: np.array([r[f] for r in records]) for f in _NUMERIC}
    kwargs.update({f: [r[f] for r in records] for f in _NAMES})
    step = kwargs.pop("step_m")
    freq = kwargs.pop("freq_mhz")
    tx = kwargs.pop("tx_height_m")
    rx = kwargs.pop("rx_height_m")
    result = itm_p2p(z, step, freq, tx, rx, **kwargs)
    out = []
    for loss, mode, kwx in zip(
        result.loss_db.tolist(), result.mode.tolist(), result.warnings.tolist(), strict=True
    ):
        if math.isfinite(loss):
            out.append({"loss_db": loss, "mode": mode_name(mode), "warnings": warning_text(kwx)})
        else:
            out.append(
                {
                    "error": "ITM produced no finite loss for this path "
                    f"(warning {warning_text(kwx)})"
                }
            )
    return out


def _compute_chunk(parsed: list) -> list[dict]:
    """Output objects for a chunk of ``(line_number, record or LineError)``, in order."""
    outputs: list[dict | None] = [None] * len(parsed)
    groups: dict[int, list[int]] = {}
    for k, (line_no, item) in enumerate(parsed):
        if isinstance(item, LineError):
            outputs[k] = {"line": line_no, "error": str(item)}
        else:
            groups.setdefault(item["elevations_m"].size, []).append(k)
    for members in groups.values():
        try:
            results = _compute_group([parsed[k][1] for k in members])
        except (ItmInputError, ValueError):
            # Should not happen after parse_line; isolate the line(s) responsible.
            results = []
            for k in members:
                try:
                    results.extend(_compute_group([parsed[k][1]]))
                except (ItmInputError, ValueError) as exc:
                    results.append({"error": str(exc)})
        for k, res in zip(members, results, strict=True):
            if "error" in res:
                res = {"line": parsed[k][0], "error": res["error"]}
            outputs[k] = res
    return outputs


def run_p2p(
    input_path: str | Path, output_path: str | Path, stderr=None, *, chunk_lines: int = CHUNK_LINES
) -> int:
    """Compute ITM point-to-point losses for a JSON Lines file (see the module docstring).

    Parameters
    ----------
    input_path : str or Path
        JSON Lines input, one profile per line.
    output_path : str or Path
        Output file, written line by line in input order.
    stderr : file-like, optional
        Where to report a summary of refused lines and file errors (default
        :data:`sys.stderr`).
    chunk_lines : int
        Lines read and computed together (memory bound: one chunk at a time).

    Returns
    -------
    int
        0 if every line was computed, 1 if some lines were refused, 2 if a file could not be
        read or written.
    """
    err = sys.stderr if stderr is None else stderr
    if chunk_lines < 1:
        raise ValueError(f"chunk_lines must be >= 1, got {chunk_lines}")
    counts = {"lines": 0, "errors": 0}
    first_error: list[dict] = []

    def write_chunk(dst, chunk: list) -> None:
        for res in _compute_chunk(chunk):
            if "error" in res:
                counts["errors"] += 1
                if not first_error:
                    first_error.append(res)
            dst.write(json.dumps(res, allow_nan=False) + "\n")
        chunk.clear()

    try:
        src = open(input_path, "rb")
    except OSError as exc:
        print(f"p2p: cannot read {input_path}: {exc.strerror or exc}", file=err)
        return 2
    with src:
        try:
            dst = open(output_path, "w", encoding="utf-8", newline="\n")
        except OSError as exc:
            print(f"p2p: cannot write {output_path}: {exc.strerror or exc}", file=err)
            return 2
        with dst:
            chunk: list = []
            for raw in src:
                counts["lines"] += 1
                try:
                    item = parse_line(raw)
                except LineError as exc:
                    item = exc
                chunk.append((counts["lines"], item))
                if len(chunk) >= chunk_lines:
                    write_chunk(dst, chunk)
            write_chunk(dst, chunk)
    n_errors, n_lines = counts["errors"], counts["lines"]
    if n_errors:
        first = first_error[0]
        print(
            f"p2p: {n_errors} of {n_lines} lines refused; first: line {first['line']}: "
            f"{first['error']}",
            file=err,
        )
        return 1
    return 0

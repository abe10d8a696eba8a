"""File-to-file batch contract of ``jangkau plan mclp --input INSTANCE.json --output RESULT.json``.

Other tools rely on this contract exactly; ``docs/planning-optimisation.md`` documents it with an
example. The command-line wiring calls :func:`run_mclp` and exits with its return value.

Input (a JSON object)::

    {"weights": [w_0, ...],            # one non-negative number per demand point
     "covers": [[j, ...], ...],        # candidate indices covering each demand point
     "n_candidates": J,                # indices lie in 0..J-1
     "p": P}                           # at most P sites ...
    # ... or, instead of "p":  "costs": [c_0, ..., c_{J-1}], "budget": B
    # optional: "time_limit": seconds for the solver

Output (a JSON object, keys in this order)::

    {"objective": float, "chosen": [int, ...], "covered": [int, ...],
     "status": "optimal" | "time_limit" | ..., "gap": float | null, "seconds": float}

Exit codes: 0 when the result file was written (its ``status`` says whether the optimum was
proven), 2 when the input is unreadable or malformed (a message naming the key and index goes
to stderr), 1 when the solver failed or the output could not be written. On any non-zero exit
no output file is created and an existing one is left as it was: the result is written to a
temporary file in the same folder and renamed over the target only when complete.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from jangkau.cores.planning.mclp import solve_mclp

__all__ = ["EXIT_FAILURE", "EXIT_INVALID_INPUT", "EXIT_OK", "read_instance", "run_mclp"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID_INPUT = 2

REQUIRED_KEYS = ("weights", "covers", "n_candidates")
OPTIONAL_KEYS = ("p", "costs", "budget", "time_limit")
OUTPUT_KEYS = ("objective", "chosen", "covered", "status", "gap", "seconds")


class InstanceError(ValueError):
    """The input file cannot be turned into an MCLP instance."""


def read_instance(input_path: str | os.PathLike[str]) -> dict[str, object]:
    """Read and check the top level of an MCLP instance file.

    Parameters
    ----------
    input_path : str or path-like
        JSON file in the format of the module docstring.

    Returns
    -------
    dict
        Keyword arguments for :func:`jangkau.cores.planning.mclp.solve_mclp`.

    Raises
    ------
    InstanceError
        When the file cannot be read, is not valid JSON, is not an object, misses a required
        key or has an unknown one. Deeper checks (types, lengths, index ranges) are made by
        ``solve_mclp`` and raise ``ValueError`` naming the key and index.
    """
    try:
        text = Path(input_path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InstanceError(f"input: cannot read {input_path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InstanceError(f"input: {input_path} is not UTF-8 text: {exc.reason}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError(
            f"input: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    if not isinstance(data, dict):
        raise InstanceError(f"input: expected a JSON object, got {type(data).__name__}")
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise InstanceError(f"{missing[0]}: required key is missing")
    unknown = sorted(set(data) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        allowed = ", ".join(REQUIRED_KEYS + OPTIONAL_KEYS)
        raise InstanceError(f"{unknown[0]}: unknown key (allowed keys: {allowed})")
    if "p" not in data and "budget" not in data:
        raise InstanceError('p: required key is missing (or give "costs" and "budget")')
    if "budget" in data and "costs" not in data:
        raise InstanceError('costs: required key is missing (needed with "budget")')
    for key in ("weights", "covers") + (("costs",) if "costs" in data else ()):
        if not isinstance(data[key], list):
            raise InstanceError(f"{key}: expected a JSON array, got {_json_type(data[key])}")
    for i, row in enumerate(data["covers"]):
        if not isinstance(row, list):
            raise InstanceError(
                f"covers[{i}]: expected an array of candidate indices, got {_json_type(row)}"
            )
    return {key: data.get(key) for key in REQUIRED_KEYS + OPTIONAL_KEYS}


def _json_type(value: object) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def _write_atomically(output_path: Path, payload: dict[str, object]) -> None:
    text = json.dumps(payload, allow_nan=False, indent=None) + "\n"
    handle = tempfile.NamedTemporaryFile(
        "w",
        encoding="utf-8",
        dir=output_path.parent,
        prefix=f".{output_path.name}.",
        suffix=".tmp",
        delete=False,
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, output_path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def run_mclp(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    stderr: TextIO | None = None,
) -> int:
    """Solve the MCLP instance in ``input_path`` and write the result to ``output_path``.

    Parameters
    ----------
    input_path : str or path-like
        Instance file (JSON; format in the module docstring).
    output_path : str or path-like
        Result file to create or replace; its folder must exist.
    stderr : text stream, optional
        Where error messages go (default ``sys.stderr``).

    Returns
    -------
    int
        0 when the result was written, 2 for unreadable or malformed input, 1 when solving or
        writing failed. On a non-zero exit no output file is left behind.

    Examples
    --------
    A message such as ``error: covers[12][3]: candidate index 600 out of range 0..499`` is
    printed for an out-of-range index, and 2 is returned.
    """
    err = stderr if stderr is not None else sys.stderr
    target = Path(output_path)
    try:
        kwargs = read_instance(input_path)
        if not target.parent.is_dir():
            raise InstanceError(f"output: folder {target.parent} does not exist")
        result = solve_mclp(**kwargs)
    except (InstanceError, ValueError) as exc:
        err.write(f"error: {exc}\n")
        return EXIT_INVALID_INPUT
    except (RuntimeError, MemoryError) as exc:
        err.write(f"error: solver failed: {exc}\n")
        return EXIT_FAILURE
    payload = {
        "objective": result.objective,
        "chosen": result.chosen,
        "covered": result.covered,
        "status": result.status,
        "gap": result.gap,
        "seconds": result.seconds,
    }
    try:
        _write_atomically(target, payload)
    except (OSError, ValueError) as exc:
        err.write(f"error: output: cannot write {target}: {exc}\n")
        return EXIT_FAILURE
    return EXIT_OK

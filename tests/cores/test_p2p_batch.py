"""Tests of the ``jangkau coverage p2p`` batch contract (:func:`run_p2p`), without Django."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest

from jangkau.cores.propagation import run_p2p
from jangkau.cores.propagation.itm import CLIMATES, WARNING_TEXTS, itm_p2p
from tests.cores.itm_reference_profile import CRYSTAL_PALACE_MURSLEY, random_cases


def _record(z, **params):
    return {"elevations_m": [float(v) for v in z], **params}


def _good_records(count=12, seed=7):
    """Valid records of several profile lengths, with and without optional fields."""
    records = []
    for k, (z, p) in enumerate(random_cases(seed, count)):
        record = _record(
            z,
            step_m=p["step_m"],
            freq_mhz=p["freq_mhz"],
            tx_height_m=p["tx_height_m"],
            rx_height_m=p["rx_height_m"],
        )
        if k % 2:
            record.update(
                {
                    key: p[key]
                    for key in (
                        "polarization",
                        "climate",
                        "epsilon",
                        "sigma",
                        "ns",
                        "time_pct",
                        "location_pct",
                        "situation_pct",
                    )
                }
            )
        records.append(record)
    return records


def _expected(record):
    params = dict(record)
    z = params.pop("elevations_m")
    result = itm_p2p(np.array(z), **params)
    return {
        "loss_db": float(result.loss_db),
        "mode": result.mode_names().item(),
        "warnings": result.warning_texts().item(),
    }


def _run(tmp_path, lines, **kwargs):
    src = tmp_path / "profiles.jsonl"
    dst = tmp_path / "out.jsonl"
    if isinstance(lines, bytes):
        src.write_bytes(lines)
    else:
        src.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    err = io.StringIO()
    code = run_p2p(src, dst, stderr=err, **kwargs)
    text = dst.read_text(encoding="utf-8") if dst.exists() else None
    out = None if text is None else [json.loads(line) for line in text.splitlines()]
    return code, out, err.getvalue(), text


def test_good_file_matches_itm_p2p(tmp_path):
    records = _good_records()
    code, out, err, text = _run(tmp_path, [json.dumps(r) for r in records])
    assert code == 0 and err == ""
    assert len(out) == len(records)
    for got, record in zip(out, records, strict=True):
        assert set(got) == {"loss_db", "mode", "warnings"}
        assert got == _expected(record)
        assert got["mode"] in ("los", "diffraction", "scatter")
        assert got["warnings"] in WARNING_TEXTS
        assert got["warnings"][0] in "01234" and got["warnings"][1] == ":"
    assert text.endswith("\n") and "NaN" not in text


def test_order_preserved_across_chunks_and_lengths(tmp_path):
    records = _good_records(count=25, seed=11)
    lines = [json.dumps(r) for r in records]
    lines.insert(4, "{broken")
    lines.insert(17, "")
    code, out, err, _ = _run(tmp_path, lines, chunk_lines=3)
    assert code == 1
    assert len(out) == len(lines)
    good = iter(records)
    for number, (line, got) in enumerate(zip(lines, out, strict=True), start=1):
        if line in ("{broken", ""):
            assert got["line"] == number and "error" in got
        else:
            assert got == _expected(next(good))
    # Same output whatever the chunk size.
    _, out_big, _, _ = _run(tmp_path, lines, chunk_lines=1000)
    assert out_big == out


def test_chunk_lines_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="chunk_lines"):
        _run(tmp_path, ["{}"], chunk_lines=0)


GOOD = {
    "elevations_m": [100.0, 120.0, 90.0, 80.0, 85.0, 70.0, 60.0],
    "step_m": 1000.0,
    "freq_mhz": 900.0,
    "tx_height_m": 30.0,
    "rx_height_m": 2.0,
}


def _with(**change):
    record = {**GOOD, **change}
    return json.dumps({k: v for k, v in record.items() if v is not _DROP})


_DROP = object()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "blank line"),
        ("   ", "blank line"),
        ("{not json", "invalid JSON"),
        ('{"elevations_m": [1, 2, 3],', "invalid JSON"),
        ("[1, 2, 3]", "expected a JSON object, got array"),
        ('"text"', "expected a JSON object, got string"),
        ("null", "expected a JSON object, got null"),
        (_with(step_m=_DROP), "missing field 'step_m'"),
        (_with(elevations_m=_DROP), "missing field 'elevations_m'"),
        (_with(freq_mhz=_DROP), "missing field 'freq_mhz'"),
        (_with(tx_height_m=_DROP), "missing field 'tx_height_m'"),
        (_with(rx_height_m=_DROP), "missing field 'rx_height_m'"),
        (_with(step_m="1000"), "field 'step_m' must be a number, got string"),
        (_with(freq_mhz=True), "field 'freq_mhz' must be a number, got boolean"),
        (_with(tx_height_m=None), "field 'tx_height_m' must be a number, got null"),
        (_with(time_pct=[50]), "field 'time_pct' must be a number, got array"),
        (
            _with(elevations_m="1 2 3"),
            "field 'elevations_m' must be an array of numbers, got string",
        ),
        (
            _with(elevations_m=[1, "2", 3]),
            "field 'elevations_m' must be an array of numbers, found a string",
        ),
        (_with(elevations_m=[1, True, 3]), "found a boolean"),
        (_with(elevations_m=[100.0, 90.0]), "field 'elevations_m' has too few points: 2"),
        (_with(elevations_m=[]), "too few points: 0"),
        (_with(freq_mhz=5), "field 'freq_mhz' is out of range: .*20-20000 MHz, got 5$"),
        (_with(freq_mhz=25000.0), "field 'freq_mhz' is out of range"),
        (_with(step_m=0), "field 'step_m' is out of range: .*> 0"),
        (_with(step_m=-30.0), "field 'step_m' is out of range"),
        (_with(tx_height_m=0.1), "field 'tx_height_m' is out of range: .*0.5-3000 m"),
        (_with(rx_height_m=5000), "field 'rx_height_m' is out of range"),
        (_with(epsilon=0.5), "field 'epsilon' is out of range: .*permittivity"),
        (_with(sigma=0), "field 'sigma' is out of range: .*conductivity"),
        (_with(ns=100), "field 'ns' is out of range: .*250-400"),
        (_with(time_pct=0), "field 'time_pct' is out of range: .*0.1-99.9"),
        (_with(location_pct=100), "field 'location_pct' is out of range"),
        (_with(situation_pct=-5), "field 'situation_pct' is out of range"),
        (_with(climate="tropical"), "field 'climate' has unknown value 'tropical'"),
        (_with(climate=5), "field 'climate' must be a string, got number"),
        (_with(polarization="circular"), "field 'polarization' has unknown value 'circular'"),
        (_with(polarization="Vertical"), "field 'polarization' has unknown value 'Vertical'"),
        (_with(time_percent=90), "unknown field 'time_percent'"),
        (_with(id="site-1"), "unknown field 'id'"),
        (
            '{"elevations_m": [1, NaN, 3], "step_m": 1, "freq_mhz": 900, "tx_height_m": 1, '
            '"rx_height_m": 1}',
            "invalid JSON: NaN is not a JSON number",
        ),
        (
            '{"elevations_m": [1, 2, 3], "step_m": Infinity, "freq_mhz": 900, '
            '"tx_height_m": 1, "rx_height_m": 1}',
            "invalid JSON: Infinity is not a JSON number",
        ),
        (
            '{"elevations_m": [1, 2, 1e400], "step_m": 1, "freq_mhz": 900, "tx_height_m": 1, '
            '"rx_height_m": 1}',
            "field 'elevations_m' must hold finite numbers",
        ),
        (
            '{"elevations_m": [1, 2, 3], "step_m": 1e999, "freq_mhz": 900, "tx_height_m": 1, '
            '"rx_height_m": 1}',
            "field 'step_m' is out of range: must be a finite number",
        ),
    ],
)
def test_each_kind_of_bad_line(tmp_path, line, message):
    lines = [json.dumps(GOOD), line, json.dumps(GOOD)]
    code, out, err, _ = _run(tmp_path, lines)
    assert code == 1
    assert len(out) == 3
    assert out[0] == out[2] == _expected(GOOD)
    assert set(out[1]) == {"line", "error"}
    assert out[1]["line"] == 2
    assert re.search(message, out[1]["error"]), out[1]["error"]
    assert "1 of 3 lines refused" in err and "line 2" in err


def test_invalid_utf8_is_a_bad_line(tmp_path):
    data = json.dumps(GOOD).encode() + b"\n" + b'{"x": "\xff\xfe"}\n'
    code, out, _, _ = _run(tmp_path, data)
    assert code == 1
    assert out[1] == {"line": 2, "error": "line is not valid UTF-8 (byte 7)"}


def test_line_endings_and_final_newline(tmp_path):
    good = json.dumps(GOOD).encode()
    # CRLF and a last line without newline are fine.
    code, out, _, _ = _run(tmp_path, good + b"\r\n" + good)
    assert code == 0 and len(out) == 2
    # A trailing newline does not make a blank line; an empty line before it does.
    code, out, _, _ = _run(tmp_path, good + b"\n")
    assert code == 0 and len(out) == 1
    code, out, _, _ = _run(tmp_path, good + b"\n\n")
    assert code == 1 and out[1]["line"] == 2 and "blank line" in out[1]["error"]


def test_all_optional_values_accepted(tmp_path):
    lines = [_with(climate=c, polarization=p) for c in CLIMATES for p in ("vertical", "horizontal")]
    code, out, err, _ = _run(tmp_path, lines)
    assert code == 0 and err == ""
    assert len({o["loss_db"] for o in out}) == len(lines)


def test_defaults_are_the_documented_ones(tmp_path):
    explicit = {
        **GOOD,
        "polarization": "vertical",
        "climate": "equatorial",
        "epsilon": 15,
        "sigma": 0.005,
        "ns": 360,
        "time_pct": 50,
        "location_pct": 50,
        "situation_pct": 50,
    }
    _, out, _, _ = _run(tmp_path, [json.dumps(GOOD), json.dumps(explicit)])
    assert out[0] == out[1]


def test_published_profile_through_the_batch(tmp_path):
    record = _record(
        CRYSTAL_PALACE_MURSLEY,
        step_m=77.8e3 / 156,
        freq_mhz=41.5,
        tx_height_m=143.9,
        rx_height_m=8.5,
        polarization="horizontal",
        climate="continental_temperate",
        ns=314,
        time_pct=50,
        situation_pct=50,
    )
    code, out, _, _ = _run(tmp_path, [json.dumps(record)])
    assert code == 0
    assert out[0]["loss_db"] == pytest.approx(135.8, abs=0.05)


def test_empty_input_gives_empty_output(tmp_path):
    code, out, err, text = _run(tmp_path, b"")
    assert code == 0 and out == [] and text == "" and err == ""


def test_missing_input_file(tmp_path):
    err = io.StringIO()
    dst = tmp_path / "out.jsonl"
    code = run_p2p(tmp_path / "nope.jsonl", dst, stderr=err)
    assert code == 2
    assert "cannot read" in err.getvalue()
    assert not dst.exists()


def test_unwritable_output(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(GOOD) + "\n")
    err = io.StringIO()
    code = run_p2p(src, tmp_path / "missing-dir" / "out.jsonl", stderr=err)
    assert code == 2
    assert "cannot write" in err.getvalue()


def test_non_finite_itm_result_is_an_error_line(tmp_path):
    """ITM's formulas break down for some extreme inputs; never write a silent number."""
    record = {
        "elevations_m": [1104.6, 1372.7, 1051.4, 1701.2, 2795.5, 2400.0, 2100.0, 1800.0],
        "step_m": 113.92,
        "freq_mhz": 25.486,
        "tx_height_m": 338.15,
        "rx_height_m": 3.94,
        "polarization": "vertical",
        "epsilon": 3.27,
        "sigma": 1.53,
        "ns": 342.3,
    }
    direct = itm_p2p(
        np.array(record["elevations_m"]), **{k: v for k, v in record.items() if k != "elevations_m"}
    )
    if np.isfinite(direct.loss_db):
        pytest.skip("finite for this build; nothing to check")
    code, out, _, _ = _run(tmp_path, [json.dumps(record)])
    assert code == 1
    assert out[0]["line"] == 1 and "no finite loss" in out[0]["error"]

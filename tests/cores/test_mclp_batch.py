"""Tests of the ``jangkau plan mclp`` batch contract (:func:`run_mclp`)."""

from __future__ import annotations

import io
import json

import pytest

from jangkau.cores.planning.mclp_batch import (
    EXIT_INVALID_INPUT,
    EXIT_OK,
    OUTPUT_KEYS,
    run_mclp,
)

HAND_CHECKED = {"weights": [5, 3, 6], "covers": [[0], [0, 1], [1]], "n_candidates": 2, "p": 1}


def run(tmp_path, instance, raw: str | None = None):
    source = tmp_path / "instance.json"
    source.write_text(raw if raw is not None else json.dumps(instance), encoding="utf-8")
    target = tmp_path / "result.json"
    err = io.StringIO()
    code = run_mclp(source, target, stderr=err)
    return code, target, err.getvalue()


def test_count_form_writes_the_contract(tmp_path):
    code, target, err = run(tmp_path, HAND_CHECKED)
    assert code == EXIT_OK and err == ""
    result = json.loads(target.read_text())
    assert list(result) == list(OUTPUT_KEYS)
    assert result["objective"] == 9.0
    assert result["chosen"] == [1]
    assert result["covered"] == [1, 2]
    assert result["status"] == "optimal"
    assert result["gap"] == 0.0
    assert isinstance(result["seconds"], float) and result["seconds"] >= 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["instance.json", "result.json"]


def test_budget_form_writes_the_contract(tmp_path):
    # Site 0 (cost 4) covers 10 + 1, site 1 (cost 3) covers 1 + 8, site 2 (cost 2) covers 8.
    instance = {
        "weights": [10, 1, 8],
        "covers": [[0], [0, 1], [1, 2]],
        "n_candidates": 3,
        "costs": [4, 3, 2],
        "budget": 6,
    }
    code, target, _ = run(tmp_path, instance)
    assert code == EXIT_OK
    result = json.loads(target.read_text())
    assert (result["objective"], result["chosen"], result["covered"]) == (19.0, [0, 2], [0, 1, 2])


def test_optional_time_limit_is_accepted(tmp_path):
    code, target, _ = run(tmp_path, {**HAND_CHECKED, "time_limit": 30})
    assert code == EXIT_OK
    assert json.loads(target.read_text())["chosen"] == [1]


def test_existing_output_is_replaced_whole(tmp_path):
    (tmp_path / "result.json").write_text("old")
    code, target, _ = run(tmp_path, HAND_CHECKED)
    assert code == EXIT_OK
    assert json.loads(target.read_text())["objective"] == 9.0


def test_stderr_defaults_to_sys_stderr(tmp_path, capsys):
    source = tmp_path / "instance.json"
    source.write_text("{")
    assert run_mclp(source, tmp_path / "out.json") == EXIT_INVALID_INPUT
    assert "error: input: invalid JSON" in capsys.readouterr().err


BAD_COVERS = [[0]] * 12 + [[0, 1, 2, 600]]
BASE = {"weights": [1] * 13, "covers": [[0]] * 13, "n_candidates": 500, "p": 2}
NO_P = {key: value for key, value in BASE.items() if key != "p"}


@pytest.mark.parametrize(
    ("instance", "raw", "message"),
    [
        (None, '{"weights": [1], ', "input: invalid JSON at line 1"),
        (None, "[1, 2]", "input: expected a JSON object, got list"),
        (None, '"text"', "input: expected a JSON object, got str"),
        ({"covers": [[0]], "n_candidates": 1, "p": 1}, None, "weights: required key is missing"),
        ({"weights": [1], "n_candidates": 1, "p": 1}, None, "covers: required key is missing"),
        ({"weights": [1], "covers": [[0]], "p": 1}, None, "n_candidates: required key"),
        ({"weights": [1], "covers": [[0]], "n_candidates": 1}, None, "p: required key"),
        ({**BASE, "budjet": 3}, None, "budjet: unknown key"),
        ({**NO_P, "budget": 3}, None, "costs: required key is missing"),
        ({**BASE, "weights": {"a": 1}}, None, "weights: expected a JSON array, got an object"),
        ({**BASE, "covers": "0,1"}, None, "covers: expected a JSON array, got a string"),
        ({**BASE, "covers": [[0]] * 12 + [3]}, None, "covers[12]: expected an array"),
        (
            {**BASE, "covers": BAD_COVERS},
            None,
            "covers[12][3]: candidate index 600 out of range 0..499",
        ),
        ({**BASE, "covers": [[0]] * 12 + [[0, 1.5]]}, None, "covers[12][1]: candidate index"),
        (
            {**BASE, "covers": [[0]] * 12 + [[0, 10**40]]},
            None,
            f"covers[12][1]: candidate index {10**40} out of range 0..499",
        ),
        ({**BASE, "covers": [[0]] * 12 + [["7"]]}, None, "covers[12][0]: candidate index"),
        ({**BASE, "covers": [[0]] * 12}, None, "covers: has 12 cover sets but weights has 13"),
        ({**BASE, "weights": [1] * 12 + ["x"]}, None, "weights[12]: expected a number"),
        ({**BASE, "weights": [1] * 12 + [True]}, None, "weights[12]: expected a number"),
        ({**BASE, "weights": [1] * 12 + [-4]}, None, "weights[12]: must not be negative"),
        (
            None,
            '{"weights": [NaN], "covers": [[0]], "n_candidates": 1, "p": 1}',
            "weights[0]: must be a finite number",
        ),
        ({**BASE, "n_candidates": "500"}, None, "n_candidates: must be a non-negative integer"),
        ({**BASE, "p": 501}, None, "p: must be between 0 and n_candidates=500, got 501"),
        ({**BASE, "p": -1}, None, "p: must be between 0 and"),
        ({**BASE, "p": 2.0}, None, "p: must be an integer"),
        ({**BASE, "costs": [1] * 500, "budget": 4}, None, "not both"),
        ({**NO_P, "costs": [1] * 499, "budget": 4}, None, "costs: has 499 entries"),
        ({**NO_P, "costs": [1] * 500, "budget": -4}, None, "budget: must be"),
        ({**NO_P, "costs": [1] * 500, "budget": "4"}, None, "budget: must be a number"),
        ({**BASE, "time_limit": -1}, None, "time_limit: must be positive"),
    ],
)
def test_malformed_input_is_named_and_writes_nothing(tmp_path, instance, raw, message):
    code, target, err = run(tmp_path, instance, raw)
    assert code == EXIT_INVALID_INPUT
    assert err.startswith("error: ")
    assert message in err
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["instance.json"]


def test_failure_leaves_an_existing_output_untouched(tmp_path):
    (tmp_path / "result.json").write_text("previous")
    code, target, _ = run(tmp_path, {**BASE, "covers": BAD_COVERS})
    assert code == EXIT_INVALID_INPUT
    assert target.read_text() == "previous"


def test_missing_input_file_is_reported(tmp_path):
    err = io.StringIO()
    code = run_mclp(tmp_path / "nope.json", tmp_path / "out.json", stderr=err)
    assert code == EXIT_INVALID_INPUT
    assert "input: cannot read" in err.getvalue() and "nope.json" in err.getvalue()
    assert not (tmp_path / "out.json").exists()


def test_missing_output_folder_is_reported(tmp_path):
    source = tmp_path / "instance.json"
    source.write_text(json.dumps(HAND_CHECKED))
    err = io.StringIO()
    code = run_mclp(source, tmp_path / "no" / "out.json", stderr=err)
    assert code == EXIT_INVALID_INPUT
    assert "output: folder" in err.getvalue()

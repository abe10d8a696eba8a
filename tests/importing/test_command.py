"""``jangkau import KIND FILE``: a summary, or every problem and a non-zero exit."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.importing.files import SAMARINDA, snapshot, speedtest_row, write_dicts

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_a_summary_and_a_reimport_changes_nothing(kutim, tmp_path):
    path = write_dicts(tmp_path / "tests.csv", [speedtest_row(test_id=str(i)) for i in range(3)])
    out, _err = run("speedtests", str(path))
    assert "3 row(s): 3 created, 0 updated, 0 unchanged" in out
    out, _err = run("speedtests", str(path))
    assert "3 row(s): 0 created, 0 updated, 3 unchanged" in out


def test_a_rejected_file_prints_every_problem_and_fails(kutim, tmp_path):
    before = snapshot()
    rows = [speedtest_row(test_id="1", lat=SAMARINDA[0], lon=SAMARINDA[1]),
            speedtest_row(test_id="2", operator="tri")]  # fmt: skip
    path = write_dicts(tmp_path / "bad.csv", rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="bad.csv: rejected, nothing was changed \\(2 problem"):
        call_command("import", "speedtests", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("bad.csv: row 1, field 'lat/lon': coordinates")
    assert lines[1].startswith("bad.csv: row 2, field 'operator': 'tri' is not one of")
    assert snapshot() == before


def test_check_only_writes_nothing(kutim, tmp_path):
    before = snapshot()
    path = write_dicts(tmp_path / "tests.csv", [speedtest_row()])
    out, _err = run("speedtests", str(path), "--check")
    assert "1 row(s) are fine; nothing written" in out
    assert snapshot() == before


def test_values_for_missing_columns_and_the_period(kutim, tmp_path):
    from jangkau.measurements.models import SpeedTest

    row = speedtest_row()
    del row["tool"]
    path = write_dicts(tmp_path / "notool.csv", [row])
    run("speedtests", str(path), "--set", "tool=opensignal")
    assert SpeedTest.objects.get().tool == "opensignal"
    with pytest.raises(CommandError, match="--set expects NAME=VALUE"):
        run("speedtests", str(path), "--set", "opensignal")
    err = io.StringIO()
    with pytest.raises(CommandError, match="rejected"):
        call_command(
            "import", "speedtests", str(path), "--set", "tool=nperf", "--period", "2024-10-01",
            stderr=err,
        )  # fmt: skip
    assert "field 'period': 'period' is not a column of this kind" in err.getvalue()


def test_list_template_and_unknown_kind(kutim):
    out, _err = run("--list")
    for kind in ("speedtests", "signals", "surveys", "ookla", "mlab"):
        assert kind in out
    out, _err = run("surveys", "--template")
    assert out.startswith("village_code,survey_kind,survey_date,")
    with pytest.raises(CommandError, match="unknown import kind 'towers'"):
        run("towers", "x.csv")


def test_the_console_script_exits_non_zero_on_rejection(tmp_path):
    """Through the real ``jangkau`` entry point; the header alone rejects the file (a fresh
    data directory: no database is needed for that)."""
    path = tmp_path / "signals.csv"
    path.write_text("measured_at,rsrp_dbm\n2025-01-01T00:00:00,-100\n")
    env = {"JANGKAU_DATA_DIR": str(tmp_path), "JANGKAU_DEBUG": "1", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "jangkau.cli", "import", "speedtests", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode != 0
    assert "field 'download_mbps': missing column 'download_mbps'" in proc.stderr
    assert "signals.csv: rejected, nothing was changed" in proc.stderr

"""The console script and the project's housekeeping checks."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import call_command


def test_jangkau_help_lists_the_commands(capsys):
    from jangkau.cli import COMMANDS, main

    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out


def test_the_console_script_runs_without_a_configured_environment(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "jangkau.cli", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0 and "regions" in result.stdout


@pytest.mark.django_db
def test_no_migration_is_missing():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_settings_refuse_to_start_without_a_secret_outside_debug(tmp_path):
    code = "import jangkau.settings"
    env = {"PATH": "/usr/bin:/bin", "JANGKAU_DEBUG": "0", "JANGKAU_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "JANGKAU_SECRET_KEY" in result.stderr

"""`make demo` keeps the installer quiet, so the logins and the address are what a newcomer sees last
(issue 17 §4.11): a dry run shows every install step sends pip's output to a log."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_pip_install_of_make_demo_writes_to_the_install_log():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    plan = subprocess.run(["make", "-n", "-B", "demo", "VENV=/nonexistent-venv"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout
    installs = [line for line in plan.splitlines() if "pip install" in line]
    assert installs, plan
    for line in installs:
        assert "--quiet" in line and ">" in line and "install.log" in line, line

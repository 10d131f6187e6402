"""Issue 15 §6: the data folder, database, job store and exports are created 0700 / 0600."""

from __future__ import annotations

import stat
import subprocess
import sys

import pytest

pytestmark = pytest.mark.live


def test_a_new_data_folder_and_its_files_are_the_owners_alone(tmp_path):
    data = tmp_path / "data"
    env = {"KESU_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"}
    import os

    env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-m", "kesu", "migrate"], env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    export = tmp_path / "out.csv"
    subprocess.run([sys.executable, "-m", "kesu", "export", "complaints", str(export)], env=env, check=True,
                   capture_output=True, timeout=120)

    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for file in [*data.rglob("*.sqlite3*"), export]:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file

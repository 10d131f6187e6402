"""The distributed mode's flags (issue 16): `kesu serve --workers N` needs PostgreSQL and runs
threaded gunicorn workers. The whole mode (and `kesu worker --no-periodic`) runs for real in
tests/distributed (make test-distributed)."""

from __future__ import annotations

import pytest
from django.db import connection

from kesu.cli import main
from kesu.config.gunicorn import gunicorn_options

pytestmark = pytest.mark.django_db


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the refusal is for SQLite")
def test_serve_with_workers_is_refused_on_sqlite_with_one_line(capsys):
    assert connection.vendor == "sqlite"
    assert main(["serve", "--workers", "2", "--no-worker"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--workers needs PostgreSQL" in err


def test_gunicorn_runs_n_threaded_workers_preloaded():
    options = gunicorn_options(host="127.0.0.1", port=8000, workers=3, threads=4)
    assert (options["bind"], options["workers"], options["threads"], options["worker_class"], options["preload_app"]) \
        == ("127.0.0.1:8000", 3, 4, "gthread", True)

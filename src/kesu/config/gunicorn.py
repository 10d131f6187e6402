"""``kesu serve --workers N``: gunicorn with N worker processes (the distributed mode, ADR 0015).

gunicorn is an optional dependency (``pip install "kesu[distributed]"``); waitress stays the
embedded server of one process. The application is loaded once in the arbiter (``preload``: the
triage model and jieba are warmed before forking, their pages shared), and every worker closes the
inherited database connections first, so no two processes share a socket.
"""

from __future__ import annotations

from typing import Any


def gunicorn_options(*, host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": max(threads, 1),
        "worker_class": "gthread",
        "preload_app": True,
        "timeout": 60,
        "graceful_timeout": 20,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "post_fork": _post_fork,
    }


def _post_fork(_server, _worker) -> None:
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()


def gunicorn_run(application, *, host: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(host=host, port=port, workers=workers, threads=threads)

    class KesuGunicorn(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    KesuGunicorn().run()

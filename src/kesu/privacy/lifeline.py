"""The job consumer dies with the ``kesu serve`` that started it (issue 15, defect 5).

``kesu serve`` starts ``kesu worker`` as a child and names itself in ``KESU_PARENT_PID``. Killed with
``kill -9`` the server cannot stop its child, which used to run on as an orphan; a restarted server
then started a second consumer and every periodic job ran twice a minute. Now the worker:

- asks Linux to send it SIGTERM when its parent dies (``prctl(PR_SET_PDEATHSIG)``), and
- watches its parent id once a second (any POSIX system, and the moment between start and prctl):
  when the parent is gone it sends itself SIGTERM, so Huey stops the way Ctrl+C stops it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import sys
import threading

log = logging.getLogger(__name__)

PARENT_ENV = "KESU_PARENT_PID"
PR_SET_PDEATHSIG = 1
WATCH_EVERY = 1.0


def _death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except OSError:  # no libc to ask: the watch below still stops the worker
        log.debug("prctl(PR_SET_PDEATHSIG) not available")


def _parent_gone(parent: int) -> bool:
    return os.getppid() != parent


def parent_lifeline(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Tie this process to the parent named in ``KESU_PARENT_PID`` (nothing when unset: a worker
    started by hand or by a service manager lives on its own). Returns whether a lifeline is set."""
    raw = environ.get(PARENT_ENV, "")
    if not raw.isdigit():
        return False
    parent = int(raw)
    _death_signal()
    if _parent_gone(parent):  # died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)

    def watch() -> None:
        stop = threading.Event()
        while not stop.wait(WATCH_EVERY):
            if _parent_gone(parent):
                log.warning("kesu serve (pid %s) is gone; the job consumer stops", parent)
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch, name="parent-lifeline", daemon=True).start()
    return True

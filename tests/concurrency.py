"""Running work in real concurrent threads (each with its own database connection), for the tests
that prove a lock or a constraint holds: PostgreSQL only, since SQLite serialises writers."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent writers (PostgreSQL)"
)


def together(workers: list[Callable[[], object]], *, timeout: float = 120) -> tuple[list, list[BaseException]]:
    """Run ``workers`` in threads released at once; return their results (in order; None for one that
    raised) and what any of them raised. Fails when a thread hangs (a deadlock)."""
    barrier = threading.Barrier(len(workers))
    results: list = [None] * len(workers)
    raised: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = workers[i]()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            raised.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results, raised


def at_once(*calls: Callable[[], object]) -> list:
    """Run ``calls`` in threads released together and return their results in order; none may raise."""
    results, raised = together(list(calls))
    assert not raised, raised
    return results

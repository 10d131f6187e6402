"""SQLite writers of one process take turns on a lock instead of SQLite's sleeping busy handler."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from kesu.complaints.models import Complaint
from kesu.config.sqlite.base import _writer_lock
from tests.factories import make_complaint

pytestmark = [
    # serialized_rollback: its flush must not re-create the content types under new ids, or a later
    # serialized test cannot restore the migrated rows
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend only"),
]


def test_threads_writing_at_once_all_succeed_with_unique_numbers():
    errors: list[Exception] = []

    def intake(worker: int) -> None:
        try:
            for i in range(10):
                make_complaint(content=f"第{worker}号线程的第{i}条投诉")
        except Exception as error:  # collected, asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=intake, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    numbers = list(Complaint.objects.values_list("number", flat=True))
    assert len(numbers) == 40 == len(set(numbers))


def test_the_lock_is_free_again_after_a_rollback_and_a_commit():
    lock = _writer_lock(connection.settings_dict["NAME"])
    with pytest.raises(RuntimeError), transaction.atomic():
        make_complaint()
        assert not lock.acquire(blocking=False)  # held while the transaction is open
        raise RuntimeError("undo")
    assert lock.acquire(blocking=False)
    lock.release()

    make_complaint()
    assert lock.acquire(blocking=False)
    lock.release()
    assert Complaint.objects.count() == 1

"""Concurrent submissions from one address on PostgreSQL: the hourly limit holds even when they all
arrive at once, before any of them has committed."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from kesu.complaints.models import Complaint
from kesu.portal.actions import PortalComplaint, RateLimited, portal_complaint_submit
from kesu.portal.models import PortalSubmission
from tests.concurrency import postgresql_only
from tests.factories import T0

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_burst_from_one_address_gets_no_more_than_the_limit(settings):
    settings.KESU_PORTAL_MAX_PER_HOUR = 2
    workers = 6
    barrier = threading.Barrier(workers)
    refused: list[RateLimited] = []
    raised: list[BaseException] = []

    def submit(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            portal_complaint_submit(
                form=PortalComplaint(content=f"投诉 {n}", phone=f"1380013800{n}"), upload=None,
                address="203.0.113.9", now=T0,
            )
        except RateLimited as error:
            refused.append(error)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            raised.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    assert raised == []
    assert Complaint.objects.count() == 2
    assert PortalSubmission.objects.count() == 2
    assert len(refused) == workers - 2

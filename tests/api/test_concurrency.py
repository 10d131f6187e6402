"""Real concurrent requests (PostgreSQL): one complaint per idempotency key, one winner per transition."""

from __future__ import annotations

import pytest

from kesu.complaints.models import Complaint, EventKind, IdempotencyKey, Status
from kesu.core.roles import Role
from tests.api.builders import client_for, complaint_in, post_json
from tests.concurrency import at_once, postgresql_only
from tests.factories import make_group, make_user

BODY = {
    "channel": "api",
    "content": "重复提交的同一投诉",
    "customer": {"name": "并发", "phone": "13900139000"},
}




@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_duplicates_with_one_key_make_one_complaint():
    # given one user whose integration fires the same request twice at once, several times over
    user = make_user(Role.HANDLER, "integration")
    clients = [client_for(user), client_for(user)]

    for round_ in range(5):
        key = f"order-{round_}"
        responses = at_once(
            *(
                lambda client=client, key=key: post_json(
                    client, "/api/v1/complaints", BODY, **{"Idempotency-Key": key}
                )
                for client in clients
            )
        )

        # then one was created, the other got the same complaint back
        assert sorted(r.status_code for r in responses) == [200, 201], [r.content for r in responses]
        assert len({r.json()["id"] for r in responses}) == 1
        assert IdempotencyKey.objects.filter(key=key).count() == 1

    assert Complaint.objects.count() == 5
    numbers = sorted(Complaint.objects.values_list("number", flat=True))
    assert numbers == [f"KS-2026-{n:06d}" for n in range(1, 6)]


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_handlers_starting_the_same_complaint_at_once_one_wins():
    # given an assigned complaint and two handlers who both press "start"
    # (colleagues of one group: a handler of another group may not act on it at all, issue 15)
    desk = make_group("race-desk")
    first = make_user(Role.HANDLER, "h-first", groups=[desk])
    second = make_user(Role.HANDLER, "h-second", groups=[desk])
    complaint = complaint_in(Status.ASSIGNED, handler=first, group=desk.code)
    url = f"/api/v1/complaints/{complaint.pk}/transitions"
    clients = [client_for(first), client_for(second)]

    # when both requests arrive together
    responses = at_once(
        *(lambda client=client: post_json(client, url, {"action": "start"}) for client in clients)
    )

    # then the row lock lets one through; the other sees the new status and gets 409
    assert sorted(r.status_code for r in responses) == [200, 409], [r.content for r in responses]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["current_status"] == Status.IN_PROGRESS
    assert complaint.events.filter(kind=EventKind.STARTED).count() == 1

"""Querysets compiled once (``kesu.core.prepared``): the same answers as the ORM, with new values."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.db.transaction import TransactionManagementError

from kesu.core.models import ApiToken, User, token_digest
from kesu.core.prepared import PreparedQuery
from kesu.core.roles import Role
from kesu.core.selectors import token_lookup
from tests.factories import make_token, make_user

pytestmark = pytest.mark.django_db

BY_NAME = PreparedQuery(lambda username: User.objects.filter(username=username).order_by("pk")[:1], username=str)
BY_IDS = PreparedQuery(lambda ids: User.objects.filter(pk__in=ids).order_by("pk"), ids=list[int])
ROLES = PreparedQuery(
    lambda floor: User.objects.filter(pk__gte=floor).values_list("role").annotate(n=Count("id")).order_by("role"),
    floor=int,
)


def test_each_call_runs_with_its_own_values_and_answers_as_the_orm():
    # given three users
    users = [make_user(Role.HANDLER, username=f"h{i}") for i in range(3)]
    # when the same prepared query runs with each name, then each finds its own user
    for user in users:
        found = BY_NAME.first(username=user.username)
        assert found == user and found.role == Role.HANDLER
    assert BY_NAME.first(username="nobody") is None
    # lists of different lengths are compiled once per length
    ids = [u.pk for u in users]
    assert BY_IDS.all(ids=ids[:2]) == list(User.objects.filter(pk__in=ids[:2]).order_by("pk"))
    assert BY_IDS.all(ids=ids) == users
    assert BY_IDS.all(ids=[ids[2]]) == [users[2]]
    # rows: values and aggregates, as the ORM gives them
    assert ROLES.rows(floor=ids[1]) == [tuple(r) for r in User.objects.filter(pk__gte=ids[1])
                                        .values_list("role").annotate(n=Count("id")).order_by("role")]


def test_the_token_lookup_finds_a_live_token_and_not_a_revoked_one():
    # given two tokens of one user
    user = make_user(Role.HANDLER)
    first, second = make_token(user), make_token(user)
    # then each raw value finds its own token, with its user loaded
    token = token_lookup(second)
    assert token.digest == token_digest(second) and token.user == user
    assert token_lookup(first).digest == token_digest(first)
    # when one is revoked, then it is not found any more; the other still is
    ApiToken.objects.filter(digest=token_digest(first)).update(revoked_at=token.created_at)
    assert token_lookup(first) is None
    assert token_lookup(second) is not None


def test_a_parameter_the_sql_does_not_carry_is_refused():
    # the value is turned into something else before it reaches the SQL (a prefix pattern)
    query = PreparedQuery(lambda name: User.objects.filter(username__startswith=name), name=str)
    with pytest.raises(ValueError, match="found 0 times"):
        query.all(name="h")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_locking_query_needs_a_transaction():
    locking = PreparedQuery(lambda pk: User.objects.select_for_update().filter(pk=pk), pk=int)
    user = make_user(Role.HANDLER)
    with pytest.raises(TransactionManagementError):
        locking.all(pk=user.pk)
    with transaction.atomic():
        assert locking.all(pk=user.pk) == [user]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_thread_runs_on_its_own_connection():
    # given the query compiled in this thread
    user = make_user(Role.HANDLER)
    assert BY_NAME.first(username=user.username) == user
    seen = {}

    def other():
        from django.db import connections

        seen["user"] = BY_NAME.first(username=user.username)
        seen["connection"] = id(connections["default"])
        connections.close_all()

    # when another thread runs it
    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    # then it found the user through its own connection, not this thread's
    assert seen["user"] == user
    assert seen["connection"] != id(connection)

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from kesu.core.roles import Role
from tests.api.builders import client_for
from tests.factories import T0, make_group, make_user

NOW = T0 + timedelta(days=1)  # the API's clock in these tests: Tuesday 09:00 in Shanghai


@pytest.fixture(autouse=True)
def _api_clock():
    """The API reads the clock at the edge; hold it still so event times can be asserted."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def other_group(db):
    return make_group("back-office", layer="second_line")


@pytest.fixture
def handler2(db, group):
    return make_user(Role.HANDLER, "handler2", groups=[group])


@pytest.fixture
def handler_client(handler):
    return client_for(handler)


@pytest.fixture
def manager_client(manager):
    return client_for(manager)


@pytest.fixture
def analyst_client(analyst):
    return client_for(analyst)


@pytest.fixture
def decision_client(db):
    return client_for(make_user(Role.DECISION, "director1"))

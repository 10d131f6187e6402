from __future__ import annotations

import pytest

from kesu.core.roles import Role
from tests.factories import make_user


@pytest.fixture
def specialist(db, group):
    return make_user(Role.SPECIALIST, "specialist1", groups=[group])

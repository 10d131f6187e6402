from __future__ import annotations

import pytest


@pytest.fixture
def handler_client(client, handler):
    client.force_login(handler)
    return client

from __future__ import annotations

import pytest


@pytest.fixture
def handler_client(client, handler):
    client.force_login(handler)
    return client


@pytest.fixture
def in_english(handler_client):
    """The handler's client with the UI in English (for messages whose Chinese is merged later)."""
    handler_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return handler_client

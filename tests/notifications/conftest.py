from __future__ import annotations

import pytest

from kesu.core.roles import Role
from kesu.notifications.actions import contact_point_set
from tests.factories import T0, make_user
from tests.notifications.servers import SmtpServer, WebhookServer, free_port

SECRET = "webhook-secret-for-tests"


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "kesu@centre.example"


def use_sms(settings, url: str) -> None:
    settings.KESU_SMS_WEBHOOK_URL = url
    settings.KESU_SMS_WEBHOOK_SECRET = SECRET


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that Django's email backend sends to."""
    with SmtpServer() as server:
        use_smtp(settings, server.port)
        yield server


@pytest.fixture
def sms(settings):
    """A real HTTP server on loopback standing in for the SMS gateway."""
    with WebhookServer() as server:
        use_sms(settings, server.url)
        yield server


@pytest.fixture
def dead_port() -> int:
    return free_port()


@pytest.fixture
def lead(db):
    """A team lead with an email address and a mobile number."""
    user = make_user(Role.MANAGER, "lead1", email="lead1@centre.example", display_name="王组长")
    contact_point_set(user=user, phone="13800000001", now=T0)
    return user

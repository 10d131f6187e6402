from __future__ import annotations

import itertools

import pytest

from kesu.channels.actions import mailbox_save
from tests.channels.servers import DOVECOT, Dovecot, SmtpServer
from tests.factories import T0

PASSWORD_ENV = "KESU_MAILBOX_TEST_PASSWORD"
_accounts = itertools.count(1)


@pytest.fixture(scope="session")
def dovecot():
    """One real IMAP server for the session; each test gets its own account (``mail_user``)."""
    if DOVECOT is None:
        pytest.skip("the dovecot binary is missing: install dovecot-imapd (.ci/run does: apt-get install -y dovecot-imapd)")
    with Dovecot() as server:
        yield server


@pytest.fixture
def mail_user(dovecot) -> str:
    return dovecot.user_add(f"support{next(_accounts)}")


def mailbox_make(dovecot, user: str, *, name: str = "support", group=None, **overrides):
    fields = {
        "name": name, "address": "support@centre.example", "host": "127.0.0.1", "port": dovecot.port,
        "security": "none", "username": user, "password_env": PASSWORD_ENV,
    }
    fields.update(overrides)
    return mailbox_save(mailbox=None, by=None, now=T0, group=group, **fields)


@pytest.fixture
def mailbox(db, dovecot, mail_user, monkeypatch):
    """A mailbox row reading the test account over plain IMAP on loopback."""
    monkeypatch.setenv(PASSWORD_ENV, Dovecot.PASSWORD)
    return mailbox_make(dovecot, mail_user)


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "kesu@centre.example"


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on loopback that replies are sent to."""
    with SmtpServer() as server:
        use_smtp(settings, server.port)
        yield server

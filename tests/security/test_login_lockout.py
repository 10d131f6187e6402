"""Repeated failed logins lock the account name (and, many more, the address) for a while; the
person is told which and until when, in their language; every step is in the security event log."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from kesu.core.roles import Role
from kesu.security.models import EventKind, SecurityEvent, Throttle
from tests.factories import T0, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Kq8-mZvT2wL-9x"


def _login(client: Client, username: str, password: str, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def _kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))


def test_five_failures_lock_the_account_and_even_the_right_password_is_refused_until_the_lock_ends():
    make_user(Role.HANDLER, "wang")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with time_machine.travel(T0, tick=False):
        for _ in range(4):
            response = _login(client, "wang", "wrong-password-x")
            assert response.status_code == 200
            assert "locked" not in response.content.decode()
        fifth = _login(client, "wang", "wrong-password-x").content.decode()
        assert "Too many failed logins for the account wang" in fifth
        assert "(15 minutes)" in fifth

        right = _login(client, "wang", PASSWORD)
        assert right.status_code == 200  # the form again, not a redirect
        assert "locked until" in right.content.decode()
        assert "_auth_user_id" not in client.session

    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        assert "(5 minutes)" in _login(client, "wang", PASSWORD).content.decode()

    with time_machine.travel(T0 + timedelta(minutes=16), tick=False):
        response = _login(client, "wang", PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"]

    assert _kinds() == [EventKind.LOGIN_FAILED] * 5 + [EventKind.LOCKOUT] + [EventKind.LOCKED_REFUSED] * 2 + [
        EventKind.LOGIN
    ]
    lockout = SecurityEvent.objects.get(kind=EventKind.LOCKOUT)
    assert (lockout.username, lockout.ip, lockout.detail) == ("wang", "127.0.0.1", "login:user:wang")


def test_the_lock_message_is_in_chinese_by_default():
    make_user(Role.HANDLER, "li")
    client = Client()
    for _ in range(5):
        page = _login(client, "li", "wrong-password-x").content.decode()
    assert "账户 li 登录失败次数过多" in page


def test_failures_spread_over_more_than_the_lock_period_do_not_lock_and_a_success_forgets_them():
    make_user(Role.HANDLER, "zhao")
    client = Client()
    for minutes in (0, 20, 40, 60, 80, 100):
        with time_machine.travel(T0 + timedelta(minutes=minutes), tick=False):
            _login(client, "zhao", "wrong-password-x")
    with time_machine.travel(T0 + timedelta(minutes=101), tick=False):
        assert _login(client, "zhao", PASSWORD).status_code == 302
    assert Throttle.objects.get(key="login:user:zhao").failures == 0


def test_an_unknown_name_is_locked_the_same_way_so_a_lock_tells_nothing_about_which_accounts_exist():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(5):
        page = _login(client, "nobody", "wrong-password-x").content.decode()
    assert "Too many failed logins for the account nobody" in page


def test_many_failures_from_one_address_over_many_names_block_the_address(settings):
    settings.KESU_LOGIN_ADDRESS_MAX_FAILURES = 8
    make_user(Role.HANDLER, "sun")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for i in range(8):
        page = _login(client, f"guess{i}", "wrong-password-x").content.decode()
    assert "Too many failed attempts from the address 127.0.0.1" in page
    # the address is blocked for everyone's names, even a correct login
    assert "blocked until" in _login(client, "sun", PASSWORD).content.decode()
    # another address is not
    assert _login(Client(REMOTE_ADDR="10.0.0.9"), "sun", PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too():
    make_user(Role.ADMIN, "root")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(5):
        page = client.post(
            "/admin/login/", {"username": "root", "password": "wrong-password-x"}
        ).content.decode()
    assert "Too many failed logins for the account root" in page
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 200 and "locked until" in response.content.decode()


def test_the_lock_limits_come_from_the_settings(settings):
    settings.KESU_LOGIN_MAX_FAILURES = 2
    settings.KESU_LOGIN_LOCK_MINUTES = 60
    make_user(Role.HANDLER, "qian")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    _login(client, "qian", "wrong-password-x")
    assert "(60 minutes)" in _login(client, "qian", "wrong-password-x").content.decode()

"""Security headers on every answer; HTTPS settings; the security event log page and its CSV."""

from __future__ import annotations

import pytest
from django.test import Client

from kesu.core.roles import Role
from kesu.security.models import EventKind, SecurityEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Kq8-mZvT2wL-9x"


def _signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_pages_and_the_api_carry_the_security_headers(handler):
    for response in (
        Client().get("/login/"),
        _signed_in(handler).get("/"),
        Client().get("/api/v1/complaints"),
    ):
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in response  # not without KESU_HTTPS


def test_with_https_cookies_are_secure_and_hsts_is_sent(settings, handler):
    settings.KESU_HTTPS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client = Client()
    page = client.get("/login/")
    assert page["Strict-Transport-Security"] == "max-age=31536000"
    assert page.cookies["csrftoken"]["secure"]
    response = client.post("/login/", {"username": handler.username, "password": PASSWORD})
    assert response.cookies["sessionid"]["secure"] and response.cookies["sessionid"]["httponly"]


def test_the_https_switch_sets_the_cookie_and_hsts_settings():
    from kesu.config.hardening import hardening_read

    assert hardening_read({"KESU_HTTPS": "1"}).https
    assert not hardening_read({}).https
    assert hardening_read({"KESU_SESSION_IDLE_MINUTES": "10"}).session_idle_minutes == 10
    from kesu.config.environment import ConfigurationError

    with pytest.raises(ConfigurationError, match="KESU_LOGIN_MAX_FAILURES"):
        hardening_read({"KESU_LOGIN_MAX_FAILURES": "0"})


def test_a_refused_page_is_logged_as_a_refusal(handler):
    client = _signed_in(handler)
    assert client.get("/security/events/").status_code == 403
    event = SecurityEvent.objects.get(kind=EventKind.REFUSED)
    assert (event.username, event.path) == (handler.username, "/security/events/")


def test_a_refused_api_call_is_logged_with_its_reason(analyst):
    from tests.api.builders import client_for, post_json

    response = post_json(
        client_for(analyst),
        "/api/v1/complaints",
        {"channel": "phone", "content": "x", "customer": {"phone": "13700137000"}},
    )
    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=EventKind.REFUSED)
    assert (event.username, event.detail, event.method) == (analyst.username, "permission.denied", "POST")


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DPO])
def test_administrators_and_the_data_protection_officer_read_the_log_and_export_it(role):
    reader = make_user(role, "reader")
    make_user(Role.HANDLER, "wang")
    Client().post("/login/", {"username": "wang", "password": "wrong-password-x"})
    Client().post("/login/", {"username": "=cmd|' /C calc'!A0", "password": "wrong-password-x"})
    client = _signed_in(reader)

    page = client.get("/security/events/?kind=login_failed").content.decode()
    assert page.count('class="event-row') == 2
    assert "Security log" in page  # the menu entry
    csv = client.get("/security/events.csv?kind=login_failed&username=wang")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "at,kind,username,ip,method,path,detail"
    assert len(lines) == 2 and ",login_failed,wang,127.0.0.1,POST,/login/," in lines[1]
    everything = client.get("/security/events.csv?kind=login_failed").content.decode("utf-8-sig")
    assert "'=cmd" in everything  # a formula typed as a username is not run by a spreadsheet


def test_the_log_is_append_only(handler):
    from kesu.core.appendonly import AppendOnlyError

    Client().post("/login/", {"username": handler.username, "password": "wrong-password-x"})
    event = SecurityEvent.objects.get()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.update(username="someone")


def test_my_name_leads_to_my_account_and_the_log_is_in_the_menu_only_for_readers(handler):
    page = _signed_in(handler).get("/").content.decode()
    assert 'class="user-name" href="/security/account/"' in page and "Security log" not in page

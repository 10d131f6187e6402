"""A signed-in session ends after 30 minutes without a request and 12 hours after the login; a user
sees where they are signed in and may log out every other session."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from kesu.core.roles import Role
from kesu.security.models import EventKind, SecurityEvent
from tests.factories import T0, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Kq8-mZvT2wL-9x"


def _signed_in(user, **extra) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **extra)
    assert client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def test_thirty_minutes_without_a_request_log_the_user_out_with_a_message():
    user = make_user(Role.HANDLER, "wang")
    with time_machine.travel(T0, tick=False):
        client = _signed_in(user)
    with time_machine.travel(T0 + timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(T0 + timedelta(minutes=29 + 30), tick=False):
        response = client.get("/complaints/new/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=/complaints/new/")
        login_page = client.get(response["Location"]).content.decode()
    assert "logged out after 30 minutes without activity" in login_page
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(
        kind=EventKind.SESSION_EXPIRED, detail="idle", username="wang"
    ).exists()


def test_a_session_ends_after_twelve_hours_however_active():
    user = make_user(Role.HANDLER, "li")
    with time_machine.travel(T0, tick=False):
        client = _signed_in(user)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(T0 + timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200, minutes
    with time_machine.travel(T0 + timedelta(hours=12), tick=False):
        response = client.get("/")
        assert response.status_code == 302
        assert "a session lasts at most 12 hours" in client.get(response["Location"]).content.decode()


def test_the_timeouts_come_from_the_settings(settings):
    settings.KESU_SESSION_IDLE_MINUTES = 5
    user = make_user(Role.HANDLER, "zhao")
    with time_machine.travel(T0, tick=False):
        client = _signed_in(user)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        assert client.get("/").status_code == 302


def test_an_htmx_request_after_the_timeout_is_sent_to_the_login_page():
    user = make_user(Role.HANDLER, "qian")
    with time_machine.travel(T0, tick=False):
        client = _signed_in(user)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/login/")


def test_the_account_page_lists_my_sessions_and_logs_out_the_other_ones():
    user = make_user(Role.HANDLER, "sun")
    other_user = make_user(Role.HANDLER, "zhou")
    with time_machine.travel(T0, tick=False):
        laptop = _signed_in(user, HTTP_USER_AGENT="Laptop browser")
        phone = _signed_in(user, HTTP_USER_AGENT="Phone browser", REMOTE_ADDR="10.0.0.7")
        colleague = _signed_in(other_user)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        page = laptop.get("/security/account/").content.decode()
        assert page.count('class="session-row') == 2
        assert "Laptop browser" in page and "Phone browser" in page and "10.0.0.7" in page
        assert "This session" in page

        response = laptop.post("/security/account/sessions/end/", follow=True)
        assert "1 other session(s) were logged out." in response.content.decode()
        assert laptop.get("/").status_code == 200
        assert phone.get("/").status_code == 302  # logged out
        assert colleague.get("/").status_code == 200  # someone else's session is untouched
        assert laptop.get("/security/account/").content.decode().count('class="session-row') == 1
    assert SecurityEvent.objects.filter(kind=EventKind.SESSIONS_ENDED, username="sun", detail="1").exists()


def test_logging_out_is_an_event_and_removes_the_session_from_the_list():
    user = make_user(Role.HANDLER, "wu")
    client = _signed_in(user)
    client.post("/logout/")
    assert SecurityEvent.objects.filter(kind=EventKind.LOGOUT, username="wu").exists()
    from kesu.security.models import UserSession

    assert not UserSession.objects.filter(user=user).exists()

"""The bell in the header and the notifications page, as a signed-in person sees them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from kesu.core.messages import Message
from kesu.core.roles import Role
from kesu.notifications.actions import notify
from kesu.notifications.models import ContactPoint, Notification
from tests.factories import T0, make_complaint, make_user

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def _tell(user, count: int, *, complaint=None, start=T0, kind="sla_warned", urgent=False) -> list[Notification]:
    return [
        notify(
            recipients=[user], kind=kind, title=Message("notification.text", text=f"提醒 {n}"), body=Message("notification.text", text=f"第 {n} 条"), key=f"{kind}:{start}:{n}",
            now=start + n * MINUTE, complaint=complaint, urgent=urgent,
        )[0]
        for n in range(count)
    ]


def _bell_count(html: str) -> str | None:
    match = re.search(r'<span class="bell-count[^"]*" data-count="(\d+)">', html)
    return match.group(1) if match else None


@pytest.fixture
def signed_in(client, handler):
    client.force_login(handler)
    return client


def test_the_bell_on_every_page_shows_the_unread_count(signed_in, handler):
    _tell(handler, 3)
    _tell(make_user(Role.HANDLER, "someone-else"), 2)

    page = signed_in.get("/").content.decode()

    assert 'id="notification-bell"' in page
    assert _bell_count(page) == "3"
    assert 'hx-trigger="every 60s"' in page


def test_the_bell_has_no_count_when_all_is_read(signed_in, handler):
    page = signed_in.get("/").content.decode()

    assert 'id="notification-bell"' in page
    assert _bell_count(page) is None


def test_the_bell_refresh_answers_the_bell_alone(signed_in, handler):
    _tell(handler, 2)

    response = signed_in.get("/notifications/bell/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<a id="notification-bell"')
    assert _bell_count(html) == "2"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_signed_out_bell_stops_polling_instead_of_showing_the_login_page(client):
    response = client.get("/notifications/bell/", HTTP_HX_REQUEST="true")

    assert response.status_code == 286  # htmx stops an "every" trigger on 286
    assert response.content == b""


def test_the_login_page_has_no_bell(client):
    assert 'id="notification-bell"' not in client.get("/login/").content.decode()


def test_the_list_shows_the_newest_first_with_the_unread_highlighted_and_the_complaint_linked(signed_in, handler):
    complaint = make_complaint()
    first, second, third = _tell(handler, 3, complaint=complaint)
    signed_in.post(f"/notifications/{second.pk}/read/")

    page = signed_in.get("/notifications/").content.decode()

    positions = [page.index(f'id="notification-{n.pk}"') for n in (third, second, first)]
    assert positions == sorted(positions)
    assert f'class="notice unread" id="notification-{third.pk}"' in page
    assert f'class="notice" id="notification-{second.pk}"' in page
    assert f'href="/complaints/{complaint.pk}/"' in page
    assert complaint.number in page
    assert "提醒 2" in page and "第 2 条" in page


def test_the_unread_filter(signed_in, handler):
    first, second = _tell(handler, 2)
    signed_in.post(f"/notifications/{first.pk}/read/")

    page = signed_in.get("/notifications/?unread=1").content.decode()

    assert f'id="notification-{second.pk}"' in page
    assert f'id="notification-{first.pk}"' not in page


def test_marking_one_read_with_htmx_answers_the_row_and_the_new_bell(signed_in, handler):
    first, _second = _tell(handler, 2)

    response = signed_in.post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'class="notice" id="notification-{first.pk}"' in html  # no longer unread
    assert 'hx-swap-oob="true"' in html and _bell_count(html) == "1"
    first.refresh_from_db()
    assert first.read_at is not None


def test_marking_one_read_without_javascript_returns_to_the_list(signed_in, handler):
    (notification,) = _tell(handler, 1)

    response = signed_in.post(f"/notifications/{notification.pk}/read/", {"next": "/notifications/?page=1"})

    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"


def test_marking_read_never_redirects_off_site(signed_in, handler):
    (notification,) = _tell(handler, 1)

    response = signed_in.post(f"/notifications/{notification.pk}/read/", {"next": "https://evil.example/"})

    assert response["Location"] == "/notifications/"


def test_another_persons_notice_cannot_be_read(signed_in):
    (theirs,) = _tell(make_user(Role.HANDLER, "other-person"), 1)

    assert signed_in.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(signed_in, handler):
    _tell(handler, 4)

    response = signed_in.post("/notifications/read-all/", follow=True)

    page = response.content.decode()
    assert Notification.objects.filter(recipient=handler, read_at__isnull=True).count() == 0
    assert _bell_count(page) is None


def test_the_list_is_for_signed_in_people_only(client):
    response = client.get("/notifications/")

    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_list_costs_the_same_number_of_queries_however_many_notices(
    signed_in, handler, django_assert_num_queries
):
    complaint = make_complaint()
    _tell(handler, 3, complaint=complaint)
    # session, user, paginator count, the page (with its complaints), unread count (page head), bell
    with django_assert_num_queries(6):
        signed_in.get("/notifications/")

    _tell(handler, 40, complaint=complaint, start=T0 + timedelta(days=1))
    with django_assert_num_queries(6):
        page = signed_in.get("/notifications/").content.decode()
    assert page.count('class="notice unread"') == 43


def test_delivery_settings_keep_a_phone_number_and_the_opt_outs(signed_in, handler):
    page = signed_in.get("/notifications/settings/")
    assert page.status_code == 200

    response = signed_in.post("/notifications/settings/", {"phone": "138 0013 8000", "email_enabled": "on"})

    assert response.status_code == 302
    contact = ContactPoint.objects.get(user=handler)
    assert (contact.phone, contact.email_enabled, contact.sms_enabled) == ("13800138000", True, False)


def test_a_bad_phone_number_is_shown_next_to_the_field(signed_in, handler):
    response = signed_in.post("/notifications/settings/", {"phone": "call me"})

    assert response.status_code == 422
    assert 'class="field has-error' in response.content.decode()
    assert not ContactPoint.objects.filter(user=handler).exists()

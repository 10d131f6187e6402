"""The public complaint form: validated like every intake, answered with a number and a private link,
all or nothing, and limited per network address without a captcha."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints.models import Attachment, Category, Complaint, EventKind
from kesu.customers.models import Customer
from kesu.pipeline.intake import complaint_create
from kesu.portal.models import PortalSubmission, TrackingLink
from kesu.portal.selectors import tracking_find
from tests.factories import T0, make_draft

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EN = {"Accept-Language": "en"}
LINK = re.compile(r'href="(http://testserver/portal/t/([A-Za-z0-9_-]+)/)"')


def _post(client, *, address="203.0.113.7", headers=None, **fields):
    data = {"name": "张伟", "phone": "13800138000", "email": "", "content": "快递三天没到，要求退款。",
            "category": "", "order_number": ""}
    data.update(fields)
    return client.post("/portal/", data, REMOTE_ADDR=address, headers=headers or {}, follow=True)


def test_the_form_is_public_and_chinese_by_default(client):
    response = client.get("/portal/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "提交投诉" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "新建投诉" not in page  # no staff navigation
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]


def test_the_form_speaks_english(client):
    page = client.get("/portal/", headers=EN).content.decode()

    assert '<html lang="en">' in page
    assert "Submit a complaint" in page
    assert "提交投诉" not in page


def test_a_complaint_is_recorded_for_the_customer_found_by_phone_and_gets_a_number_and_a_private_link(
    client, at_t0
):
    # given a customer we already know by phone, from an earlier complaint
    earlier = complaint_create(draft=make_draft(), by=None, now=T0 - timedelta(days=30))
    Category.objects.get_or_create(code="logistics", defaults={"name_zh": "物流", "name_en": "Logistics"})

    # when they complain on the portal
    response = _post(client, content="包裹丢了，订单 A-1001。", category="logistics", order_number="A-1001",
                     file=SimpleUploadedFile("包裹.png", PNG, content_type="image/png"))

    # then the complaint is recorded on the web channel, for that customer, with the file
    assert response.status_code == 200
    complaint = Complaint.objects.exclude(pk=earlier.pk).get()
    assert (complaint.channel, complaint.customer, complaint.order_number) == ("web", earlier.customer, "A-1001")
    assert complaint.category.code == "logistics"
    assert Customer.objects.count() == 1
    assert Attachment.objects.get(complaint=complaint).original_name == "包裹.png"
    # and the page gives its number and a private link that opens it
    page = response.content.decode()
    assert complaint.number in page
    link, token = LINK.search(page).groups()
    assert tracking_find(token).complaint == complaint
    assert token not in TrackingLink.objects.get(complaint=complaint).digest  # only a digest is stored
    assert response["Referrer-Policy"] == "no-referrer"
    assert f"next=/portal/t/{token}/" in page  # switching the language keeps the link in view
    assert client.get(link).status_code == 200


def test_reloading_the_receipt_files_nothing_again(client, at_t0):
    # given a complaint just sent: the form's answer is a redirect to the receipt (post / redirect / get)
    response = client.post("/portal/", {"name": "张伟", "phone": "13800138000", "content": "快递三天没到。"})
    assert response.status_code == 303
    assert response["Location"] == "/portal/received/"

    # when the customer reloads the receipt twice
    first = client.get("/portal/received/").content.decode()
    again = client.get("/portal/received/").content.decode()

    # then there is still one complaint, and the receipt shows the same number and link
    complaint = Complaint.objects.get()
    assert complaint.number in first and complaint.number in again
    assert LINK.search(first).group(1) == LINK.search(again).group(1)


def test_the_receipt_without_a_complaint_leads_back_to_the_form(client):
    response = client.get("/portal/received/")

    assert (response.status_code, response["Location"]) == (302, "/portal/")


def test_an_email_address_is_enough_to_reach_the_customer(client, at_t0):
    response = _post(client, name="", phone="", email="li.na@example.cn")

    assert response.status_code == 200
    assert Complaint.objects.get().customer.identities.get().value == "li.na@example.cn"


@pytest.mark.parametrize(
    ("fields", "field", "zh", "en"),
    [
        ({"content": "  "}, "content", "此项不能为空。", "This field must not be empty."),
        ({"phone": "", "email": ""}, "phone", "请填写电话或邮箱", "Enter a phone number or an e-mail address"),
        ({"phone": "12ab"}, "phone", "不是有效的电话号码", "is not a phone number"),
        ({"email": "not-an-address"}, "email", "不是有效的邮箱地址", "is not an e-mail address"),
        ({"category": "no-such"}, "category", "未知的分类", "Unknown category"),
        ({"order_number": "9" * 65}, "order_number", "最多 64 个字符", "At most 64 characters"),
        ({"name": "名" * 129}, "name", "最多 128 个字符", "At most 128 characters"),
    ],
)
def test_each_invalid_field_is_named_and_nothing_is_recorded(client, at_t0, fields, field, zh, en):
    for headers, expected in (({}, zh), (EN, en)):
        response = _post(client, headers=headers, **fields)

        assert response.status_code == 422
        page = response.content.decode()
        # the message stands next to the field it is about
        block = re.search(rf'<div class="field has-error[^"]*">\s*<label for="id_{field}">.*?</div>', page, re.S)
        assert block, f"no error next to {field}"
        assert expected in block.group(0)
    assert not Complaint.objects.exists()
    assert not Customer.objects.exists()


def test_every_bad_field_is_named_at_once(client, at_t0):
    response = _post(client, content="", phone="", email="", headers=EN)

    page = response.content.decode()
    assert response.status_code == 422
    assert 'for="id_content"' in page and "This field must not be empty." in page
    assert "Enter a phone number or an e-mail address" in page


@pytest.mark.parametrize(
    ("name", "body", "zh", "en"),
    [
        ("invoice.exe", b"MZ\x90\x00" + b"\x00" * 60, "不接受“.exe”类型的文件", "Files of type “.exe” are not accepted"),
        ("photo.png", b"MZ\x90\x00" + b"\x00" * 60, "photo.png 看起来是可执行程序", "photo.png looks like a program"),
    ],
)
def test_a_refused_attachment_says_why_and_nothing_is_created(client, at_t0, name, body, zh, en):
    for headers, expected in (({}, zh), (EN, en)):
        response = _post(client, headers=headers, file=SimpleUploadedFile(name, body))

        assert response.status_code == 422
        assert expected in response.content.decode()
    assert not Complaint.objects.exists()
    assert not Customer.objects.exists()
    assert not Attachment.objects.exists()
    assert not TrackingLink.objects.exists()
    assert not PortalSubmission.objects.exists()


def test_the_hourly_limit_refuses_the_next_complaint_from_the_same_address_only(client, settings, at_t0):
    settings.KESU_PORTAL_MAX_PER_HOUR = 3
    for minute in range(3):
        at_t0.move_to(T0 + timedelta(minutes=minute * 10))
        assert _post(client).status_code == 200

    # the fourth within the hour is refused, with a message saying when to try again
    at_t0.move_to(T0 + timedelta(minutes=30))
    refused = _post(client)
    assert refused.status_code == 429
    assert "一小时内" in refused.content.decode() and "30 分钟后" in refused.content.decode()
    assert int(refused["Retry-After"]) == 30 * 60 + 1
    refused_en = _post(client, headers=EN)
    assert "Please try again in 30 minutes" in refused_en.content.decode()
    assert Complaint.objects.count() == 3

    # another address is not affected
    assert _post(client, address="198.51.100.4").status_code == 200
    # and an hour after its first complaint the address may send again
    at_t0.move_to(T0 + timedelta(hours=1, seconds=1))
    assert _post(client).status_code == 200
    assert Complaint.objects.count() == 5


def test_invalid_attempts_do_not_use_up_the_limit(client, settings, at_t0):
    settings.KESU_PORTAL_MAX_PER_HOUR = 1
    for _ in range(3):
        assert _post(client, content="").status_code == 422

    assert _post(client).status_code == 200
    assert _post(client).status_code == 429


def test_the_address_is_not_stored_in_clear(client, at_t0):
    _post(client, address="203.0.113.7")

    assert "203.0.113.7" not in PortalSubmission.objects.get().address_digest


def test_the_form_requires_the_csrf_token(at_t0):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/portal/", {"content": "x", "phone": "13800138000"})

    assert response.status_code == 403
    assert not Complaint.objects.exists()


def test_the_created_event_is_on_the_web_channel(client, at_t0):
    _post(client)

    created = Complaint.objects.get().events.get(kind=EventKind.CREATED)
    assert created.data["channel"] == "web" and created.actor is None


def test_behind_a_trusted_proxy_each_customer_has_their_own_limit(client, settings, at_t0):
    settings.KESU_PORTAL_MAX_PER_HOUR = 1
    settings.KESU_TRUSTED_PROXIES = ("127.0.0.1",)

    def via_proxy(forwarded_for):
        return _post(client, address="127.0.0.1", headers={"X-Forwarded-For": forwarded_for})

    # two customers behind the same reverse proxy do not share one limit
    assert via_proxy("203.0.113.7").status_code == 200
    assert via_proxy("198.51.100.4").status_code == 200
    # a customer's own (forgeable) entries left of the proxy's do not give them a new limit
    assert via_proxy("192.0.2.99, 203.0.113.7").status_code == 429
    # without a trusted proxy in front, the header is anyone's to write and is ignored
    assert _post(client, address="203.0.113.50").status_code == 200
    assert _post(client, address="203.0.113.50", headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 429
    assert Complaint.objects.count() == 3


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.7", "192.0.2.1", "203.0.113.7"),  # not a proxy of ours: the header is ignored
        ("127.0.0.1", "192.0.2.1", "192.0.2.1"),
        ("127.0.0.1", "192.0.2.66, 192.0.2.1, 127.0.0.2", "192.0.2.1"),  # right-most that is not a proxy
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "127.0.0.2", "127.0.0.1"),
    ],
)
def test_the_client_address_is_taken_from_trusted_proxies_only(remote, forwarded, expected):
    from kesu.portal.actions import client_address

    assert client_address(remote_addr=remote, forwarded_for=forwarded,
                          trusted_proxies=("127.0.0.1", "127.0.0.2")) == expected

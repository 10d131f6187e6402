"""The admin: managers and administrators edit mailboxes through the action (with its validation);
failed intakes are listed with their reason and the kept message; nothing else is editable."""

from __future__ import annotations

import pytest

from kesu.channels.actions import mailbox_save, message_intake
from kesu.channels.models import InboundMessage, Mailbox
from kesu.core.errors import NotPermitted
from kesu.core.messages import Message
from kesu.core.roles import Role
from tests.factories import T0, make_user

pytestmark = pytest.mark.django_db

FORM = {
    "name": "support", "address": "support@centre.example", "host": "imap.centre.example", "port": "993",
    "security": "ssl", "ca_file": "", "username": "support", "password_env": "KESU_MAILBOX_SUPPORT_PASSWORD",
    "folder": "INBOX", "max_message_bytes": "26214400", "enabled": "on",
}

MAILBOX = {
    "name": "support", "address": "support@centre.example", "host": "imap.centre.example", "port": 993,
    "security": "ssl", "ca_file": "", "username": "support", "password_env": "KESU_MAILBOX_SUPPORT_PASSWORD",
    "folder": "INBOX",
}


@pytest.fixture
def manager_client(client):
    client.force_login(make_user(Role.MANAGER, "lead"))
    return client


@pytest.fixture
def admin_client_(client):
    client.force_login(make_user(Role.ADMIN, "root"))
    return client


def test_an_administrator_adds_a_mailbox(admin_client_):
    response = admin_client_.post("/admin/channels/mailbox/add/", FORM)

    assert response.status_code == 302
    mailbox = Mailbox.objects.get()
    assert (mailbox.host, mailbox.password_env, mailbox.updated_by.username) == (
        "imap.centre.example", "KESU_MAILBOX_SUPPORT_PASSWORD", "root")


def test_a_manager_cannot_add_a_mailbox(manager_client):
    assert manager_client.post("/admin/channels/mailbox/add/", FORM).status_code == 403
    assert not Mailbox.objects.exists()


def test_a_manager_cannot_point_a_mailbox_and_its_password_at_another_server(client):
    admin = make_user(Role.ADMIN, "root")
    mailbox = mailbox_save(mailbox=None, by=admin, now=T0, **MAILBOX)
    manager = make_user(Role.MANAGER, "lead")
    client.force_login(manager)

    page = client.get(f"/admin/channels/mailbox/{mailbox.pk}/change/").content.decode()
    client.post(f"/admin/channels/mailbox/{mailbox.pk}/change/",
                {**FORM, "host": "evil.example", "port": "143", "username": "x", "enabled": "", "folder": "投诉"})
    mailbox.refresh_from_db()

    assert 'name="host"' not in page and 'name="folder"' in page  # shown, not editable
    assert (mailbox.host, mailbox.port, mailbox.username, mailbox.enabled, mailbox.folder) == (
        "imap.centre.example", 993, "support", False, "投诉")  # managers may still switch it off, move folder
    for change in ({"host": "evil.example"}, {"port": 143}, {"security": "starttls"}, {"username": "x"},
                   {"password_env": "KESU_MAILBOX_OTHER"}, {"ca_file": __file__}):
        with pytest.raises(NotPermitted) as refused:
            mailbox_save(mailbox=mailbox, by=manager, now=T0, **{**MAILBOX, **change})
        assert refused.value.params["permission"].params == {"key": next(iter(change))}
    with pytest.raises(NotPermitted) as refused:
        mailbox_save(mailbox=None, by=manager, now=T0, **{**MAILBOX, "name": "other"})
    assert refused.value.params["permission"] == Message("permission.mailbox.secret", key="host")
    moved = mailbox_save(mailbox=mailbox, by=admin, now=T0, **{**MAILBOX, "host": "imap2.centre.example"})
    assert moved.host == "imap2.centre.example"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password_env": "KESU_SECRET_KEY"}, "以 KESU_MAILBOX_ 开头"),
        ({"security": "none"}, "只有本机回环地址允许不加密连接"),
        ({"ca_file": "/no/such/ca.pem"}, "/no/such/ca.pem 不是文件"),
    ],
)
def test_the_admin_refuses_bad_settings_naming_them(admin_client_, change, message):
    page = admin_client_.post("/admin/channels/mailbox/add/", {**FORM, **change})

    assert page.status_code == 200 and message in page.content.decode()
    assert not Mailbox.objects.exists()


def test_a_handler_cannot_see_or_edit_mailboxes(client):
    client.force_login(make_user(Role.HANDLER, "h"))
    assert client.get("/admin/channels/mailbox/").status_code in (302, 403)
    assert client.post("/admin/channels/mailbox/add/", FORM).status_code in (302, 403)
    assert not Mailbox.objects.exists()


def test_failed_intakes_are_listed_with_the_reason_and_the_kept_message(manager_client):
    mailbox = Mailbox.objects.create(name="support", host="127.0.0.1", username="u",
                                     password_env="KESU_MAILBOX_X", updated_at=T0)
    raw = b"Subject: no sender\r\n\r\nbody"
    failed = message_intake(mailbox=mailbox, uid_validity=7, uid=1, raw=raw, now=T0)

    listing = manager_client.get("/admin/channels/failedintake/").content.decode()
    download = manager_client.get(f"/admin/channels/failedintake/{failed.pk}/raw/")

    assert "the message has no sender address (From header)" in listing
    assert download.status_code == 200 and b"".join(download.streaming_content) == raw
    change = manager_client.post(f"/admin/channels/inboundmessage/{failed.pk}/change/", {"reason": "x"})
    assert change.status_code == 403
    assert InboundMessage.objects.get().reason == "the message has no sender address (From header)"


def test_every_channel_page_opens_for_a_manager(manager_client):
    mailbox = Mailbox.objects.create(name="support", host="127.0.0.1", username="u",
                                     password_env="KESU_MAILBOX_X", updated_at=T0)
    failed = message_intake(mailbox=mailbox, uid_validity=7, uid=1, raw=b"Subject: x\r\n\r\nbody", now=T0)

    for url in ("/admin/channels/mailbox/", f"/admin/channels/mailbox/{mailbox.pk}/change/",
                "/admin/channels/inboundmessage/", f"/admin/channels/inboundmessage/{failed.pk}/change/",
                "/admin/channels/failedintake/", "/admin/channels/outboundmessage/"):
        assert manager_client.get(url).status_code == 200, url


def test_changing_the_server_of_a_mailbox_reads_the_new_folder_from_the_start(admin_client_):
    admin_client_.post("/admin/channels/mailbox/add/", FORM)
    Mailbox.objects.update(uid_validity=9, last_uid=40)
    mailbox = Mailbox.objects.get()

    admin_client_.post(f"/admin/channels/mailbox/{mailbox.pk}/change/", {**FORM, "enabled": ""})
    mailbox.refresh_from_db()
    assert (mailbox.enabled, mailbox.last_uid) == (False, 40)  # same folder: carry on

    admin_client_.post(f"/admin/channels/mailbox/{mailbox.pk}/change/", {**FORM, "folder": "投诉"})
    mailbox.refresh_from_db()
    assert (mailbox.folder, mailbox.uid_validity, mailbox.last_uid) == ("投诉", None, 0)

"""The call pages: log a call, the customer found as the number is typed, the list, the recording."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.calls.actions import call_log
from kesu.calls.models import Call
from kesu.complaints.models import Complaint, EventKind
from kesu.core.roles import Role
from tests.factories import T0, make_complaint, make_user

NOW = T0 + timedelta(hours=2)
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def handler_client(client, handler):
    client.force_login(handler)
    return client


def _form(**overrides) -> dict:
    data = {
        "number": "138 0013 8000",
        "direction": "inbound",
        "started_at": "2026-03-02T10:50",  # Shanghai time, ten minutes before NOW
        "duration_seconds": "4:05",
        "transcript": "客户来电：订单 123 的快递一直没有送到，要求尽快处理。",
        "notes": "已安抚客户，承诺今天内回电",
        "complaint": "new",
        "subject": "快递未送达",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_page_finds_the_customer_and_their_open_complaints_as_the_number_is_typed(handler_client, handler):
    complaint = make_complaint(by=handler, subject="退款未到账")

    response = handler_client.get("/calls/lookup/", {"number": "+86 138-0013-8000"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert "张伟" in page
    assert complaint.number in page and "退款未到账" in page
    assert f'value="{complaint.number}"' in page and "关联到此投诉" in page


@pytest.mark.django_db
def test_an_unknown_number_is_a_new_customer(handler_client):
    page = handler_client.get("/calls/lookup/", {"number": "13999999999"}).content.decode()

    assert "新客户" in page


@pytest.mark.django_db
def test_logging_a_call_as_a_new_complaint_lands_on_the_desk(handler_client, handler):
    make_complaint(by=handler)

    response = handler_client.post("/calls/new/", _form())

    complaint = Complaint.objects.order_by("-id").first()
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/{complaint.pk}/"
    call = Call.objects.get()
    assert call.complaint == complaint and call.duration_seconds == 245
    assert call.started_at == NOW - timedelta(minutes=10)
    assert complaint.channel == "phone" and complaint.subject == "快递未送达"
    desk = handler_client.get(response["Location"]).content.decode()
    assert "通话记录已保存" in desk
    assert "已安抚客户，承诺今天内回电" in desk  # the calls panel
    assert "4:05" in desk


@pytest.mark.django_db
def test_attaching_the_call_to_an_open_complaint_chosen_beside_the_number(handler_client, handler):
    complaint = make_complaint(by=handler)

    response = handler_client.post("/calls/new/", _form(complaint=complaint.number))

    assert response["Location"] == f"/complaints/{complaint.pk}/"
    assert Complaint.objects.count() == 1
    assert complaint.events.filter(kind=EventKind.CALL).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"number": "abc"}, "number", "不是有效的电话号码"),
        ({"duration_seconds": "-3"}, "duration_seconds", "通话时长不能为负数"),
        ({"duration_seconds": "3分钟"}, "duration_seconds", "不是有效的时长"),
        ({"duration_seconds": "30:00:00"}, "duration_seconds", "通话时长不能超过 24 小时"),
        ({"started_at": "2026-03-03T10:00"}, "started_at", "通话开始时间晚于当前时间"),
        ({"complaint": "other", "complaint_number": "KS-2099-000001"}, "complaint_number", "KS-2099-000001"),
        ({"complaint": "other", "complaint_number": ""}, "complaint_number", "此项为必填项"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_written(handler_client, overrides, field, text):
    response = handler_client.post("/calls/new/", _form(**overrides))

    page = response.content.decode()
    assert response.status_code == 422
    assert "通话未保存" in page
    assert text in page
    assert f'name="{field}"' in page and 'aria-invalid="true"' in page
    assert not Call.objects.exists()
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_a_recording_of_the_wrong_type_is_refused_with_a_clear_message(handler_client):
    upload = SimpleUploadedFile("录音.exe", b"MZ\x90\x00" + b"\x00" * 60)

    response = handler_client.post("/calls/new/", {**_form(), "recording": upload})

    assert response.status_code == 422
    assert "不接受“.exe”类型的录音" in response.content.decode()
    assert not Call.objects.exists() and not Complaint.objects.exists()


@pytest.mark.django_db
def test_the_recording_plays_on_the_desk(handler_client, handler, analyst, client):
    response = handler_client.post("/calls/new/", {**_form(), "recording": SimpleUploadedFile("r.mp3", MP3)})
    call = Call.objects.get()

    desk = handler_client.get(response["Location"]).content.decode()
    audio = handler_client.get(f"/calls/{call.pk}/recording/")

    assert f'<audio class="call-audio" controls preload="none" src="/calls/{call.pk}/recording/">' in desk
    assert audio.status_code == 200
    assert audio["Content-Type"] == "audio/mpeg"
    assert b"".join(audio.streaming_content) == MP3
    client.logout()
    assert client.get(f"/calls/{call.pk}/recording/").status_code == 302  # to the login page
    # an analyst reads complaints but not what customers said on the phone
    client.force_login(analyst)
    assert client.get(f"/calls/{call.pk}/recording/").status_code == 403
    assert client.get("/calls/").status_code == 403
    assert "call-audio" not in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_an_analyst_cannot_log_calls(client, analyst):
    client.force_login(analyst)

    assert client.get("/calls/new/").status_code == 403
    assert client.post("/calls/new/", _form()).status_code == 403
    assert not Call.objects.exists()


def _calls(handler, count: int, number: str = "13800138000"):
    for index in range(count):
        call_log(direction="inbound", number=number, started_at=NOW - timedelta(minutes=index + 1),
                 duration_seconds=60, transcript="咨询", complaint="new", by=handler, now=NOW)


@pytest.mark.django_db
def test_a_handler_sees_their_own_calls_and_a_manager_everyones(client, handler, manager):
    other = make_user(Role.HANDLER, "handler9")
    _calls(handler, 1, "13800138000")
    _calls(other, 1, "13900139000")

    client.force_login(handler)
    mine = client.get("/calls/", {"scope": "all"}).content.decode()
    client.force_login(manager)
    everyone = client.get("/calls/").content.decode()
    filtered = client.get("/calls/", {"number": "139-0013"}).content.decode()

    assert "13800138000" in mine and "13900139000" not in mine
    assert "13800138000" in everyone and "13900139000" in everyone
    assert "13900139000" in filtered and "13800138000" not in filtered


@pytest.mark.django_db
def test_the_call_list_costs_the_same_number_of_queries_however_many_calls(
    client, handler, django_assert_num_queries
):
    client.force_login(handler)
    _calls(handler, 2)
    with django_assert_num_queries(5):  # session, user, count, the bell, page
        client.get("/calls/")
    _calls(handler, 6)
    with django_assert_num_queries(5):
        response = client.get("/calls/")
    assert response.content.decode().count("<tr>") == 1 + 8


@pytest.mark.django_db
def test_log_a_call_from_the_desk_starts_with_the_customer_and_the_complaint_chosen(handler_client, handler):
    complaint = make_complaint(by=handler)
    desk = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert f'href="/calls/new/?complaint={complaint.number}"' in desk

    page = handler_client.get("/calls/new/", {"complaint": complaint.number}).content.decode()

    assert 'value="13800138000"' in page
    assert f'value="{complaint.number}" checked' in page
    assert 'value="2026-03-02T11:00"' in page  # the start defaults to now, in the centre's time

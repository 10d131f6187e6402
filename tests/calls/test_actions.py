"""Logging a call: the customer found by number, a complaint opened or attached in the same step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.calls.actions import CallComplaint, call_log
from kesu.calls.models import Call
from kesu.calls.selectors import calls_for_complaint, calls_for_customer, customer_by_number
from kesu.complaints.models import Complaint, EventKind, Status
from kesu.core.errors import FieldError, NotPermitted
from kesu.customers.actions import CustomerHandles
from kesu.customers.models import Customer
from kesu.pipeline.transitions import complaint_merge
from kesu.sla.selectors import complaint_clocks
from tests.api.builders import complaint_in
from tests.factories import T0, domain_kinds, make_complaint

NOW = T0 + timedelta(hours=1)
TRANSCRIPT = "客户：我的快递三天了还没到，客服一直不回复，我要投诉。\n客服：非常抱歉，我马上为您登记处理。"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 200


def _log(by, **overrides):
    fields = {
        "direction": "inbound",
        "number": "13800138000",
        "started_at": NOW - timedelta(minutes=5),
        "duration_seconds": "3:25",
        "transcript": TRANSCRIPT,
        "notes": "",
        "by": by,
        "now": NOW,
    }
    fields.update(overrides)
    return call_log(**fields)


def _first_contact(complaint) -> str:
    clocks = complaint_clocks(Complaint.objects.get(pk=complaint.pk), now=NOW)
    return {clock["clock"]: clock["state"] for clock in clocks["clocks"]}["first_contact"]


@pytest.mark.django_db
@pytest.mark.parametrize("written", ["+86 138-0013-8000", "138 0013 8000", "008613800138000", "(138)00138000"])
def test_the_number_finds_the_customer_however_it_is_written(handler, written):
    complaint = make_complaint(by=handler)  # 张伟, 13800138000

    assert customer_by_number(written) == complaint.customer
    call = _log(handler, number=written)

    assert call.customer == complaint.customer
    assert call.number == "13800138000"
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_a_call_opens_exactly_one_phone_complaint_triaged_and_routed_with_the_call_on_its_timeline(handler):
    before = Complaint.objects.count()

    call = _log(handler, number="+86 139-1234-5678", customer_name="李娜", complaint="new",
                new_complaint=CallComplaint(subject="快递延误"))

    assert Complaint.objects.count() == before + 1
    complaint = call.complaint
    assert complaint.channel == "phone"
    assert complaint.content == TRANSCRIPT
    assert complaint.subject == "快递延误"
    assert complaint.customer.name == "李娜"
    assert call.customer == complaint.customer
    kinds = [event.kind for event in complaint.events.all()]
    assert kinds[0] == EventKind.CREATED
    assert EventKind.TRIAGED in kinds and EventKind.SLA_APPLIED in kinds
    # triaged and routed exactly as the same words recorded through the ordinary intake
    same = make_complaint(by=handler, now=NOW, content=TRANSCRIPT, customer=CustomerHandles(phone="13700000001"))
    assert complaint.category is not None
    assert (complaint.category, complaint.severity, complaint.priority, complaint.group, complaint.assignee) == (
        same.category, same.severity, same.priority, same.group, same.assignee
    )
    event = complaint.events.get(kind=EventKind.CALL)
    assert event.data["call_id"] == call.pk
    assert event.data["direction"] == "inbound"
    assert event.data["number"] == "13912345678"
    assert event.data["duration_seconds"] == 205
    assert event.data["transcript_excerpt"].startswith("客户：我的快递三天了")
    assert calls_for_complaint(complaint) == [call]


@pytest.mark.django_db
def test_without_a_transcript_the_after_call_notes_become_the_content(handler):
    call = _log(handler, transcript="", notes="客户反映退款未到账，已告知三个工作日内处理。", complaint="new")

    assert call.complaint.content == "客户反映退款未到账，已告知三个工作日内处理。"


@pytest.mark.django_db
def test_a_call_is_attached_to_an_existing_complaint_by_its_number(handler):
    complaint = make_complaint(by=handler)
    count = Complaint.objects.count()

    call = _log(handler, complaint=complaint.number.lower(), notes="客户催促处理进度")

    assert Complaint.objects.count() == count
    assert call.complaint == complaint
    assert domain_kinds(complaint)[-1] == EventKind.CALL
    assert complaint.events.get(kind=EventKind.CALL).data["notes"] == "客户催促处理进度"
    assert calls_for_customer(complaint.customer) == [call]


@pytest.mark.django_db
def test_a_call_may_be_attached_to_a_closed_complaint_for_the_follow_up(handler):
    complaint = complaint_in(Status.CLOSED, handler=handler)

    call = _log(handler, direction="outbound", complaint=complaint.number, notes="回访：客户满意")

    assert call.complaint == complaint
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED


@pytest.mark.django_db
def test_an_outbound_call_that_reached_the_customer_is_the_first_contact(handler):
    complaint = complaint_in(Status.ASSIGNED, handler=handler)
    assert _first_contact(complaint) != "met"

    _log(handler, direction="outbound", complaint=complaint, notes="已致电客户，说明处理方案")

    assert _first_contact(complaint) == "met"
    assert domain_kinds(complaint)[-2:] == [EventKind.CALL, EventKind.CONTACTED]
    assert complaint.events.get(kind=EventKind.CONTACTED).data == {
        "channel": "phone", "text": "已致电客户，说明处理方案"
    }


@pytest.mark.django_db
def test_an_inbound_call_or_an_unanswered_outbound_call_is_not_a_contact(handler):
    complaint = complaint_in(Status.ASSIGNED, handler=handler)

    _log(handler, direction="inbound", complaint=complaint)
    _log(handler, direction="outbound", duration_seconds=0, complaint=complaint)

    assert _first_contact(complaint) != "met"
    assert not complaint.events.filter(kind=EventKind.CONTACTED).exists()
    assert complaint.events.filter(kind=EventKind.CALL).count() == 2


@pytest.mark.django_db
def test_the_customer_calling_back_resumes_a_complaint_waiting_for_them(handler):
    waiting = complaint_in(Status.PENDING_CUSTOMER, handler=handler)
    outbound = complaint_in(Status.PENDING_CUSTOMER, handler=handler)

    _log(handler, direction="inbound", complaint=waiting, notes="客户补充了订单截图")
    _log(handler, direction="outbound", complaint=outbound, notes="提醒客户补充材料")

    assert Complaint.objects.get(pk=waiting.pk).status == Status.IN_PROGRESS
    assert domain_kinds(waiting)[-2:] == [EventKind.CALL, EventKind.RESUMED]
    assert Complaint.objects.get(pk=outbound.pk).status == Status.PENDING_CUSTOMER  # we called: still waiting


@pytest.mark.django_db
def test_a_call_without_a_complaint_finds_or_creates_the_customer(handler):
    call = _log(handler, number="021-6234 5678", customer_name="王强", complaint=None)

    assert call.complaint is None
    assert call.customer.name == "王强"
    assert customer_by_number("02162345678") == call.customer
    assert _log(handler, number="02162345678").customer == call.customer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"number": "abc"}, "number", "customer.bad_phone"),
        ({"number": ""}, "number", "field.required"),
        ({"direction": "sideways"}, "direction", "field.choice"),
        ({"duration_seconds": "-5"}, "duration_seconds", "call.negative"),
        ({"duration_seconds": 90_000}, "duration_seconds", "call.too_long"),
        ({"duration_seconds": "3:75"}, "duration_seconds", "call.not_duration"),
        ({"duration_seconds": "three minutes"}, "duration_seconds", "call.not_duration"),
        ({"started_at": NOW + timedelta(hours=1)}, "started_at", "call.future"),
        ({"started_at": "yesterday"}, "started_at", "call.not_datetime"),
        ({"complaint": "KS-2099-999999"}, "complaint", "complaint.not_found"),
        ({"complaint": "new", "transcript": "", "notes": ""}, "transcript", "call.no_content"),
        ({"complaint": "new", "new_complaint": CallComplaint(severity="huge")}, "severity", "field.unknown"),
        ({"complaint": "new", "new_complaint": CallComplaint(category="no-such")}, "category", "category.unknown"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(handler, overrides, field, code):
    complaints = Complaint.objects.count()

    with pytest.raises(FieldError) as raised:
        _log(handler, **overrides)

    assert (field, code) in [(error.field, error.code) for error in raised.value.field_errors]
    assert not Call.objects.exists()
    assert Complaint.objects.count() == complaints
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_every_bad_field_is_named_at_once(handler):
    with pytest.raises(FieldError) as raised:
        _log(handler, number="x", duration_seconds="-1", direction="")

    assert {field for field, _message in raised.value.errors} == {"number", "duration_seconds", "direction"}


@pytest.mark.django_db
def test_a_call_cannot_be_attached_to_a_merged_duplicate(handler, manager):
    primary = make_complaint(by=handler)
    duplicate = make_complaint(by=handler)
    complaint_merge(duplicate=duplicate, primary=primary, by=manager, now=NOW)

    with pytest.raises(FieldError) as raised:
        _log(handler, complaint=duplicate.number)

    assert [(e.field, e.code, e.params) for e in raised.value.field_errors] == [
        ("complaint", "call.merged", {"value": duplicate.number, "primary": primary.number})
    ]
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_a_recording_is_stored_with_the_call(handler):
    call = _log(handler, recording=SimpleUploadedFile("通话录音.mp3", MP3, content_type="audio/mpeg"))

    assert call.recording_name == "通话录音.mp3"
    assert call.recording_type == "audio/mpeg"
    assert call.recording_size == len(MP3)
    with call.recording.open("rb") as handle:
        assert handle.read() == MP3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "body", "code"),
    [
        ("call.exe", b"MZ\x90\x00" + b"\x00" * 60, "recordings.type"),
        ("notes.txt", b"hello", "recordings.type"),
        ("call.wav", b"MZ\x90\x00" + b"\x00" * 60, "attachment.program"),
        ("call.amr", b"RIFF\x00\x00\x00\x00WAVE", "attachment.mismatch"),
        ("empty.mp3", b"", "attachment.empty"),
    ],
)
def test_a_recording_of_another_type_is_refused_and_nothing_is_written(handler, name, body, code):
    upload = SimpleUploadedFile(name, body)

    with pytest.raises(FieldError) as raised:
        _log(handler, complaint="new", recording=upload)

    assert [(e.field, e.code) for e in raised.value.field_errors] == [("recording", code)]
    assert not Call.objects.exists()
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_amr_and_wav_recordings_from_call_centre_systems_are_accepted(handler):
    amr = _log(handler, recording=SimpleUploadedFile("a.amr", b"#!AMR\n" + b"\x3c" * 100))
    wav = _log(handler, recording=SimpleUploadedFile("b.WAV", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 100))

    assert (amr.recording_type, wav.recording_type) == ("audio/amr", "audio/wav")


@pytest.mark.django_db
def test_an_analyst_cannot_log_calls(analyst):
    with pytest.raises(NotPermitted):
        _log(analyst, complaint="new")
    assert not Call.objects.exists()

"""The actions: the one write path. One transaction, the event written with the change, ``now`` given."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from kesu.complaints.actions import attachment_add
from kesu.complaints.drafts import ComplaintDraft
from kesu.complaints.models import (
    Attachment,
    Complaint,
    ComplaintEvent,
    EventKind,
    IdempotencyKey,
    Status,
)
from kesu.core.appendonly import AppendOnlyError
from kesu.core.errors import Conflict, FieldError, FieldErrors, InvalidTransition, NotPermitted
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.customers.models import Customer
from kesu.pipeline import intake
from kesu.pipeline import transitions as actions
from tests.api.builders import complaint_in
from tests.factories import (
    BOOKKEEPING_KINDS,
    T0,
    domain_events,
    domain_kinds,
    make_complaint,
    make_draft,
    make_group,
    make_user,
)

LATER = T0 + timedelta(days=1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def other_group(db):
    return make_group("back-office")


# --- create -------------------------------------------------------------------------------------------


def test_create_writes_the_complaint_and_its_created_event(handler, group):
    complaint = intake.complaint_create(
        draft=make_draft(group=group.code, category="logistics-delay", amount_claimed="99.9"),
        by=handler,
        now=T0,
    )

    complaint.refresh_from_db()
    assert (complaint.status, complaint.created_at, complaint.updated_at) == (Status.NEW, T0, T0)
    assert (complaint.group, complaint.category.code, complaint.created_by) == (
        group,
        "logistics-delay",
        handler,
    )
    assert str(complaint.amount_claimed) == "99.90"
    assert complaint.category_confirmed  # given at intake, so triage keeps it
    event, triaged = domain_events(complaint)
    assert (event.kind, event.actor, event.at, event.from_status, event.to_status) == (
        EventKind.CREATED,
        handler,
        T0,
        "",
        Status.NEW,
    )
    assert event.data == {
        "channel": "phone",
        "group": {"id": group.pk, "code": group.code, "name": group.name},
    }
    # then intake triage, by the system at the same instant, keeping the given category
    assert (triaged.kind, triaged.actor, triaged.at, triaged.from_status, triaged.to_status) == (
        EventKind.TRIAGED,
        None,
        T0,
        Status.NEW,
        Status.NEW,
    )
    assert triaged.data["result"]["category"]["source"] == "given"
    assert "category" not in triaged.data["applied"]
    # and whatever else intake wrote is SLA / routing bookkeeping of the same instant
    others = complaint.events.exclude(pk__in=[event.pk, triaged.pk])
    assert all(e.kind in BOOKKEEPING_KINDS and e.at == T0 for e in others), others


def test_create_collects_every_bad_field_before_writing(handler):
    draft = ComplaintDraft(
        channel="pigeon",
        content="",
        category="nope",
        group="nope",
        customer=CustomerHandles(phone="x", email="y", tier="gold"),
    )

    with pytest.raises(FieldErrors) as raised:
        intake.complaint_create(draft=draft, by=handler, now=T0)

    assert {field for field, _ in raised.value.errors} == {
        "channel",
        "content",
        "category",
        "group",
        "phone",
        "email",
        "customer.tier",
    }
    assert Complaint.objects.count() == Customer.objects.count() == 0


def test_an_inactive_category_is_unknown(handler):
    from kesu.complaints.models import Category

    Category.objects.filter(code="policy").update(is_active=False)

    with pytest.raises(FieldError) as raised:
        intake.complaint_create(draft=make_draft(category="policy"), by=handler, now=T0)
    assert raised.value.field == "category"


def test_create_for_an_unknown_customer_id_is_refused(handler):
    with pytest.raises(FieldError) as raised:
        intake.complaint_create(draft=make_draft(customer_id=98765), by=handler, now=T0)

    assert raised.value.field == "customer_id"
    assert Complaint.objects.count() == 0


def test_read_only_roles_may_not_create(analyst):
    with pytest.raises(NotPermitted):
        intake.complaint_create(draft=make_draft(), by=analyst, now=T0)
    assert Complaint.objects.count() == 0


def test_a_known_phone_written_differently_finds_the_customer_and_adds_handles(handler):
    first = make_complaint(customer=CustomerHandles(name="张伟", phone="13800138000"))

    second = make_complaint(
        customer=CustomerHandles(
            name="张先生", phone="+86 138-0013-8000", email="ZW@Example.com", external_id="wx-123"
        )
    )

    assert second.customer == first.customer
    assert second.customer.name == "张伟"  # a later intake does not rename the customer
    assert set(first.customer.identities.values_list("kind", "value")) == {
        ("phone", "13800138000"),
        ("email", "zw@example.com"),
        ("external", "wx-123"),
    }


def test_a_handle_belonging_to_another_customer_stays_there(handler):
    li = make_complaint(customer=CustomerHandles(name="李娜", email="shared@example.com")).customer

    zhang = make_complaint(
        customer=CustomerHandles(name="张伟", phone="13800138000", email="shared@example.com")
    ).customer

    assert zhang == li  # found by the e-mail it gave
    other = make_complaint(customer=CustomerHandles(name="王芳", phone="13912345678")).customer
    again = make_complaint(customer=CustomerHandles(phone="13912345678", email="shared@example.com")).customer
    assert again == other
    assert li.identities.filter(kind="email").get().value == "shared@example.com"
    assert not other.identities.filter(kind="email").exists()


# --- every transition writes its one event, atomically --------------------------------------------------


def test_each_action_writes_exactly_one_event_at_now(handler, manager, other_group):
    complaint = make_complaint(now=T0, group="front-desk")
    steps = [
        ("assign", lambda c, at: actions.complaint_assign(complaint=c, assignee=handler, by=manager, now=at)),
        ("start", lambda c, at: actions.complaint_start(complaint=c, by=handler, now=at)),
        (
            "contact",
            lambda c, at: actions.complaint_contact(
                complaint=c, by=handler, now=at, channel="phone", text="已致电"
            ),
        ),
        ("pend", lambda c, at: actions.complaint_pend(complaint=c, by=handler, now=at, reason="等照片")),
        ("resume", lambda c, at: actions.complaint_resume(complaint=c, by=handler, now=at)),
        (
            "resolve",
            lambda c, at: actions.complaint_resolve(complaint=c, by=handler, now=at, resolution="退款"),
        ),
        ("close", lambda c, at: actions.complaint_close(complaint=c, by=manager, now=at)),
        (
            "follow_up",
            lambda c, at: actions.complaint_follow_up(complaint=c, by=manager, now=at, outcome="unsatisfied"),
        ),
        ("reopen", lambda c, at: actions.complaint_reopen(complaint=c, by=manager, now=at, reason="没到账")),
        (
            "transfer",
            lambda c, at: actions.complaint_transfer(
                complaint=c, to_group=other_group, by=manager, now=at, reason="财务"
            ),
        ),
    ]
    for minutes, (name, step) in enumerate(steps, start=1):
        at = T0 + timedelta(minutes=minutes)
        before = set(complaint.events.values_list("pk", flat=True))
        complaint = step(complaint, at)
        stored = Complaint.objects.get(pk=complaint.pk)
        assert stored.status == complaint.status, name
        assert stored.updated_at == at, name
        written = list(complaint.events.exclude(pk__in=before))
        # one domain event; the rest is what the SLA clocks recorded (e.g. sla_met), at the same instant
        assert len([e for e in written if e.kind not in BOOKKEEPING_KINDS]) == 1, (name, written)
        assert {e.at for e in written} == {at}, name


def test_a_failed_event_write_rolls_back_the_change(handler, monkeypatch):
    complaint = complaint_in(Status.ASSIGNED, handler=handler)

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ComplaintEvent, "save", broken_save)
    with pytest.raises(RuntimeError):
        actions.complaint_start(complaint=complaint, by=handler, now=LATER)

    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.status, stored.updated_at) == (Status.ASSIGNED, complaint.updated_at)


def test_an_impossible_transition_raises_and_writes_nothing(handler):
    complaint = complaint_in(Status.CLOSED, handler=handler)
    events = complaint.events.count()

    with pytest.raises(InvalidTransition) as raised:
        actions.complaint_start(complaint=complaint, by=handler, now=LATER)

    assert raised.value.current_status == Status.CLOSED
    assert complaint.events.count() == events
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED


def test_actions_read_the_stored_status_not_a_stale_object(handler):
    complaint = complaint_in(Status.ASSIGNED, handler=handler)
    stale = Complaint.objects.get(pk=complaint.pk)
    actions.complaint_start(complaint=complaint, by=handler, now=LATER)

    # the stale copy still says "assigned"; starting it again must be refused
    with pytest.raises(InvalidTransition):
        actions.complaint_start(complaint=stale, by=handler, now=LATER)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.DECISION])
def test_read_only_roles_may_not_transition(role, handler):
    complaint = complaint_in(Status.ASSIGNED, handler=handler)

    with pytest.raises(NotPermitted):
        actions.complaint_start(complaint=complaint, by=make_user(role), now=LATER)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.ASSIGNED


def test_reopen_returns_to_the_resolving_handler_and_counts(handler, manager):
    handler2 = make_user(Role.HANDLER, "handler2")
    complaint = complaint_in(Status.RESOLVED, handler=handler)
    complaint = actions.complaint_close(complaint=complaint, by=manager, now=LATER)

    complaint = actions.complaint_reopen(complaint=complaint, by=manager, now=LATER, reason="未解决")

    assert (complaint.status, complaint.assignee, complaint.reopen_count) == (Status.ASSIGNED, handler, 1)
    # handled again, this time resolved by handler2
    complaint = actions.complaint_assign(complaint=complaint, assignee=handler2, by=manager, now=LATER)
    complaint = actions.complaint_start(complaint=complaint, by=handler2, now=LATER)
    complaint = actions.complaint_resolve(complaint=complaint, by=handler2, now=LATER, resolution="再次退款")
    complaint = actions.complaint_reopen(complaint=complaint, by=manager, now=LATER, reason="还是没到账")
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.assignee, stored.reopen_count, stored.last_handler) == (handler2, 2, handler2)


def test_merge_closes_the_duplicate_and_writes_on_both(handler, manager):
    primary = complaint_in(Status.IN_PROGRESS, handler=handler)
    duplicate = complaint_in(Status.NEW, handler=handler)
    primary_events = len(domain_events(primary))

    merged = actions.complaint_merge(
        duplicate=duplicate, primary=primary, by=manager, now=LATER, reason="重复"
    )

    duplicate.refresh_from_db()
    primary.refresh_from_db()
    assert merged.pk == duplicate.pk
    assert (duplicate.status, duplicate.merged_into, duplicate.closed_at) == (Status.CLOSED, primary, LATER)
    assert (primary.status, primary.updated_at) == (Status.IN_PROGRESS, LATER)
    assert domain_kinds(duplicate)[-1] == EventKind.MERGED
    assert len(domain_events(primary)) == primary_events + 1
    assert domain_kinds(primary)[-1] == EventKind.MERGE_RECEIVED
    assert list(primary.duplicates.all()) == [duplicate]


def test_merge_needs_the_merge_permission(handler):
    primary, duplicate = make_complaint(), make_complaint()

    with pytest.raises(NotPermitted):
        actions.complaint_merge(duplicate=duplicate, primary=primary, by=handler, now=LATER)
    assert Complaint.objects.get(pk=duplicate.pk).status == Status.NEW


def test_merge_into_a_merged_primary_or_itself_is_refused(manager):
    a, b, c = make_complaint(), make_complaint(), make_complaint()
    actions.complaint_merge(duplicate=b, primary=a, by=manager, now=LATER)

    with pytest.raises(FieldError, match="本身已合并到另一条投诉"):
        actions.complaint_merge(duplicate=c, primary=b, by=manager, now=LATER)
    with pytest.raises(FieldError, match="合并到其自身"):
        actions.complaint_merge(duplicate=c, primary=c, by=manager, now=LATER)
    assert Complaint.objects.get(pk=c.pk).status == Status.NEW


def test_transfer_to_the_same_group_is_refused(handler, group):
    complaint = make_complaint(group=group.code)

    with pytest.raises(FieldError) as raised:
        actions.complaint_transfer(complaint=complaint, to_group=group, by=handler, now=LATER, reason="x")
    assert raised.value.field == "group"


# --- idempotent intake ------------------------------------------------------------------------------------


def test_intake_with_a_key_creates_once(handler):
    first, created = intake.complaint_intake(draft=make_draft(), by=handler, now=T0, idempotency_key="k1")
    again, created_again = intake.complaint_intake(
        draft=make_draft(), by=handler, now=LATER, idempotency_key="k1"
    )

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Complaint.objects.count() == IdempotencyKey.objects.count() == 1
    with pytest.raises(Conflict):
        intake.complaint_intake(
            draft=make_draft(content="别的"), by=handler, now=LATER, idempotency_key="k1"
        )


def test_intake_inside_an_outer_transaction(handler):
    with transaction.atomic():
        intake.complaint_intake(draft=make_draft(), by=handler, now=T0, idempotency_key="k2")
        _, created = intake.complaint_intake(draft=make_draft(), by=handler, now=T0, idempotency_key="k2")
    assert created is False


# --- the timeline is append-only ---------------------------------------------------------------------------


def test_an_event_cannot_be_changed_or_deleted(handler):
    complaint = make_complaint()
    event = complaint.events.get(kind=EventKind.CREATED)

    event.data = {"forged": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ComplaintEvent.objects.filter(pk=event.pk).update(kind="note")
    with pytest.raises(AppendOnlyError):
        ComplaintEvent.objects.filter(pk=event.pk).delete()

    assert complaint.events.get(kind=EventKind.CREATED).data == {"channel": "phone", "group": None}


def test_a_new_event_with_a_chosen_id_is_refused(handler):
    complaint = make_complaint()
    existing = complaint.events.get(kind=EventKind.CREATED)

    with pytest.raises(AppendOnlyError):
        ComplaintEvent(pk=existing.pk, complaint=complaint, kind="note", at=T0).save()


# --- attachments -----------------------------------------------------------------------------------------


def test_attachment_is_stored_under_media_root_with_an_event(handler, settings):
    complaint = make_complaint()

    attachment = attachment_add(
        complaint=complaint, upload=SimpleUploadedFile("照片.PNG", PNG), by=handler, now=LATER
    )

    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert attachment.file.name.endswith(".png")
    assert (attachment.content_type, attachment.size, attachment.created_at) == ("image/png", len(PNG), LATER)
    event = complaint.events.order_by("-id").first()
    assert (event.kind, event.at, event.data["attachment"]["id"]) == (
        EventKind.ATTACHMENT,
        LATER,
        attachment.pk,
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ" + b"\x00" * 30, "files.type"),
        ("fake.png", b"not a png at all", "attachment.mismatch"),
        ("script.txt", b"#!/bin/sh\nrm -rf /", "attachment.program"),
    ],
)
def test_a_refused_attachment_says_why_and_stores_nothing(name, content, message, handler, settings):
    complaint = make_complaint()
    events = list(complaint.events.values_list("pk", "kind"))

    with pytest.raises(FieldError) as raised:
        attachment_add(
            complaint=complaint, upload=SimpleUploadedFile(name, content), by=handler, now=LATER
        )
    assert raised.value.code == message

    assert raised.value.field == "file"
    assert Attachment.objects.count() == 0
    assert list(complaint.events.values_list("pk", "kind")) == events
    assert domain_kinds(complaint) == [EventKind.CREATED, EventKind.TRIAGED]


def test_an_oversize_attachment_is_refused(handler, settings):
    settings.KESU_MAX_ATTACHMENT_BYTES = 100

    with pytest.raises(FieldError, match="上限"):
        attachment_add(
            complaint=make_complaint(), upload=SimpleUploadedFile("a.png", PNG * 10), by=handler, now=LATER
        )
    assert Attachment.objects.count() == 0


def test_read_only_roles_may_not_attach(analyst):
    with pytest.raises(NotPermitted):
        attachment_add(
            complaint=make_complaint(), upload=SimpleUploadedFile("a.png", PNG), by=analyst, now=LATER
        )


@pytest.mark.django_db
def test_a_failing_triage_never_loses_the_complaint(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr("kesu.pipeline.intake.triage_prepare", broken)
    complaint = make_complaint(content="冰箱不制冷")

    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.severity, stored.priority) == ("general", "P3")
    assert domain_kinds(stored) == ["created", "triaged"]
    assert stored.events.get(kind="triaged").data == {"error": "RuntimeError: model file unreadable"}

"""The demo's fast insert stores exactly what ``bulk_create`` stores."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.forms.models import model_to_dict

from kesu.complaints import lifecycle
from kesu.complaints.models import Category, Complaint, ComplaintEvent
from kesu.customers.models import Customer, CustomerIdentity
from kesu.demo.bulk import ids_reserve, rows_insert
from tests.demo.conftest import NOW
from tests.factories import make_group, make_user

pytestmark = pytest.mark.django_db


def _complaint(customer, group, number):
    return Complaint(
        number=number,
        channel="email",
        customer=customer,
        subject="退款未到账",
        content="申请退款1,299元，已经7个工作日了还没到账。",
        category=Category.objects.get(code="handling-efficiency"),
        amount_claimed=Decimal("1299.50"),
        group=group,
        created_at=NOW,
        updated_at=NOW,
    )


def _walk(complaint, handler):
    return [
        lifecycle.created(complaint, by=None, now=NOW),
        lifecycle.assign(complaint, assignee=handler, by=None, now=NOW),
        lifecycle.start(complaint, by=handler, now=NOW),
        lifecycle.resolve(complaint, by=handler, now=NOW, resolution="已退款 ¥1,299.50，客户确认。"),
    ]


def _stored(complaint_pk):
    complaint = Complaint.objects.get(pk=complaint_pk)
    row = model_to_dict(complaint, exclude=["id", "number", "customer"])
    events = [model_to_dict(e, exclude=["id", "complaint"]) for e in complaint.events.order_by("id")]
    return row, events


def test_rows_insert_writes_what_bulk_create_writes():
    group = make_group("front-desk")
    handler = make_user("handler", "li.na", groups=[group])

    # the same complaint and events, once through bulk_create and once through rows_insert
    with transaction.atomic():
        one = Customer.objects.create(name="王伟", created_at=NOW)
        slow = _complaint(one, group, "KS-2026-900001")
        slow.pk = ids_reserve(Complaint, 1)[0]
        slow_events = _walk(slow, handler)
        Complaint.objects.bulk_create([slow])
        ComplaintEvent.objects.bulk_create(slow_events)

    with transaction.atomic():
        two = Customer(name="王伟", created_at=NOW)  # unsaved: the complaint refers to the object
        fast = _complaint(two, group, "KS-2026-900002")
        identity = CustomerIdentity(customer=two, kind="phone", value="13800138000")
        two.pk = ids_reserve(Customer, 1)[0]
        rows_insert(Customer, [two])
        rows_insert(CustomerIdentity, [identity])
        fast.pk = ids_reserve(Complaint, 1)[0]
        fast_events = _walk(fast, handler)
        rows_insert(Complaint, [fast])
        rows_insert(ComplaintEvent, fast_events)

    assert fast.pk > slow.pk
    assert _stored(fast.pk) == _stored(slow.pk)
    assert Complaint.objects.get(pk=fast.pk).customer_id == two.pk
    assert CustomerIdentity.objects.get(value="13800138000").customer_id == two.pk
    # the database's own id sequence continues after the reserved ids
    later = Customer.objects.create(name="李娜", created_at=NOW)
    assert later.pk > two.pk


def test_rows_insert_refuses_a_mix_of_set_and_unset_keys_and_unsaved_relations():
    with transaction.atomic():
        saved = Customer(pk=ids_reserve(Customer, 1)[0], name="甲", created_at=NOW)
        with pytest.raises(ValueError):
            rows_insert(Customer, [saved, Customer(name="乙", created_at=NOW)])
        with pytest.raises(ValueError):
            rows_insert(
                CustomerIdentity,
                [CustomerIdentity(customer=Customer(name="丙", created_at=NOW), kind="phone", value="1")],
            )

"""Finding or creating the customer behind an intake, and searching customers."""

from __future__ import annotations

import pytest

from kesu.core.errors import FieldError
from kesu.customers.actions import CustomerHandles, customer_find_or_create
from kesu.customers.models import Customer, CustomerIdentity
from kesu.customers.selectors import customer_get, customer_search
from tests.factories import T0, make_complaint

pytestmark = pytest.mark.django_db


def test_a_new_customer_gets_every_handle():
    customer = customer_find_or_create(
        handles=CustomerHandles(
            name=" 张伟 ", phone="138-0013-8000", email="ZW@example.com", tier="vip", region="北京"
        ),
        now=T0,
    )

    assert (customer.name, customer.tier, customer.region, customer.created_at) == ("张伟", "vip", "北京", T0)
    assert set(customer.identities.values_list("kind", "value")) == {
        ("phone", "13800138000"),
        ("email", "zw@example.com"),
    }


def test_a_nameless_customer_is_named_after_their_handle():
    customer = customer_find_or_create(handles=CustomerHandles(phone="+86 139 1234 5678"), now=T0)

    assert customer.name == "13912345678"


@pytest.mark.parametrize(
    "handles",
    [
        CustomerHandles(phone="0086-138-0013-8000"),
        CustomerHandles(email="zw@EXAMPLE.com"),
        CustomerHandles(external_id="wx-1", phone="13800138000"),
    ],
)
def test_any_known_handle_finds_the_customer(handles):
    known = customer_find_or_create(
        handles=CustomerHandles(name="张伟", phone="13800138000", email="zw@example.com"), now=T0
    )

    assert customer_find_or_create(handles=handles, now=T0) == known
    assert Customer.objects.count() == 1


def test_new_handles_are_added_to_the_known_customer():
    known = customer_find_or_create(handles=CustomerHandles(name="张伟", phone="13800138000"), now=T0)

    customer_find_or_create(
        handles=CustomerHandles(phone="+86 138-0013-8000", email="new@example.com"), now=T0
    )

    assert set(known.identities.values_list("kind", "value")) == {
        ("phone", "13800138000"),
        ("email", "new@example.com"),
    }
    assert CustomerIdentity.objects.count() == 2


def test_bad_handles_are_refused_before_anything_is_written():
    with pytest.raises(FieldError):
        customer_find_or_create(handles=CustomerHandles(name="李", tier="platinum"), now=T0)
    with pytest.raises(FieldError):
        customer_find_or_create(handles=CustomerHandles(), now=T0)
    assert Customer.objects.count() == 0


def test_search_by_name_phone_fragment_and_email():
    zhang = make_complaint(customer=CustomerHandles(name="张伟", phone="13800138000")).customer
    li = make_complaint(customer=CustomerHandles(name="李娜", email="li.na@example.com")).customer

    assert list(customer_search(q="张")) == [zhang]
    assert list(customer_search(q="0013 8000")) == [zhang]
    assert list(customer_search(q="+86 138-0013-8000")) == [zhang]
    assert list(customer_search(q="LI.NA")) == [li]
    assert list(customer_search(q="")) == [li, zhang]  # newest first
    assert list(customer_search(q="无此人")) == []


def test_get_counts_complaints():
    complaint = make_complaint()
    make_complaint(customer_id=complaint.customer_id)

    customer = customer_get(customer_id=complaint.customer_id)

    assert customer.complaint_count == 2
    assert customer_get(customer_id=999999) is None

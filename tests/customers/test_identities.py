"""Normalising handles, so one phone written several ways is one identity. Pure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kesu.core.errors import FieldError
from kesu.customers.actions import CustomerHandles
from kesu.customers.identities import identity_normalise, phone_normalise


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138-0013-8000",
        "+86 13800138000",
        "+8613800138000",
        "0086 138 0013 8000",
        "008613800138000",
        "8613800138000",
        "(138) 0013-8000",
        " 13800138000\t",
    ],
)
def test_a_mainland_mobile_written_any_way_is_the_same(raw):
    assert phone_normalise(raw) == "13800138000"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("010-8888 6666", "01088886666"),  # a Beijing landline keeps its area code
        ("+86 10 8888 6666", "1088886666"),
        ("95588", "95588"),  # a short service number
        ("+852 9123 4567", "85291234567"),  # Hong Kong keeps its country code
    ],
)
def test_other_numbers(raw, expected):
    assert phone_normalise(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "1234", "+86", "1" * 21, "电话"])
def test_what_is_not_a_phone_is_refused_naming_phone(raw):
    with pytest.raises(FieldError) as raised:
        identity_normalise("phone", raw)
    assert raised.value.field == "phone"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Zhang.Wei@Example.COM", "zhang.wei@example.com"),
        ("  zw@example.com ", "zw@example.com"),
        ("用户@例子.公司", "用户@例子.公司"),
    ],
)
def test_email_is_trimmed_and_lower_cased(raw, expected):
    assert identity_normalise("email", raw) == expected


@pytest.mark.parametrize("raw", ["zw", "zw@", "@example.com", "zw@example", "z w@example.com", "a@b@c.com"])
def test_what_is_not_an_email_is_refused(raw):
    with pytest.raises(FieldError) as raised:
        identity_normalise("email", raw)
    assert raised.value.field == "email"


def test_external_id_keeps_its_case_but_not_surrounding_space():
    assert identity_normalise("external", "  wx-OpenID-ABC ") == "wx-OpenID-ABC"
    with pytest.raises(FieldError):
        identity_normalise("external", "x" * 255)


def test_unknown_kind_and_empty_value_are_refused():
    with pytest.raises(FieldError):
        identity_normalise("fax", "123456")
    with pytest.raises(FieldError):
        identity_normalise("email", "   ")


@given(
    st.from_regex(r"1[3-9]\d{9}", fullmatch=True),
    st.sampled_from(["", "+86 ", "+86", "0086 ", "86"]),
    st.sampled_from(["", " ", "-"]),
)
def test_any_spelling_of_a_mobile_normalises_to_its_eleven_digits(number, prefix, separator):
    spelled = prefix + separator.join([number[:3], number[3:7], number[7:]])

    assert phone_normalise(spelled) == number


def test_handles_list_their_normalised_identities():
    handles = CustomerHandles(
        name="张伟", phone="+86 138-0013-8000", email="ZW@Example.com", external_id="wx-1"
    )

    assert handles.identities() == [
        ("phone", "13800138000"),
        ("email", "zw@example.com"),
        ("external", "wx-1"),
    ]
    assert handles.check() == handles.identities()


def test_handles_check_names_every_bad_field():
    with pytest.raises(FieldError) as raised:
        CustomerHandles(phone="abc", email="nope", tier="gold").check()

    assert [field for field, _ in raised.value.errors] == ["phone", "email", "customer.tier"]


def test_handles_need_a_name_or_a_handle():
    with pytest.raises(FieldError) as raised:
        CustomerHandles(name="   ").check()
    assert raised.value.field == "customer"
    assert CustomerHandles(name="匿名").check() == []

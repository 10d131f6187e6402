"""Complaint numbers: KS-YYYY-NNNNNN, unique, sequential per year in Shanghai local time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kesu.complaints.models import Complaint, ComplaintSequence
from kesu.complaints.numbering import number_format, number_year, numbers_reserve
from tests.factories import T0, make_complaint


def test_number_format():
    assert number_format(2026, 1) == "KS-2026-000001"
    assert number_format(2027, 123456) == "KS-2027-123456"


@pytest.mark.parametrize(
    ("utc", "year"),
    [
        (datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC), 2026),  # 23:59:59 in Shanghai
        (datetime(2026, 12, 31, 16, 0, tzinfo=UTC), 2027),  # midnight in Shanghai
        (datetime(2026, 12, 31, 17, 0, tzinfo=UTC), 2027),
        (datetime(2027, 1, 1, 0, 0, tzinfo=UTC), 2027),
    ],
)
def test_the_year_is_the_local_year(utc, year):
    assert number_year(utc) == year


def test_a_complaint_at_17h_utc_on_new_years_eve_is_numbered_in_the_new_year(db):
    make_complaint(now=datetime(2026, 12, 31, 15, 0, tzinfo=UTC))

    complaint = make_complaint(now=datetime(2026, 12, 31, 17, 0, tzinfo=UTC))

    assert complaint.number == "KS-2027-000001"


def test_numbers_are_sequential_per_year(db):
    numbers = [make_complaint(now=T0).number for _ in range(3)]
    new_year = make_complaint(now=datetime(2027, 1, 5, tzinfo=UTC)).number
    late_2026 = make_complaint(now=datetime(2026, 6, 1, tzinfo=UTC)).number

    assert numbers == ["KS-2026-000001", "KS-2026-000002", "KS-2026-000003"]
    assert new_year == "KS-2027-000001"
    assert late_2026 == "KS-2026-000004"
    assert Complaint.objects.values("number").distinct().count() == 5


def test_a_rejected_create_does_not_use_a_number(db):
    from kesu.core.errors import FieldError

    make_complaint(now=T0)
    with pytest.raises(FieldError):
        make_complaint(now=T0, customer_id=98765)  # refused inside the intake transaction

    assert make_complaint(now=T0).number == "KS-2026-000002"


def test_reserve_hands_out_consecutive_blocks(db):
    assert list(numbers_reserve(year=2030)) == [1]
    assert list(numbers_reserve(year=2030, count=3)) == [2, 3, 4]
    assert list(numbers_reserve(year=2031, count=2)) == [1, 2]
    assert ComplaintSequence.objects.get(year=2030).last == 4

"""Burst detection: a burst over the same weekday and hour of the past 8 weeks becomes one suggestion
with one notification; a dismissed one does not come back; "declare from this" pre-fills the scope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kesu.incidents.actions import suggestion_dismiss
from kesu.incidents.bursts import BurstSettings, baseline_offsets, bursts_detect, upper_tail
from kesu.incidents.models import BurstSuggestion
from kesu.notifications.models import Notification
from tests.factories import T0
from tests.incidents.conftest import HOUR, broadband

pytestmark = pytest.mark.django_db

DISTRICT = "广东省深圳市南山区"
WEEK = timedelta(weeks=1)


def _baseline_and_burst(burst: int = 30):
    """2 broadband complaints per hour from the district at this weekday and hour over 8 weeks, then
    ``burst`` in the last hour."""
    for week in range(1, 9):
        for minute in (10, 40):
            broadband(now=T0 - week * WEEK - HOUR + timedelta(minutes=minute), product="宽带")
    for i in range(burst):
        broadband(now=T0 - HOUR + timedelta(minutes=1 + i), product="宽带")


def test_thirty_broadband_complaints_in_an_hour_over_two_an_hour_are_suggested_once(manager):
    _baseline_and_burst(30)

    result = bursts_detect(now=T0)

    assert len(result.created) == 1
    suggestion = result.created[0]
    assert suggestion.region == DISTRICT or suggestion.dimension == "product"
    assert suggestion.count >= 30 and suggestion.window == "hour"
    assert "宽带" in "".join(suggestion.words)
    assert Notification.objects.filter(recipient=manager, kind="incident_burst").count() == 1
    # the next run (5 minutes later) sees the same burst: no second suggestion, no second notice
    assert bursts_detect(now=T0 + timedelta(minutes=5)).created == []
    assert Notification.objects.filter(kind="incident_burst").count() == 1


def test_the_normal_rate_is_not_a_burst():
    _baseline_and_burst(2)
    assert bursts_detect(now=T0).created == []


def test_a_dismissed_suggestion_does_not_return_for_the_same_window(manager):
    _baseline_and_burst(30)
    (suggestion,) = bursts_detect(now=T0).created
    suggestion_dismiss(suggestion=suggestion, by=manager, now=T0 + timedelta(minutes=1))
    for minutes in (5, 10, 30):
        assert bursts_detect(now=T0 + timedelta(minutes=minutes)).created == []
    assert BurstSuggestion.objects.count() == 1


def test_the_upper_tail_uses_the_baseline_and_a_floor():
    expected, p = upper_tail(30, [2] * 8, 0.5)
    assert expected == 2 and p < 1e-15
    assert upper_tail(3, [2] * 8, 0.5)[1] > 0.1
    assert upper_tail(12, [0] * 8, 0.5)[1] < BurstSettings().alpha  # an empty baseline uses the floor
    assert upper_tail(12, [0, 20, 0, 20, 0, 20, 0, 20], 0.5)[1] > 0.1  # over-dispersed: negative binomial


def test_holidays_and_make_up_days_are_compared_with_days_of_their_own_kind():
    from datetime import date
    from zoneinfo import ZoneInfo

    from kesu.sla.calendar import WorkCalendar

    nine_to_six = ((9 * 60, 18 * 60),)
    cal = WorkCalendar(name="t", tz=ZoneInfo("Asia/Shanghai"), week=(nine_to_six,) * 5 + ((), ()),
                       holidays=frozenset({date(2026, 10, 5)}), workdays=frozenset({date(2026, 10, 10)}),
                       years=frozenset({2026}))
    # an ordinary Monday: the 8 Mondays before, except the holiday Monday 5 October
    offsets = baseline_offsets(cal, date(2026, 11, 2))
    assert timedelta(weeks=4) not in offsets and len(offsets) == 7
    # a holiday Monday: the 8 most recent days off
    days = [date(2026, 10, 5) - o for o in baseline_offsets(cal, date(2026, 10, 5))]
    assert all(d.weekday() >= 5 for d in days) and len(days) == 8
    # a make-up Saturday: the 8 most recent working days
    days = [date(2026, 10, 10) - o for o in baseline_offsets(cal, date(2026, 10, 10))]
    assert all(d.weekday() < 5 and d != date(2026, 10, 5) for d in days) and len(days) == 8


def test_declare_from_a_suggestion_prefills_the_scope(manager):
    from kesu.incidents.suggest import suggestion_scope

    _baseline_and_burst(30)
    (suggestion,) = bursts_detect(now=T0).created
    prefill = suggestion_scope(suggestion)
    assert DISTRICT in prefill["scope"]["regions"] or prefill["scope"]["products"]
    assert prefill["starts_at"] <= T0 - HOUR + timedelta(minutes=1)
    assert prefill["matching"] >= 30


def test_replaying_a_demo_year_with_its_weekday_peaks_suggests_at_most_one_false_burst_a_week():
    """The demo year has business-hour and weekday peaks but no incident: every suggestion is false.
    (A smaller year than `make demo`'s; bench/incidents.py replay measures the full one.)"""
    from kesu.demo.generator import demo_generate
    from tests.demo.conftest import NOW

    demo_generate(complaints=2000, seed=7, now=NOW)
    weeks = 2
    at = NOW - timedelta(weeks=weeks)
    while at < NOW:
        bursts_detect(now=at, notify_managers=False)
        at += timedelta(hours=1)
    assert BurstSuggestion.objects.count() <= weeks

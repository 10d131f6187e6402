"""Business-time maths (kesu.sla.calendar): worked examples, then properties checked by hypothesis.

No database: the default calendar is built here the way the data migration builds it, from the
``holidays`` package (China, 2025–2027), Monday–Friday 09:00–12:00 and 13:30–18:00 in Shanghai.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kesu.sla.calendar import (
    CalendarError,
    CalendarNotCovered,
    WorkCalendar,
    calendar_always,
    hhmm_minutes,
    is_working_time,
    periods_on,
    periods_parse,
    week_parse,
    working_add,
    working_next,
    working_seconds,
)
from kesu.sla.schedules import schedule_read

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
DAY = ((540, 720), (810, 1080))  # 09:00–12:00, 13:30–18:00: 450 working minutes
WEEK = (DAY,) * 5 + ((), ())
YEARS = (2025, 2026, 2027)
_schedules = [schedule_read("CN", year) for year in YEARS]
DEFAULT = WorkCalendar(
    name="default", tz=SH, week=WEEK,
    holidays=frozenset(d for s in _schedules for d in s.holidays),
    workdays=frozenset(d for s in _schedules for d in s.workdays),
    years=frozenset(YEARS), country="CN",
)
MINUTE = 60



@pytest.fixture(autouse=True)
def _english():
    """The calendar's refusals are read here as an English reader reads them (each also has its id)."""
    with translation.override("en"):
        yield

def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def berlin(*args, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=BERLIN, fold=fold)


# --- worked examples on the default calendar -----------------------------------------------------


def test_twenty_minutes_before_lunch_end_twenty_minutes_after_it():
    # 11:50 + 20 min: 10 min before the break, 10 after 13:30
    assert working_add(DEFAULT, sh(2026, 3, 2, 11, 50), 20 * MINUTE) == sh(2026, 3, 2, 13, 40)


def test_landing_on_the_end_of_a_period_returns_that_end_not_the_next_start():
    assert working_add(DEFAULT, sh(2026, 3, 2, 11, 40), 20 * MINUTE) == sh(2026, 3, 2, 12, 0)
    assert working_add(DEFAULT, sh(2026, 3, 2, 17, 0), 60 * MINUTE) == sh(2026, 3, 2, 18, 0)


def test_overnight_continues_the_next_morning():
    assert working_add(DEFAULT, sh(2026, 3, 2, 17, 50), 20 * MINUTE) == sh(2026, 3, 3, 9, 10)


def test_friday_evening_continues_on_monday():
    # 2026-03-06 is a Friday
    assert working_add(DEFAULT, sh(2026, 3, 6, 17, 50), 20 * MINUTE) == sh(2026, 3, 9, 9, 10)
    assert working_seconds(DEFAULT, sh(2026, 3, 6, 17, 50), sh(2026, 3, 9, 9, 10)) == 20 * MINUTE


def test_counting_starts_at_the_next_working_instant():
    assert working_add(DEFAULT, sh(2026, 3, 2, 7, 0), 30 * MINUTE) == sh(2026, 3, 2, 9, 30)
    assert working_add(DEFAULT, sh(2026, 3, 2, 12, 30), 30 * MINUTE) == sh(2026, 3, 2, 14, 0)
    assert working_add(DEFAULT, sh(2026, 3, 7, 10, 0), 30 * MINUTE) == sh(2026, 3, 9, 9, 30)  # Saturday


def test_working_next():
    assert working_next(DEFAULT, sh(2026, 3, 2, 10, 15)) == sh(2026, 3, 2, 10, 15)
    assert working_next(DEFAULT, sh(2026, 3, 2, 12, 0)) == sh(2026, 3, 2, 13, 30)
    assert working_next(DEFAULT, sh(2026, 3, 2, 18, 0)) == sh(2026, 3, 3, 9, 0)
    assert working_next(DEFAULT, sh(2026, 3, 7, 10, 0)) == sh(2026, 3, 9, 9, 0)
    assert working_add(DEFAULT, sh(2026, 3, 2, 12, 0), 0) == sh(2026, 3, 2, 13, 30)


def test_results_are_in_the_calendars_zone_whatever_the_zone_of_the_input():
    start = datetime(2026, 3, 2, 3, 50, tzinfo=UTC)  # 11:50 in Shanghai
    result = working_add(DEFAULT, start, 20 * MINUTE)
    assert result == sh(2026, 3, 2, 13, 40)
    assert result.utcoffset() == timedelta(hours=8)
    assert result.isoformat() == "2026-03-02T13:40:00+08:00"


def test_is_working_time_includes_the_start_excludes_the_end_of_a_period():
    assert is_working_time(DEFAULT, sh(2026, 3, 2, 9, 0))
    assert is_working_time(DEFAULT, sh(2026, 3, 2, 11, 59, 59))
    assert not is_working_time(DEFAULT, sh(2026, 3, 2, 12, 0))
    assert not is_working_time(DEFAULT, sh(2026, 3, 2, 8, 59, 59))
    assert not is_working_time(DEFAULT, sh(2026, 3, 7, 10, 0))  # Saturday


def test_national_day_week_2026():
    # Official schedule: Oct 1–3, 5, 6, 7 off (Oct 4 is a Sunday); make-up working days Sunday
    # 2026-09-20 and Saturday 2026-10-10; Mid-Autumn Festival Friday 2026-09-25 off.
    for day in (1, 2, 3, 5, 6, 7):
        assert periods_on(DEFAULT, date(2026, 10, day)) == ()
    assert periods_on(DEFAULT, date(2026, 9, 20)) == DAY
    assert periods_on(DEFAULT, date(2026, 10, 10)) == DAY
    assert periods_on(DEFAULT, date(2026, 9, 25)) == ()
    assert periods_on(DEFAULT, date(2026, 10, 8)) == DAY
    # Wednesday 2026-09-30 16:00 + 2400 working minutes (450 a day):
    #   Wed 09-30 16:00–18:00          120   (2280 left)
    #   Thu 10-01 … Wed 10-07           0   holidays and the Sunday
    #   Thu 10-08                     450   (1830 left)
    #   Fri 10-09                     450   (1380 left)
    #   Sat 10-10 make-up working day 450   (930 left)
    #   Sun 10-11                       0
    #   Mon 10-12                     450   (480 left)
    #   Tue 10-13                     450   (30 left)
    #   Wed 10-14 09:00 + 30          → 09:30
    start = sh(2026, 9, 30, 16, 0)
    assert working_add(DEFAULT, start, 2400 * MINUTE) == sh(2026, 10, 14, 9, 30)
    assert working_seconds(DEFAULT, start, sh(2026, 10, 14, 9, 30)) == 2400 * MINUTE


def test_make_up_sunday_before_national_day_is_a_working_day():
    # Saturday 2026-09-19 17:00 → the make-up Sunday 2026-09-20 at 10:00
    assert working_add(DEFAULT, sh(2026, 9, 19, 17, 0), 60 * MINUTE) == sh(2026, 9, 20, 10, 0)
    # Friday 2026-10-09 17:30 + 60 → make-up Saturday 2026-10-10 09:30
    assert working_add(DEFAULT, sh(2026, 10, 9, 17, 30), 60 * MINUTE) == sh(2026, 10, 10, 9, 30)


def test_working_seconds_examples():
    assert working_seconds(DEFAULT, sh(2026, 3, 2, 9, 0), sh(2026, 3, 2, 18, 0)) == 450 * MINUTE
    assert working_seconds(DEFAULT, sh(2026, 3, 2, 11, 0), sh(2026, 3, 2, 14, 0)) == 90 * MINUTE
    assert working_seconds(DEFAULT, sh(2026, 3, 2, 9, 0), sh(2026, 3, 9, 9, 0)) == 5 * 450 * MINUTE
    assert working_seconds(DEFAULT, sh(2026, 3, 2, 14, 0), sh(2026, 3, 2, 11, 0)) == 0
    assert working_seconds(DEFAULT, sh(2026, 3, 2, 14, 0), sh(2026, 3, 2, 14, 0)) == 0
    # whole seconds: both bounds are truncated to the second
    assert working_seconds(DEFAULT, sh(2026, 3, 2, 9, 0, 0, 900_000), sh(2026, 3, 2, 9, 0, 2, 100_000)) == 2


def test_microseconds_are_kept_by_working_add():
    start = sh(2026, 3, 2, 11, 59, 59, 500_000)
    assert working_add(DEFAULT, start, 1) == sh(2026, 3, 2, 13, 30, 0, 500_000)


def test_a_year_without_entered_holidays_is_refused_with_the_command_that_fixes_it():
    with pytest.raises(CalendarNotCovered) as error:
        working_add(DEFAULT, sh(2028, 3, 1, 9, 0), 60)
    assert error.value.code == "calendar.not_covered_import"
    assert str(error.value) == (
        "Calendar default has no holidays entered for 2028; "
        "import them with `kesu calendar import --country CN --year 2028 --calendar default`."
    )
    assert error.value.year == 2028 and error.value.calendar == "default"
    # running off the end of the covered years is refused too, not silently wrong
    with pytest.raises(CalendarNotCovered, match="2028"):
        working_add(DEFAULT, sh(2027, 12, 31, 9, 0), 3 * 450 * MINUTE)
    with pytest.raises(CalendarNotCovered, match="2024"):
        working_seconds(DEFAULT, sh(2024, 12, 31, 9, 0), sh(2025, 1, 2, 9, 0))
    with pytest.raises(CalendarNotCovered, match="2028"):
        periods_on(DEFAULT, date(2028, 1, 3))
    # ending exactly at midnight of the uncovered year needs nothing of it
    assert working_seconds(DEFAULT, sh(2027, 12, 31, 17, 0), sh(2028, 1, 1, 0, 0)) == 60 * MINUTE


def test_a_calendar_without_a_country_says_to_enter_the_holidays_by_hand():
    cal = WorkCalendar(name="branch", tz=SH, week=WEEK, years=frozenset({2026}))
    with pytest.raises(CalendarNotCovered, match="Calendar branch has no holidays entered for 2027; enter them"):
        working_add(cal, sh(2027, 1, 4, 9, 0), 60)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: working_add(DEFAULT, datetime(2026, 3, 2, 9, 0), 60), "start"),  # noqa: DTZ001
        (lambda: working_seconds(DEFAULT, sh(2026, 3, 2, 9, 0), datetime(2026, 3, 3, 9, 0)), "end"),  # noqa: DTZ001
        (lambda: working_seconds(DEFAULT, datetime(2026, 3, 2, 9, 0), sh(2026, 3, 3, 9, 0)), "start"),  # noqa: DTZ001
        (lambda: is_working_time(DEFAULT, datetime(2026, 3, 2, 9, 0)), "at"),  # noqa: DTZ001
        (lambda: working_next(DEFAULT, datetime(2026, 3, 2, 9, 0)), "at"),  # noqa: DTZ001
    ],
)
def test_naive_datetimes_are_refused_naming_the_argument(call, argument):
    with pytest.raises(CalendarError, match=rf"^{argument}: 2026-03-0\dT09:00:00 has no time zone"):
        call()


def test_bad_seconds_are_refused():
    with pytest.raises(CalendarError, match=r"seconds, 0 or more \(got -60\)"):
        working_add(DEFAULT, sh(2026, 3, 2, 9, 0), -60)
    with pytest.raises(CalendarError, match=r"Expected a whole number of seconds, 0 or more \(got 1.5\)"):
        working_add(DEFAULT, sh(2026, 3, 2, 9, 0), 1.5)


# --- building calendars ---------------------------------------------------------------------------


def test_an_empty_week_is_refused():
    with pytest.raises(CalendarError, match="Calendar idle has no working period in its week"):
        WorkCalendar(name="idle", tz=SH, week=((),) * 7)


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ((DAY,) * 6, "a week has 7 days"),
        ((DAY, ((720, 540),), (), (), (), (), ()), r"Tuesday period 1 \(12:00–09:00\): the start must be before the end"),
        ((DAY, (), ((540, 720), (700, 800)), (), (), (), ()), r"Wednesday period 2 \(11:40–13:20\): overlaps"),
        ((DAY, (), (), ((810, 1080), (540, 720)), (), (), ()), r"Thursday period 2 \(09:00–12:00\): overlaps"),
        ((DAY, (), (), (), ((540, 1500),), (), ()), r"Friday period 1 \(09:00–25:00\): times must lie between"),
    ],
)
def test_a_bad_week_is_refused_naming_the_day_and_the_period(week, message):
    with pytest.raises(CalendarError, match=message):
        WorkCalendar(name="bad", tz=SH, week=week)


def test_a_day_cannot_be_both_a_holiday_and_a_make_up_day():
    with pytest.raises(CalendarError, match="2026-10-10 cannot be both"):
        WorkCalendar(name="x", tz=SH, week=WEEK, holidays=frozenset({date(2026, 10, 10)}),
                     workdays=frozenset({date(2026, 10, 10)}))


def test_make_up_days_use_the_first_working_weekday_unless_told_otherwise():
    week = ((), ((600, 660),), ((540, 1080),), (), (), (), ())
    saturday = date(2026, 3, 7)
    cal = WorkCalendar(name="x", tz=SH, week=week, workdays=frozenset({saturday}), years=frozenset({2026}))
    assert periods_on(cal, saturday) == ((600, 660),)
    own = WorkCalendar(name="x", tz=SH, week=week, workdays=frozenset({saturday}), years=frozenset({2026}),
                       makeup_periods=((480, 720),))
    assert periods_on(own, saturday) == ((480, 720),)
    assert working_add(own, sh(2026, 3, 6, 23, 0), 60 * MINUTE) == sh(2026, 3, 7, 9, 0)


def test_touching_periods_count_as_one_stretch():
    cal = WorkCalendar(name="x", tz=SH, week=(((540, 720), (720, 900)),) * 7, years=frozenset({2026}))
    assert working_add(cal, sh(2026, 3, 2, 11, 0), 120 * MINUTE) == sh(2026, 3, 2, 13, 0)
    assert working_seconds(cal, sh(2026, 3, 2, 0, 0), sh(2026, 3, 3, 0, 0)) == 360 * MINUTE


def test_the_stored_week_format():
    assert week_parse([[["09:00", "12:00"], ["13:30", "18:00"]]] * 5 + [[], []]) == WEEK
    assert hhmm_minutes("24:00", "x") == 1440
    assert periods_parse([["22:00", "24:00"]], "Sunday") == ((1320, 1440),)
    with pytest.raises(CalendarError, match=r"^Tuesday period 2 \(13:30–12:00\): the start must be before the end.$"):
        week_parse([[["09:00", "12:00"]], [["09:00", "12:00"], ["13:30", "12:00"]], [], [], [], [], []])
    with pytest.raises(CalendarError, match=r"^Monday period 1 \(9h–12:00\): 9h is not a time like 09:30.$"):
        week_parse([[["9h", "12:00"]], [], [], [], [], [], []])
    with pytest.raises(CalendarError, match=r"24:30 is not a time between 00:00 and 24:00"):
        periods_parse([["09:00", "24:30"]], "Monday")
    with pytest.raises(CalendarError, match=r"^Friday period 1 \(09:00\): enter a pair"):
        periods_parse([["09:00"]], "Friday")
    with pytest.raises(CalendarError, match="The week needs 7 lists"):
        week_parse([[]] * 6)
    with pytest.raises(CalendarError, match="The week has no working period on any day"):
        week_parse([[]] * 7)


# --- around the clock and DST ------------------------------------------------------------------------


def test_around_the_clock_counts_real_minutes_across_a_dst_switch_and_any_year():
    always = calendar_always(BERLIN)
    # 2026-03-29 02:00 CET the clocks jump to 03:00 CEST: 01:45 + 30 real minutes = 03:15 CEST
    result = working_add(always, berlin(2026, 3, 29, 1, 45), 30 * MINUTE)
    assert result == berlin(2026, 3, 29, 3, 15)
    assert result.astimezone(UTC) - berlin(2026, 3, 29, 1, 45).astimezone(UTC) == timedelta(minutes=30)
    assert working_seconds(always, berlin(2026, 3, 29, 0, 0), berlin(2026, 3, 30, 0, 0)) == 23 * 3600
    assert working_add(calendar_always(SH), sh(2099, 5, 1, 23, 50), 30 * MINUTE) == sh(2099, 5, 2, 0, 20)
    assert is_working_time(always, berlin(2031, 12, 25, 3, 0))


BERLIN_OFFICE = WorkCalendar(
    name="berlin", tz=BERLIN, week=(((540, 1020),),) * 5 + ((), ()), years=frozenset({2025, 2026, 2027}),
    country="DE",
)


def test_office_hours_keep_their_wall_clock_across_the_spring_switch():
    # Friday 2026-03-27 16:00 CET + 2 working hours → Monday 2026-03-30 10:00 CEST (not 11:00)
    result = working_add(BERLIN_OFFICE, berlin(2026, 3, 27, 16, 0), 2 * 3600)
    assert result == berlin(2026, 3, 30, 10, 0)
    assert result.utcoffset() == timedelta(hours=2)
    assert working_seconds(BERLIN_OFFICE, berlin(2026, 3, 27, 16, 0), result) == 2 * 3600


def test_office_hours_keep_their_wall_clock_across_the_autumn_switch():
    result = working_add(BERLIN_OFFICE, berlin(2026, 10, 23, 16, 0), 2 * 3600)
    assert result == berlin(2026, 10, 26, 10, 0)
    assert result.utcoffset() == timedelta(hours=1)


WALL_DAY = WorkCalendar(name="wall", tz=BERLIN, week=(((0, 1440),),) * 7, years=frozenset({2026}))


def test_a_whole_wall_clock_day_lasts_23_or_25_real_hours_on_switch_days():
    assert working_seconds(WALL_DAY, berlin(2026, 3, 29, 0, 0), berlin(2026, 3, 30, 0, 0)) == 23 * 3600
    assert working_seconds(WALL_DAY, berlin(2026, 10, 25, 0, 0), berlin(2026, 10, 26, 0, 0)) == 25 * 3600
    # three real hours after midnight on the spring day the wall clock shows 04:00
    assert working_add(WALL_DAY, berlin(2026, 3, 29, 0, 0), 3 * 3600) == berlin(2026, 3, 29, 4, 0)


def test_a_period_bound_in_the_spring_gap_is_reached_when_the_clock_jumps():
    # 02:30–04:00 on 2026-03-29: 02:30 never shows; work starts at 03:00 CEST, lasts one real hour
    cal = WorkCalendar(name="night", tz=BERLIN, week=(((150, 240),),) * 7, years=frozenset({2026}))
    assert working_next(cal, berlin(2026, 3, 29, 0, 0)) == berlin(2026, 3, 29, 3, 0)
    assert working_seconds(cal, berlin(2026, 3, 29, 0, 0), berlin(2026, 3, 30, 0, 0)) == 3600
    assert working_seconds(cal, berlin(2026, 3, 28, 0, 0), berlin(2026, 3, 29, 0, 0)) == 90 * MINUTE


def test_a_period_inside_the_spring_gap_does_not_happen_that_day():
    cal = WorkCalendar(name="night", tz=BERLIN, week=(((130, 150), (600, 660)),) * 7, years=frozenset({2026}))
    assert working_next(cal, berlin(2026, 3, 29, 0, 0)) == berlin(2026, 3, 29, 10, 0)
    assert working_add(cal, berlin(2026, 3, 29, 0, 0), 60) == berlin(2026, 3, 29, 10, 1)
    assert working_seconds(cal, berlin(2026, 3, 29, 0, 0), berlin(2026, 3, 30, 0, 0)) == 3600


def test_an_ambiguous_period_start_is_its_first_occurrence():
    # 02:00–03:00 on 2026-10-25: from the first 02:00 (CEST) to 03:00 (CET): two real hours
    cal = WorkCalendar(name="night", tz=BERLIN, week=(((120, 180),),) * 7, years=frozenset({2026}))
    first = working_next(cal, berlin(2026, 10, 25, 0, 0))
    assert first.astimezone(UTC) == datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 02:00 CEST
    assert working_seconds(cal, berlin(2026, 10, 25, 0, 0), berlin(2026, 10, 26, 0, 0)) == 2 * 3600
    assert is_working_time(cal, berlin(2026, 10, 25, 2, 30, fold=1))


# --- properties ----------------------------------------------------------------------------------------

NIGHT_SHIFTS = WorkCalendar(  # periods around the 02:00–03:00 switch hour, to stress the DST handling
    name="shifts", tz=BERLIN,
    week=(((0, 150), (170, 200), (480, 1440)),) * 5 + (((120, 180), (600, 720)), ((150, 240), (1200, 1440))),
    holidays=frozenset({date(2026, 10, 3), date(2026, 12, 25)}), workdays=frozenset({date(2026, 3, 28)}),
    years=frozenset({2025, 2026, 2027}),
)
CALENDARS = {"default": DEFAULT, "berlin": BERLIN_OFFICE, "shifts": NIGHT_SHIFTS}

calendars = st.sampled_from(sorted(CALENDARS)).map(CALENDARS.get)
instants = st.datetimes(
    min_value=datetime(2025, 1, 2), max_value=datetime(2027, 6, 30),  # noqa: DTZ001 - made aware just below
    timezones=st.just(UTC),
)
# seconds of working time: up to ~20 working days of the default calendar, biased to whole minutes
amounts = st.one_of(st.integers(0, 20 * 450 * 60), st.integers(0, 20 * 450).map(lambda m: m * 60))


def at_period_end(cal: WorkCalendar, at: datetime) -> bool:
    local = at.astimezone(cal.tz)
    for day in (local.date(), local.date() - timedelta(days=1)):
        for _start, end in periods_on(cal, day):
            end_day, end_minute = (day + timedelta(days=1), 0) if end == 1440 else (day, end)
            wall = datetime.combine(end_day, time(end_minute // 60, end_minute % 60), tzinfo=cal.tz)
            if wall.astimezone(UTC) == at.astimezone(UTC):  # same-zone comparison would ignore fold
                return True
    return False


@settings(max_examples=300, deadline=None)
@given(cal=calendars, start=instants, n=amounts)
def test_the_working_time_added_is_the_working_time_counted(cal, start, n):
    end = working_add(cal, start, n)
    assert working_seconds(cal, start, end) == n
    assert end >= start
    assert end.tzinfo is cal.tz


@settings(max_examples=300, deadline=None)
@given(cal=calendars, start=instants, n=amounts)
def test_a_result_is_working_time_or_the_end_of_a_period(cal, start, n):
    end = working_add(cal, start, n)
    assert is_working_time(cal, end) or at_period_end(cal, end)
    if n > 0:
        assert at_period_end(cal, end) or is_working_time(cal, end - timedelta(microseconds=1))


@settings(max_examples=300, deadline=None)
@given(cal=calendars, s1=instants, s2=instants, n1=amounts, n2=amounts)
def test_working_add_is_monotonic(cal, s1, s2, n1, n2):
    s1, s2 = min(s1, s2), max(s1, s2)
    n1, n2 = min(n1, n2), max(n1, n2)
    assert working_add(cal, s1, n1) <= working_add(cal, s2, n1)
    assert working_add(cal, s1, n1) <= working_add(cal, s1, n2)
    assert working_seconds(cal, s1, s2) <= working_seconds(cal, s1, working_add(cal, s2, n1))


@settings(max_examples=300, deadline=None)
@given(cal=calendars, start=instants, a=amounts, b=amounts)
def test_adding_in_two_steps_is_adding_once(cal, start, a, b):
    # b = 0 is the one exception: a first step landing on 12:00 then "+0" moves on to 13:30
    assume(b > 0)
    assert working_add(cal, working_add(cal, start, a), b).astimezone(UTC) == working_add(cal, start, a + b).astimezone(UTC)


@settings(max_examples=300, deadline=None)
@given(cal=calendars, points=st.lists(instants, min_size=3, max_size=3))
def test_working_seconds_adds_up_over_a_split_point(cal, points):
    a, b, c = sorted(points)
    assert working_seconds(cal, a, c) == working_seconds(cal, a, b) + working_seconds(cal, b, c)
    assert working_seconds(cal, c, a) == 0


@settings(max_examples=300, deadline=None)
@given(cal=calendars, start=instants)
def test_working_next_is_the_first_working_instant(cal, start):
    # instants are compared in UTC: Python never finds a time in a DST fold (fold=1) equal to one in
    # another zone (PEP 495), although they are the same instant
    nxt = working_next(cal, start).astimezone(UTC)
    assert nxt >= start and is_working_time(cal, nxt)
    assert working_seconds(cal, start, nxt) == 0
    assert (nxt == start.astimezone(UTC)) == is_working_time(cal, start)
    assert working_add(cal, start, 0).astimezone(UTC) == nxt


def oracle_minutes(cal: WorkCalendar, start: datetime, end: datetime) -> int:
    """Working minutes in [start, end) by looking at the wall clock of every real minute."""
    count, t = 0, start.astimezone(UTC)  # step in real time: aware arithmetic in one zone is wall time
    while t < end:
        local = t.astimezone(cal.tz)
        minute = local.hour * 60 + local.minute
        count += any(s <= minute < e for s, e in periods_on(cal, local.date()))
        t += timedelta(minutes=1)
    return count


@settings(max_examples=150, deadline=None)
@given(
    cal=st.sampled_from([DEFAULT, BERLIN_OFFICE]),
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 20), timezones=st.just(UTC)),  # noqa: DTZ001
    minutes=st.integers(0, 5 * 24 * 60),
)
def test_working_seconds_agrees_with_a_minute_by_minute_count(cal, start, minutes):
    start = start.replace(second=0, microsecond=0)
    end = start + timedelta(minutes=minutes)
    assert working_seconds(cal, start, end) == oracle_minutes(cal, start, end) * 60


def test_the_dst_switch_weekends_agree_with_the_minute_by_minute_count():
    spring, autumn = datetime(2026, 3, 27, 22, 0, tzinfo=UTC), datetime(2026, 10, 23, 22, 0, tzinfo=UTC)
    for cal, start in ((WALL_DAY, spring), (WALL_DAY, autumn), (BERLIN_OFFICE, spring), (BERLIN_OFFICE, autumn),
                       (NIGHT_SHIFTS, spring)):
        end = start + timedelta(days=4)
        assert working_seconds(cal, start, end) == oracle_minutes(cal, start, end) * 60, cal.name


def test_a_period_starting_in_the_repeated_hour_runs_from_its_first_occurrence():
    # 02:30–04:00 on 2026-10-25 runs from 02:30 CEST to 04:00 CET: 2.5 real hours, like a night
    # shift; the minute-by-minute wall-clock count would leave out 02:00–02:30 CET (2 hours)
    cal = WorkCalendar(name="night", tz=BERLIN, week=(((150, 240),),) * 7, years=frozenset({2026}))
    day = (berlin(2026, 10, 25, 0, 0), berlin(2026, 10, 26, 0, 0))
    assert working_seconds(cal, *day) == 150 * MINUTE
    assert oracle_minutes(cal, *day) == 120

"""Business-time maths on a working calendar: pure, no Django, no clock.

A ``WorkCalendar`` says when work happens: working periods per weekday in local wall time
(lunch break = two periods), holidays (days off), make-up working days (调休) and the years whose
holidays are entered. Every computation runs in the calendar's zone:

* a period ``(start, end)`` of a day runs from the instant its start is first reached on the
  wall clock to the instant its end is first reached. On a day with a DST switch a period keeps
  its wall-clock bounds, so it lasts an hour less or more in real time; a bound that falls in the
  spring-forward gap is reached when the clock jumps past it; an ambiguous bound (autumn) is its
  first occurrence.
* working time is counted in real elapsed time inside those periods.

Each day's periods are turned into instants (integer microseconds since the epoch) once and
cached on the calendar, so ``working_add`` is a walk over a few cached tuples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from kesu.core.errors import DomainError
from kesu.core.messages import Message, given

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _where(where) -> Message | str:
    """Where in a calendar a problem is — a weekday or the make-up day — as a message (worded when shown)."""
    if where in WEEKDAYS:
        return Message(f"calendar.day.{WEEKDAYS.index(where)}")
    if where == "make-up day":
        return Message("calendar.makeup_day")
    return where
DAY_MINUTES = 24 * 60

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = 1_000_000
_ONE_US = timedelta(microseconds=1)
_ONE_DAY = timedelta(days=1)
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")

Periods = tuple[tuple[int, int], ...]


class CalendarError(DomainError, ValueError):
    """A calendar or an argument of the maths is wrong; the message names the problem."""


class CalendarNotCovered(CalendarError):
    """The maths reached a day of a year whose holidays are not entered."""

    def __init__(self, *, calendar: str, year: int, country: str = "") -> None:
        if country:
            super().__init__("calendar.not_covered_import", calendar=calendar, year=year, country=country)
        else:
            super().__init__("calendar.not_covered", calendar=calendar, year=year)
        self.calendar = calendar
        self.year = year


def minutes_hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _periods_check(periods, where: str) -> Periods:
    """``periods`` as a sorted tuple of ``(start, end)`` minutes, or CalendarError naming ``where`` and the pair."""
    try:
        pairs = tuple((int(start), int(end)) for start, end in periods)
    except (TypeError, ValueError) as error:
        raise CalendarError("calendar.minute_pairs", where=_where(where), got=given(periods)) from error
    previous_end = 0
    for number, (start, end) in enumerate(pairs, 1):
        label = Message("calendar.period", where=_where(where), number=number,
                        period=f"{minutes_hhmm(start)}–{minutes_hhmm(end)}")
        if not (0 <= start < DAY_MINUTES and 0 < end <= DAY_MINUTES):
            raise CalendarError("calendar.period_bounds", label=label)
        if start >= end:
            raise CalendarError("calendar.period_order", label=label)
        if start < previous_end:
            raise CalendarError("calendar.period_overlap", label=label)
        previous_end = end
    return pairs


def _aware(value, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise CalendarError("calendar.not_datetime", name=name, got=given(value))
    if value.tzinfo is None or value.utcoffset() is None:
        raise CalendarError("calendar.naive", name=name, value=value.isoformat())
    return value


@dataclass(frozen=True)
class WorkCalendar:
    name: str
    tz: ZoneInfo
    week: tuple[tuple[tuple[int, int], ...], ...]
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    makeup_periods: tuple[tuple[int, int], ...] = ()
    years: frozenset[int] = frozenset()
    around_the_clock: bool = False
    country: str = ""  # the `holidays` package country its holidays come from; only used in messages
    # day ordinal -> that day's working periods as (start, end) microseconds since the epoch
    _plans: dict[int, tuple[tuple[int, int], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if not isinstance(self.tz, tzinfo):
            raise CalendarError("calendar.tz", calendar=self.name, got=given(self.tz))
        if len(self.week) != 7:
            raise CalendarError("calendar.week_days", calendar=self.name, got=len(self.week))
        week = tuple(_periods_check(periods, WEEKDAYS[i]) for i, periods in enumerate(self.week))
        if not any(week):
            raise CalendarError("calendar.no_working_period", calendar=self.name)
        makeup = _periods_check(self.makeup_periods, "make-up day") or next(p for p in week if p)
        holidays, workdays = frozenset(self.holidays), frozenset(self.workdays)
        both = holidays & workdays
        if both:
            listed = [d.isoformat() for d in sorted(both)]
            raise CalendarError("calendar.holiday_and_workday", calendar=self.name, days=listed)
        object.__setattr__(self, "week", week)
        object.__setattr__(self, "makeup_periods", makeup)
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "workdays", workdays)
        object.__setattr__(self, "years", frozenset(self.years))


def calendar_always(tz: ZoneInfo, name: str = "24x7") -> WorkCalendar:
    """Every instant is working time (the red channel's 30 minutes); no holidays, no coverage check."""
    return WorkCalendar(name=name, tz=tz, week=(((0, DAY_MINUTES),),) * 7, around_the_clock=True)


def _covered(cal: WorkCalendar, day: date) -> None:
    if day.year not in cal.years:
        raise CalendarNotCovered(calendar=cal.name, year=day.year, country=cal.country)


def periods_on(cal: WorkCalendar, day: date) -> tuple[tuple[int, int], ...]:
    """The working periods of ``day`` in local minutes; ``()`` on a day off."""
    if isinstance(day, datetime) or not isinstance(day, date):
        raise CalendarError("calendar.not_date", got=given(day))
    if cal.around_the_clock:
        return ((0, DAY_MINUTES),)
    _covered(cal, day)
    if day in cal.holidays:
        return ()
    if day in cal.workdays:
        return cal.makeup_periods
    return cal.week[day.weekday()]


def _micros(at: datetime) -> int:
    return (at - _EPOCH) // _ONE_US


def _instant(micros: int, tz) -> datetime:
    return (_EPOCH + timedelta(microseconds=micros)).astimezone(tz)


def _first_reached(day: date, minute: int, tz) -> int:
    """The first instant (µs) at which the wall clock of ``tz`` shows ``minute`` of ``day`` or later."""
    if minute == DAY_MINUTES:
        day, minute = day + _ONE_DAY, 0
    wall = datetime.combine(day, time(minute // 60, minute % 60))
    at = wall.replace(tzinfo=tz)  # fold=0: the first occurrence of an ambiguous time
    micros = _micros(at)
    if _instant(micros, tz).replace(tzinfo=None) == wall:
        return micros
    # ``wall`` does not exist (spring-forward gap): find the jump, to the second, between the
    # instant read with the offset after the switch (before the jump) and the one read before it.
    low, high = _micros(at.replace(fold=1)) // _US, micros // _US
    if low > high:
        low, high = high, low
    while low < high:
        middle = (low + high) // 2
        if _instant(middle * _US, tz).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle + 1
    return low * _US


def _plan(cal: WorkCalendar, ordinal: int) -> tuple[tuple[int, int], ...]:
    """The working periods of the day ``ordinal`` as instants; cached on the calendar."""
    plan = cal._plans.get(ordinal)
    if plan is None:
        day = date.fromordinal(ordinal)
        instants = []
        for start, end in periods_on(cal, day):  # _first_reached keeps their order; a period inside
            a = _first_reached(day, start, cal.tz)  # the spring-forward gap has no length at all
            b = _first_reached(day, end, cal.tz)
            if b > a:
                instants.append((a, b))
        plan = cal._plans[ordinal] = tuple(instants)
    return plan


def _local_ordinal(micros: int, tz) -> int:
    return _instant(micros, tz).toordinal()


def is_working_time(cal: WorkCalendar, at: datetime) -> bool:
    _aware(at, "at")
    if cal.around_the_clock:
        return True
    t = _micros(at)
    return any(a <= t < b for a, b in _plan(cal, at.astimezone(cal.tz).toordinal()))


def working_next(cal: WorkCalendar, at: datetime) -> datetime:
    """``at`` (in the calendar's zone) if it is working time, else the start of the next working period."""
    _aware(at, "at")
    return working_add(cal, at, 0)


def working_add(cal: WorkCalendar, start: datetime, seconds: int) -> datetime:
    """The instant ``seconds`` of working time after ``start``, in the calendar's zone.

    Counting starts at ``working_next(start)``; a result that lands exactly on the end of a period
    is that end (12:00, not 13:30), so ``working_add(start, 0)`` is ``working_next(start)``.
    """
    _aware(start, "start")
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise CalendarError("calendar.seconds", got=given(seconds))
    if seconds < 0:
        raise CalendarError("calendar.seconds", got=seconds)
    tz = cal.tz
    if cal.around_the_clock:
        return (start.astimezone(UTC) + timedelta(seconds=seconds)).astimezone(tz)  # real time, not wall time
    t = _micros(start)
    ordinal = start.astimezone(tz).toordinal()
    remaining = seconds * _US
    plans = cal._plans
    while True:
        plan = plans.get(ordinal)
        if plan is None:
            plan = _plan(cal, ordinal)
        for a, b in plan:
            if b <= t:
                continue
            if a > t:
                t = a
            available = b - t
            if remaining <= available:
                return _instant(t + remaining, tz)
            remaining -= available
            t = b
        ordinal += 1


def working_seconds(cal: WorkCalendar, start: datetime, end: datetime) -> int:
    """Whole seconds of working time in ``[start, end)``; 0 if ``end <= start``.

    Both bounds are first truncated to the whole second, so the count is exact and additive:
    ``working_seconds(a, c) == working_seconds(a, b) + working_seconds(b, c)`` for ``a <= b <= c``.
    """
    _aware(start, "start")
    _aware(end, "end")
    t0, t1 = _micros(start), _micros(end)
    t0, t1 = t0 - t0 % _US, t1 - t1 % _US
    if t1 <= t0:
        return 0
    if cal.around_the_clock:
        return (t1 - t0) // _US
    tz = cal.tz
    ordinal, last = _local_ordinal(t0, tz), _local_ordinal(t1 - 1, tz)
    plans = cal._plans
    total = 0
    while ordinal <= last:
        plan = plans.get(ordinal)
        if plan is None:
            plan = _plan(cal, ordinal)
        for a, b in plan:
            low = a if a > t0 else t0
            high = b if b < t1 else t1
            if high > low:
                total += high - low
        ordinal += 1
    return total // _US


# --- the stored form: "HH:MM" pairs -------------------------------------------------------------


def hhmm_minutes(value, where: str | Message) -> int:
    """``"09:30"`` → 570; ``"24:00"`` is the end of the day."""
    match = _HHMM.match(value) if isinstance(value, str) else None
    if match is None:
        raise CalendarError("calendar.not_time", where=_where(where), value=given(value))
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise CalendarError("calendar.time_bounds", where=_where(where), value=given(value))
    return hours * 60 + minutes


def periods_parse(value, where: str) -> Periods:
    """A list of ``["HH:MM", "HH:MM"]`` pairs → ``((start, end), …)``; errors name ``where`` and the pair."""
    if not isinstance(value, list | tuple):
        raise CalendarError("calendar.pairs", where=_where(where), got=given(value))
    pairs = []
    for number, pair in enumerate(value, 1):
        shown = "–".join(map(str, pair)) if isinstance(pair, list | tuple) else given(pair)
        label = Message("calendar.period", where=_where(where), number=number, period=shown)
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise CalendarError("calendar.pair", label=label)
        pairs.append((hhmm_minutes(pair[0], label), hhmm_minutes(pair[1], label)))
    return _periods_check(pairs, where)


def week_parse(value) -> tuple[Periods, ...]:
    """The stored week (7 lists of ``["HH:MM", "HH:MM"]`` pairs, Monday first) as minutes."""
    if not isinstance(value, list | tuple) or len(value) != 7:
        raise CalendarError("calendar.week_shape")
    week = tuple(periods_parse(periods, WEEKDAYS[i]) for i, periods in enumerate(value))
    if not any(week):
        raise CalendarError("calendar.week_empty")
    return week


def periods_format(periods: Periods) -> list[list[str]]:
    return [[minutes_hhmm(start), minutes_hhmm(end)] for start, end in periods]

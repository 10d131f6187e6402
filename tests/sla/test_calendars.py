"""Calendars as rows: the seeded default calendar, loading and its cache, imports, manual days,
coverage warnings and the admin."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from kesu.core.errors import FieldErrors
from kesu.core.roles import Role
from kesu.sla import calendars
from kesu.sla.actions import (
    calendar_day_clear,
    calendar_day_set,
    calendar_import,
    calendar_save,
    calendar_year_cover,
)
from kesu.sla.calendar import CalendarError, CalendarNotCovered, periods_on, working_add
from kesu.sla.calendars import calendar_coverage_warnings, calendar_load
from kesu.sla.models import Calendar, CalendarDay, CalendarYear
from tests.factories import T0, make_user

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
DAY = ((540, 720), (810, 1080))


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def test_the_default_calendar_is_seeded_with_china_2025_to_2027():
    row = Calendar.objects.get(is_default=True)
    assert (row.name, row.time_zone, row.country) == ("default", "Asia/Shanghai", "CN")
    cal = calendar_load()
    assert cal.name == "default" and cal.tz == SH
    assert cal.week == (DAY,) * 5 + ((), ())
    assert cal.years == {2025, 2026, 2027}
    # the 2026 National Day week and its make-up working days
    assert {date(2026, 10, d) for d in (1, 2, 3, 5, 6, 7)} <= cal.holidays
    assert {date(2026, 9, 20), date(2026, 10, 10)} <= cal.workdays
    assert periods_on(cal, date(2026, 10, 10)) == DAY
    assert working_add(cal, sh(2026, 9, 30, 16, 0), 2400 * 60) == sh(2026, 10, 14, 9, 30)
    # days off on weekends are stored too (a calendar with Saturday hours needs them): 2026-10-03
    assert CalendarDay.objects.get(calendar=row, date=date(2026, 10, 3)).name == "国庆节"
    # 2027's official schedule was not out when the package was released: flagged as estimated
    assert dict(CalendarYear.objects.filter(calendar=row).values_list("year", "estimated")) == {
        2025: False, 2026: False, 2027: True,
    }
    assert not CalendarDay.objects.filter(calendar=row, kind="workday", date__year=2027).exists()


def test_an_unknown_calendar_is_refused_by_name():
    with pytest.raises(CalendarError) as refused:
        calendar_load("night-shift")
    assert (refused.value.code, refused.value.params) == ("calendar.unknown", {"name": "night-shift"})


def test_the_loaded_calendar_is_cached(django_assert_num_queries):
    calendar_load()
    with django_assert_num_queries(0):
        assert calendar_load().name == "default"
        assert calendar_load("default").name == "default"


def test_an_edit_in_this_process_is_seen_at_once(django_capture_on_commit_callbacks):
    cal = calendar_load()
    assert periods_on(cal, date(2026, 3, 9)) == DAY
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(calendar_name=None, day=date(2026, 3, 9), kind="holiday", name="公司庆典", now=T0)
    assert periods_on(calendar_load(), date(2026, 3, 9)) == ()
    with django_capture_on_commit_callbacks(execute=True):
        assert calendar_day_clear(calendar_name="default", day=date(2026, 3, 9), now=T0)
    assert periods_on(calendar_load(), date(2026, 3, 9)) == DAY


def test_an_edit_by_another_process_is_seen_after_the_ttl(monkeypatch):
    row = Calendar.objects.get(name="default")
    assert periods_on(calendar_load(), date(2026, 3, 9)) == DAY
    # another process enters a holiday (its version bump reaches us only through the database)
    CalendarDay.objects.create(calendar=row, date=date(2026, 3, 9), kind="holiday", name="停电")
    Calendar.objects.filter(pk=row.pk).update(version=row.version + 1)
    assert periods_on(calendar_load(), date(2026, 3, 9)) == DAY  # within the TTL: still the cached one
    monkeypatch.setattr(calendars, "TTL", 0.0)
    assert periods_on(calendar_load(), date(2026, 3, 9)) == ()


def test_a_checked_but_unchanged_calendar_stays_cached(monkeypatch, django_assert_num_queries):
    calendar_load()
    monkeypatch.setattr(calendars, "TTL", 0.0)
    with django_assert_num_queries(1):  # the version check only
        calendar_load()


def test_import_is_idempotent_and_keeps_days_entered_by_hand():
    # given a day entered by hand on a package holiday, and one on an ordinary day
    calendar_day_set(calendar_name="default", day=date(2026, 10, 7), kind="workday", name="值班", now=T0)
    calendar_day_set(calendar_name="default", day=date(2026, 12, 31), kind="holiday", name="年终盘点", now=T0)
    before = set(CalendarDay.objects.values_list("date", "kind", "name", "source"))
    # when 2026 is imported again, twice
    first = calendar_import(calendar_name="default", country="CN", year=2026, now=T0)
    second = calendar_import(calendar_name="default", country="cn", year=2026, now=T0)
    # then nothing changed and the manual rows won
    assert first == second
    assert (first.holidays, first.workdays, first.kept_manual, first.estimated) == (21, 6, 2, False)
    assert set(CalendarDay.objects.values_list("date", "kind", "name", "source")) == before
    assert CalendarDay.objects.get(date=date(2026, 10, 7)).kind == "workday"
    assert CalendarDay.objects.get(date=date(2026, 12, 31)).source == "manual"
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).source == "holidays package CN"


def test_importing_a_new_year_makes_it_covered(django_capture_on_commit_callbacks):
    with pytest.raises(CalendarNotCovered):
        working_add(calendar_load(), sh(2028, 3, 1, 9, 0), 60)
    with django_capture_on_commit_callbacks(execute=True):
        result = calendar_import(calendar_name=None, country="CN", year=2028, now=T0)
    assert result.calendar == "default" and result.estimated and result.holidays > 0 and result.workdays == 0
    assert working_add(calendar_load(), sh(2028, 3, 1, 9, 0), 60) == sh(2028, 3, 1, 9, 1)
    year = CalendarYear.objects.get(year=2028)
    assert (year.source, year.imported_at) == ("holidays package CN", T0)


def test_import_refuses_an_unknown_country_or_calendar():
    for kwargs, code in (({"calendar_name": "default", "country": "XX", "year": 2027}, "calendar.country"),
                         ({"calendar_name": "nope", "country": "CN", "year": 2027}, "calendar.unknown"),
                         ({"calendar_name": "default", "country": "CN", "year": 2200}, "calendar.year")):
        with pytest.raises(CalendarError) as refused:
            calendar_import(now=T0, **kwargs)
        assert refused.value.code == code


def test_a_year_entered_by_hand(django_capture_on_commit_callbacks):
    branch = calendar_save(calendar=Calendar(name="branch", title="分公司", country=""), now=T0)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(calendar_name="branch", day=date(2026, 3, 2), kind="holiday", now=T0)
        calendar_year_cover(calendar_name="branch", year=2026, now=T0)
    cal = calendar_load("branch")
    assert working_add(cal, sh(2026, 3, 2, 9, 0), 60) == sh(2026, 3, 3, 9, 1)
    with pytest.raises(CalendarNotCovered, match="日历 branch 尚未录入 2027 年的节假日；请在日历设置中录入"):
        working_add(cal, sh(2027, 1, 4, 9, 0), 60)
    assert branch.version >= 1


def test_making_another_calendar_the_default_unticks_the_first(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        calendar_save(calendar=Calendar(name="north", title="北方", is_default=True), now=T0)
    assert list(Calendar.objects.filter(is_default=True).values_list("name", flat=True)) == ["north"]
    assert calendar_load().name == "north"


def test_the_only_default_cannot_be_unticked():
    row = Calendar.objects.get(name="default")
    row.is_default = False
    with pytest.raises(FieldErrors) as error:
        calendar_save(calendar=row, now=T0)
    assert error.value.errors[0][0] == "is_default"


def test_a_bad_calendar_is_refused_naming_the_field_and_the_pair():
    bad = Calendar(name="bad", title="x", time_zone="Mars/Olympus",
                   week=[[["09:00", "12:00"], ["11:00", "13:00"]], [], [], [], [], [], []])
    with pytest.raises(FieldErrors) as error, translation.override("en"):
        calendar_save(calendar=bad, now=T0)
    fields = dict(error.value.errors)
    assert "Monday period 2 (11:00–13:00): overlaps" in fields["week"]
    assert "'Mars/Olympus' is not a known time zone" in fields["time_zone"]
    assert not Calendar.objects.filter(name="bad").exists()


def test_coverage_warnings_name_the_calendar_and_the_missing_year():
    # on 2026-03-02 the next 60 days are covered
    assert calendar_coverage_warnings(now=T0) == []
    # mid-November 2026 the window reaches 2027, whose holidays are only estimated
    assert calendar_coverage_warnings(now=datetime(2026, 11, 15, 2, 0, tzinfo=UTC)) == [
        "calendar 'default' has only estimated holidays for 2027 (needed from 2027-01-01); "
        "re-import them once the official schedule is published, or check them by hand"
    ]
    # on 2027-12-01 2028 is missing altogether
    warnings = calendar_coverage_warnings(now=datetime(2027, 12, 1, 2, 0, tzinfo=UTC))
    assert "calendar 'default' has no holidays entered for 2028 (needed from 2028-01-01)" in warnings
    assert calendar_coverage_warnings(now=datetime(2027, 12, 1, 2, 0, tzinfo=UTC), days=20) == [
        "calendar 'default' has only estimated holidays for 2027 (needed from 2027-12-01); "
        "re-import them once the official schedule is published, or check them by hand"
    ]
    # a year not entered at all, already running
    assert "calendar 'default' has no holidays entered for 2029 (needed from 2029-06-01)" in (
        calendar_coverage_warnings(now=datetime(2029, 6, 1, 2, 0, tzinfo=UTC))
    )


# --- admin -------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(Role.ADMIN, "root"))
    return client


def _form(row: Calendar, **changes) -> dict:
    data = {
        "name": row.name, "title": row.title, "time_zone": row.time_zone, "country": row.country,
        "week": '[[["09:00", "12:00"], ["13:30", "18:00"]], [["09:00", "12:00"], ["13:30", "18:00"]], '
                '[["09:00", "12:00"], ["13:30", "18:00"]], [["09:00", "12:00"], ["13:30", "18:00"]], '
                '[["09:00", "12:00"], ["13:30", "18:00"]], [], []]',
        "makeup_periods": "[]", "is_default": "on",
        "years-TOTAL_FORMS": "0", "years-INITIAL_FORMS": "0",
        "days-TOTAL_FORMS": "1", "days-INITIAL_FORMS": "0",
        "days-0-date": "2026-03-09", "days-0-kind": "holiday", "days-0-name": "公司庆典",
    }
    data.update(changes)
    return data


def test_the_admin_adds_a_day_by_hand(admin_client, django_capture_on_commit_callbacks):
    row = Calendar.objects.get(name="default")
    version = row.version
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/sla/calendar/{row.pk}/change/", _form(row))
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarDay.objects.get(calendar=row, date=date(2026, 3, 9))
    assert (day.kind, day.name, day.source) == ("holiday", "公司庆典", "manual")
    row.refresh_from_db()
    assert row.version > version
    assert periods_on(calendar_load(), date(2026, 3, 9)) == ()


def test_the_admin_names_the_bad_field(admin_client):
    row = Calendar.objects.get(name="default")
    bad_week = '[[["13:30", "12:00"]], [], [], [], [], [], []]'
    response = admin_client.post(f"/admin/sla/calendar/{row.pk}/change/", _form(row, week=bad_week))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "周一第 1 个时段（13:30–12:00）：开始时间必须早于结束时间。" in errors["week"][0]
    assert not CalendarDay.objects.filter(date=date(2026, 3, 9)).exists()


def test_the_default_calendar_cannot_be_deleted_in_the_admin(admin_client):
    row = Calendar.objects.get(name="default")
    assert admin_client.post(f"/admin/sla/calendar/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Calendar.objects.filter(pk=row.pk).exists()

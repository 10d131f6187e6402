"""Official holiday schedules from the ``holidays`` package (no Django: the data migration uses it too).

For China the package gives the days off of a year (statutory holidays, their substitutes and the
days moved by 调休) and, in ``weekend_workdays``, the weekend days that become working days. It
holds the State Council's schedule for the years that were published when the package was
released; for a later year it guesses from the rules (no make-up days), which we flag as estimated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import holidays

from kesu.sla.calendar import CalendarError

MAKEUP_NAMES = {"zh": "调休上班"}
HISTORY_YEARS = 10  # how far back we look to tell whether a country schedules make-up working days


@dataclass(frozen=True)
class Schedule:
    country: str
    year: int
    holidays: dict[date, str]  # every day off the package lists, weekends included
    workdays: dict[date, str]  # weekend days that are working days (调休)
    estimated: bool  # the package guessed the year: the country schedules make-up days but none are known yet

    @property
    def source(self) -> str:
        return f"holidays package {self.country}"


def schedule_read(country: str, year: int) -> Schedule:
    """The package's schedule of ``country`` (ISO code, e.g. CN) for ``year``."""
    country = (country or "").strip().upper()
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise CalendarError("calendar.country", country=country)
    if not 1950 <= year <= 2100:
        raise CalendarError("calendar.year", year=year)
    language = holidays.country_holidays(country).default_language
    entity = holidays.country_holidays(country, years=range(max(1950, year - HISTORY_YEARS), year + 1),
                                       language=language)
    days_off = {day: str(name) for day, name in entity.items() if day.year == year}
    moved = {day for day in getattr(entity, "weekend_workdays", ()) if day.year <= year}
    makeup_name = MAKEUP_NAMES.get((language or "")[:2], "Make-up working day")
    workdays = {day: makeup_name for day in moved if day.year == year and day not in days_off}
    schedules_makeup_days = any(day.year < year for day in moved)
    return Schedule(
        country=country, year=year, holidays=days_off, workdays=workdays,
        estimated=schedules_makeup_days and not workdays,
    )


@dataclass(frozen=True)
class StoredCounts:
    holidays: int
    workdays: int
    kept_manual: int  # days of the year entered by hand, left as they were


def schedule_store(*, day_model, year_model, calendar, schedule: Schedule, now, manual: str) -> StoredCounts:
    """Replace the package-sourced days of ``schedule.year`` of ``calendar`` and mark the year covered.

    Takes the model classes so the data migration can pass its historical models; rows whose
    source is ``manual`` win over the package's and are kept. The caller holds the transaction.
    """
    in_year = day_model.objects.filter(calendar=calendar, date__year=schedule.year)
    in_year.exclude(source=manual).delete()
    kept = set(in_year.values_list("date", flat=True))
    rows = [
        day_model(calendar=calendar, date=day, kind=kind, name=name[:64], source=schedule.source)
        for kind, days in (("holiday", schedule.holidays), ("workday", schedule.workdays))
        for day, name in sorted(days.items())
        if day not in kept
    ]
    day_model.objects.bulk_create(rows)
    year_model.objects.update_or_create(
        calendar=calendar, year=schedule.year,
        defaults={"source": schedule.source, "estimated": schedule.estimated, "imported_at": now},
    )
    return StoredCounts(
        holidays=sum(r.kind == "holiday" for r in rows), workdays=sum(r.kind == "workday" for r in rows),
        kept_manual=len(kept),
    )

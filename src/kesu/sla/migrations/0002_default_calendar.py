"""The default working calendar: Monday–Friday 09:00–12:00 and 13:30–18:00 in Asia/Shanghai, with
China's holidays and make-up working days (调休) of 2025–2027 from the ``holidays`` package."""

from django.db import migrations

from kesu.sla.schedules import schedule_read, schedule_store

YEARS = (2025, 2026, 2027)


def seed(apps, schema_editor):
    Calendar = apps.get_model("sla", "Calendar")
    CalendarDay = apps.get_model("sla", "CalendarDay")
    CalendarYear = apps.get_model("sla", "CalendarYear")
    if Calendar.objects.filter(name="default").exists():
        return
    calendar = Calendar.objects.create(
        name="default", title="默认工作日历", time_zone="Asia/Shanghai", country="CN", is_default=True,
        week=[[["09:00", "12:00"], ["13:30", "18:00"]] for _ in range(5)] + [[], []],
    )
    for year in YEARS:
        schedule_store(day_model=CalendarDay, year_model=CalendarYear, calendar=calendar,
                       schedule=schedule_read("CN", year), now=None, manual="manual")


def unseed(apps, schema_editor):
    apps.get_model("sla", "Calendar").objects.filter(name="default").delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

"""The SLA on the desk: the clocks panel of a complaint and the calendar warning on the landing page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from kesu.core.roles import Role
from kesu.sla.models import CalendarYear
from tests.factories import make_complaint, make_group, make_user

SH = ZoneInfo("Asia/Shanghai")


def test_the_desk_shows_every_clock_with_its_state_and_overdue_hours(db, client):
    group = make_group("front")
    handler = make_user(Role.HANDLER, "desk", groups=[group])
    # Friday 3 April 2026 19:00, before the Qingming holiday (4–6 April)
    complaint = make_complaint(now=datetime(2026, 4, 3, 19, 0, tzinfo=SH), group=group.code,
                               content="请问订单什么时候发货", priority="P3", severity="general")
    client.force_login(handler)
    with time_machine.travel(datetime(2026, 4, 7, 14, 30, tzinfo=SH), tick=False):
        page = client.get(f"/complaints/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Time limits" in page
    assert "sla-state-breached" in page  # assignment was due Tuesday 11:00
    assert "overdue 2 hours" in page  # 11:00–12:00 and 13:30–14:30 in working time
    assert "04-13 18:00" in page  # resolution: five working days after the holiday


def test_managers_are_warned_when_the_calendar_lacks_the_coming_year(db, client):
    manager = make_user(Role.MANAGER, "boss")
    handler = make_user(Role.HANDLER, "worker")
    CalendarYear.objects.filter(year=2027).delete()
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=SH), tick=False):
        client.force_login(manager)
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "has no holidays for 2027 (needed from 2027-01-01)" in page
        client.force_login(handler)
        assert "has no holidays for 2027" not in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

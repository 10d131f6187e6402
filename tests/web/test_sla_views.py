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


def test_the_sla_panel_labels_working_and_clock_time_and_shows_due_and_met_apart(db, client):
    # given a complaint whose assignment ran late, then first response was met at 10:00 on Wednesday
    from kesu.pipeline.transitions import complaint_assign, complaint_start

    group = make_group("front")
    handler = make_user(Role.HANDLER, "desk2", groups=[group])
    complaint = make_complaint(now=datetime(2026, 4, 7, 9, 0, tzinfo=SH), group=group.code,
                               content="请问订单什么时候发货", priority="P3", severity="general")
    complaint = complaint_assign(complaint=complaint, assignee=handler, by=handler,
                                 now=datetime(2026, 4, 8, 9, 30, tzinfo=SH))
    complaint_start(complaint=complaint, by=handler, now=datetime(2026, 4, 8, 10, 0, tzinfo=SH))
    client.force_login(handler)
    with time_machine.travel(datetime(2026, 4, 8, 10, 5, tzinfo=SH), tick=False):
        zh = client.get(f"/complaints/{complaint.pk}/").content.decode()
        en = client.get(f"/complaints/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # then every overdue figure says whether it is working or clock time
    assert "Met / stopped" in en and "working time:" in en
    assert "工作时间：" in zh and "达成/停止时间" in zh
    # and a met clock shows its due time and the time it was met in their own columns
    row = en[en.index('<td class="sla-node">First response'):]
    row = row[: row.index("</tr>")]
    due, stopped = row.split('class="num sla-due">')[1], row.split('class="num sla-stopped">')[1]
    assert "04-08 10:00" in stopped and "04-08 10:00" not in due.split("</td>")[0]

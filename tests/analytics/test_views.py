"""The analytics pages: who sees them, the charts and their click-through, targets, verification."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.test import Client

from kesu.analytics.actions import rollup_update
from kesu.analytics.models import ImprovementMeasure
from kesu.core.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PERIOD = "from=2026-06-01&to=2026-11-30"


def _client(role: str) -> Client:
    client = Client()
    client.force_login(make_user(role))
    return client


def test_analyst_sees_the_dashboard_with_every_chart_and_links_to_the_list(demo_year):
    rollup_update(now=demo_year)
    page = _client(Role.ANALYST).get(f"/analytics/?{PERIOD}")
    assert page.status_code == 200
    html = page.content.decode()
    for chart in ("trend", "pareto", "channels", "categories", "heat", "root-causes", "provinces", "products",
                  "ages", "backlog", "ageing", "sla"):
        assert f'id="chart-{chart}"' in html
    assert "created_from=2026-06-01" in html and "category=" in html
    assert 'href="/analytics/kpis/"' in html  # the menu entry


def test_a_scoped_dashboard_shows_the_sla_attainment_of_its_scope(demo_year):
    # given the rollups of a demo year
    import re
    from datetime import date

    from kesu.analytics.selectors import Scope, sla_attainment

    rollup_update(now=demo_year)
    client = _client(Role.ANALYST)
    # when an analyst opens the dashboard of the phone channel
    page = client.get(f"/analytics/?{PERIOD}&channel=phone", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    # then the SLA chart is the phone complaints' (no "whole centre" caveat), not the centre's
    assert "各节点时限达成" in page and "全中心" not in page
    phone = sla_attainment(Scope(date(2026, 6, 1), date(2026, 11, 30), channel="phone"))
    centre = {row["key"]: row["met"] for row in sla_attainment(Scope(date(2026, 6, 1), date(2026, 11, 30)))}
    node = max(phone, key=lambda row: row["met"])
    assert 0 < node["met"] < centre[node["key"]]
    table = page[page.index('id="chart-sla"'):]
    assert re.search(rf'<th scope="row">{node["key"]}</th>\s*<td class="num">{node["met"]}</td>', table)


def test_handlers_have_only_their_scorecard_in_the_menu(demo_year):
    client = _client(Role.HANDLER)
    assert client.get("/analytics/").status_code == 403
    menu = client.get("/").content.decode()
    assert 'href="/analytics/scorecard/"' in menu and 'href="/analytics/"' not in menu


def test_a_chart_exports_as_xlsx(demo_year):
    rollup_update(now=demo_year)
    reply = _client(Role.MANAGER).get(f"/analytics/?{PERIOD}&xlsx=pareto")
    assert reply.status_code == 200 and reply["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_list_follows_the_click_through_filters(demo_year):
    client = _client(Role.MANAGER)
    page = client.get("/?region=广东省&created_from=2026-06-01&created_to=2026-11-30")
    assert page.status_code == 200


def test_bad_period_is_named_not_a_500(demo_year):
    page = _client(Role.ANALYST).get("/analytics/?from=soon&to=2026-01-01")
    assert page.status_code == 200 and "from" in page.content.decode()


def test_decision_layer_sets_a_target_and_sees_the_state(demo_year):
    rollup_update(now=demo_year)
    client = _client(Role.DECISION)
    reply = client.post(f"/analytics/kpis/?{PERIOD}", {"kpi": "reopen_rate", "target": "0", "amber": "0.001",
                                                        "red": "0.002"})
    assert reply.status_code == 302
    page = client.get(f"/analytics/kpis/?{PERIOD}").content.decode()
    assert 'data-testid="state-reopen_rate">红' in page or 'data-testid="state-reopen_rate">red' in page
    bad = client.post(f"/analytics/kpis/?{PERIOD}", {"kpi": "reopen_rate", "target": "0.5", "amber": "0.1",
                                                      "red": "0.2"})
    assert bad.status_code == 200 and 'data-testid="target-error"' in bad.content.decode()
    assert _client(Role.ANALYST).post("/analytics/kpis/", {"kpi": "nps", "target": "1", "amber": "0",
                                                           "red": "0"}).status_code == 403


def test_verifying_a_measure_shows_the_verdict(demo_year):
    rollup_update(now=demo_year)
    measure = ImprovementMeasure.objects.create(title="测试措施", start=demo_year.date().replace(month=9, day=1),
                                                scope={}, metric="volume", created_at=demo_year)
    page = _client(Role.ANALYST).post(f"/analytics/measures/{measure.pk}/")
    assert page.status_code == 200 and 'data-testid="verdict"' in page.content.decode()


def _busiest_week(demo_year):
    from django.db.models import Sum

    from kesu.analytics.models import HandlerDaily

    day = HandlerDaily.objects.values("day").annotate(n=Sum("resolved")).order_by("-n").first()["day"]
    iso = day.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def test_scorecard_ranks_handlers_with_a_radar_and_a_handler_sees_only_their_own(demo_year):
    from kesu.analytics.models import HandlerDaily
    from kesu.core.models import User

    rollup_update(now=demo_year)
    week = _busiest_week(demo_year)
    manager = _client(Role.MANAGER)
    page = manager.get(f"/analytics/scorecard/?week={week}").content.decode()
    assert 'id="chart-radar"' in page and 'data-testid="scorecard"' in page
    assert HandlerDaily.objects.filter(repeat__gt=0).exists()  # repeat complaints are attributed

    handler_id = HandlerDaily.objects.values_list("handler_id", flat=True).first()
    handler = User.objects.get(pk=handler_id)
    own = Client()
    own.force_login(handler)
    mine = own.get(f"/analytics/scorecard/?week={week}").content.decode()
    assert mine.count('<th scope="row"><a href=') <= 1
    assert own.post("/analytics/scorecard/", {"timeliness": 10}).status_code == 403

    reply = manager.post("/analytics/scorecard/", {"timeliness": 50, "quality": 30, "repeat": 10, "praise": 10,
                                                   "min_volume": 1})
    assert reply.status_code == 302
    from kesu.analytics.scorecard import weights_current

    assert (weights_current().timeliness, weights_current().min_volume) == (50, 1)


def test_the_analyst_exports_the_lists_filter_in_the_kesu_export_format(demo_year, tmp_path):
    import csv
    import io

    from openpyxl import load_workbook

    from kesu.complaints.exporting import complaints_export
    from kesu.complaints.models import Complaint
    from kesu.complaints.selectors import ComplaintFilters

    client = _client(Role.ANALYST)
    assert 'data-testid="list-export"' in client.get("/?channel=email").content.decode()
    reply = client.get("/analytics/export/?channel=email")
    assert reply.status_code == 200 and reply.streaming
    streamed = b"".join(reply.streaming_content)
    complaints_export(path=tmp_path / "cli.csv", filters=ComplaintFilters(channel="email"))
    assert streamed == (tmp_path / "cli.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(streamed.decode("utf-8-sig"))))
    assert len(rows) - 1 == Complaint.objects.filter(channel="email").count() > 0

    xlsx = client.get("/analytics/export/?channel=email&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.max_row == len(rows)
    assert _client(Role.HANDLER).get("/analytics/export/").status_code == 403


def test_dashboard_and_reports_addresses_lead_to_the_analytics_pages(db):
    client = _client(Role.ANALYST)
    assert client.get("/dashboard/?from=2026-01-01")["Location"] == "/analytics/?from=2026-01-01"
    assert client.get("/reports/")["Location"] == "/analytics/reports/"


def test_a_team_lead_sees_their_groups_dashboard_and_their_handlers_scorecards(demo_year):
    from kesu.analytics.models import HandlerDaily
    from kesu.core.models import Group

    rollup_update(now=demo_year)
    week = _busiest_week(demo_year)
    # given a handler who leads the group with the most scorecard rows, and another group
    group_id = HandlerDaily.objects.values("group_id").annotate(n=Count("id")).order_by("-n")[0]["group_id"]
    group = Group.objects.get(pk=group_id)
    other = Group.objects.exclude(pk=group_id).first()
    lead = make_user(Role.HANDLER)
    group.lead = lead
    group.save()
    client = Client()
    client.force_login(lead)
    # then their scorecard page links to the dashboard, which shows only the lead's group
    assert 'data-testid="lead-dashboard"' in client.get("/analytics/scorecard/").content.decode()
    page = client.get(f"/analytics/?{PERIOD}").content.decode()
    assert f'<option value="{group.code}" selected>' in page and f'value="{other.code}"' not in page
    assert f"group={group.code}" in page  # the click-through keeps the group
    # asking for another group shows the lead's own, saying so
    page = client.get(f"/analytics/?{PERIOD}&group={other.code}").content.decode()
    assert f'<option value="{group.code}" selected>' in page and 'role="alert"' in page
    # and the scorecard lists the group's handlers, not the others
    card = client.get(f"/analytics/scorecard/?week={week}").content.decode()
    from kesu.analytics.scorecard import scorecard

    monday, sunday = _week_days(week)
    everyone = scorecard(date_from=monday, date_to=sunday)["handlers"]
    mine = [h for h in everyone if h["group_id"] == group_id]
    theirs = [h for h in everyone if h["group_id"] != group_id]
    assert mine and theirs
    for h in mine:
        assert f">{h['user']}</a>" in card
    for h in theirs:
        assert f">{h['user']}</a>" not in card
    # a handler who leads nothing still has no dashboard
    assert _client(Role.HANDLER).get("/analytics/").status_code == 403


def _week_days(week: str):
    from datetime import date, timedelta

    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    return monday, monday + timedelta(days=6)

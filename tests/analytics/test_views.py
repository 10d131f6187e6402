"""The analytics pages: who sees them, the charts and their click-through, targets, verification."""

from __future__ import annotations

import pytest
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


def test_handlers_have_no_analytics_menu_or_pages(demo_year):
    client = _client(Role.HANDLER)
    assert client.get("/analytics/").status_code == 403
    assert "/analytics/" not in client.get("/").content.decode()


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

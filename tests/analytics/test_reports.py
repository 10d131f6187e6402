"""Reports: written by the job into the data folder once per period, kept, with KPIs against target
and the previous period, top issues and notable changes in words; subscribers are told."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from kesu.analytics.actions import rollup_update
from kesu.analytics.models import ReportSubscription
from kesu.analytics.reports import Period, changes_notable, period_last, reports_due
from kesu.core.roles import Role
from kesu.notifications.models import Notification
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_periods_and_notable_changes():
    assert period_last("weekly", date(2026, 12, 2)) == Period("weekly", date(2026, 11, 23), date(2026, 11, 29))
    assert period_last("monthly", date(2026, 12, 2)).previous() == Period("monthly", date(2026, 10, 1),
                                                                           date(2026, 10, 31))
    assert changes_notable({"物流": 67, "服务": 100}, {"物流": 50, "服务": 98}) == [
        {"key": "物流", "before": 50, "now": 67, "change": 0.34}]


def test_the_job_writes_each_report_once_and_tells_subscribers(demo_year, settings, tmp_path):
    settings.KESU_DATA_DIR = tmp_path
    rollup_update(now=demo_year)
    manager = make_user(Role.MANAGER)
    ReportSubscription.objects.create(user=manager, kind="weekly")

    written = reports_due(now=demo_year)
    again = reports_due(now=demo_year + timedelta(hours=1))

    assert sorted(p.parent.name for p in written) == ["daily", "monthly", "weekly"] and again == []
    weekly = next(p for p in written if p.parent.name == "weekly")
    html = weekly.read_text(encoding="utf-8")
    assert "首次解决率" in html and "@media print" in html
    assert load_workbook(weekly.with_suffix(".xlsx"))["KPIs"].max_row == 9
    assert Notification.objects.filter(kind="report_ready", recipient=manager).count() == 1

    client = Client()
    client.force_login(manager)
    listing = client.get("/analytics/reports/").content.decode()
    assert f"/analytics/reports/weekly/{weekly.stem}.html" in listing
    assert client.get(f"/analytics/reports/weekly/{weekly.stem}.html").status_code == 200
    assert client.get("/analytics/reports/weekly/..%2Fx.html").status_code == 404
    client.post("/analytics/reports/", {"kind": "monthly"})
    assert ReportSubscription.objects.filter(user=manager).count() == 2

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


def test_a_subscribers_email_carries_the_reports_xlsx(demo_year, settings, tmp_path, mailoutbox):
    from kesu.notifications.delivery import deliveries_send_due

    settings.KESU_DATA_DIR = tmp_path
    rollup_update(now=demo_year)
    manager = make_user(Role.MANAGER, email="lead@example.com")
    ReportSubscription.objects.create(user=manager, kind="monthly")

    reports_due(now=demo_year)
    deliveries_send_due(now=demo_year + timedelta(days=3))

    mails = [m for m in mailoutbox if m.to == ["lead@example.com"]]
    assert len(mails) == 1
    (name, content, mimetype), = mails[0].attachments
    assert name == "2026-10.xlsx" and "spreadsheetml" in mimetype
    workbook = load_workbook(__import__("io").BytesIO(content))
    assert workbook["KPIs"].max_row == 9 and workbook.sheetnames == ["KPIs", "top issues", "changes"]


def test_the_cli_writes_a_period_report_as_xlsx_with_progress(demo_year, tmp_path, capsys):
    from kesu.cli import main

    rollup_update(now=demo_year)
    out = tmp_path / "week.xlsx"
    assert main(["analytics", "report", "--period", "weekly", "--date", "2026-11-04", "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "2026-11-02 – 2026-11-08" in printed.out and "report 2026-W45 [" in printed.err
    kpis = {row[0].value: row for row in load_workbook(out)["KPIs"].iter_rows(min_row=2)}
    from kesu.analytics.selectors import kpis_for_period

    expected = kpis_for_period(date_from=date(2026, 11, 2), date_to=date(2026, 11, 8))
    assert {name: row[1].value for name, row in kpis.items()} == {k: v["value"] for k, v in expected.items()}
    assert main(["analytics", "report", "--period", "monthly", "--date", "2026-11-04", "--out",
                 str(tmp_path / "x.csv")]) == 2
    with pytest.raises(SystemExit) as refused:
        main(["analytics", "report", "--period", "yearly", "--date", "2026-11-04", "--out", str(out)])
    assert refused.value.code == 2 and "invalid choice: 'yearly'" in capsys.readouterr().err

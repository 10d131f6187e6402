"""Periodic reports ("surface"): daily, weekly and monthly, written into the data folder
(``<KESU_DATA_DIR>/reports/<kind>/<period>.html`` and ``.xlsx``) and kept; each holds the period's
KPIs against target and against the previous period, the top issues and the notable changes in
words ("处理效率类投诉环比上升 34 %"). Subscribers are notified in the app and by e-mail, the e-mail
carrying the XLSX. ``kesu analytics report --period weekly --date D --out FILE.xlsx`` writes one on demand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

KINDS = ("daily", "weekly", "monthly")
NOTABLE_CHANGE = 0.2  # a category moving by a fifth or more …
NOTABLE_MINIMUM = 10  # … with at least this many complaints in one of the two periods


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # included

    @property
    def label(self) -> str:
        if self.kind == "daily":
            return self.start.isoformat()
        if self.kind == "weekly":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start:%Y-%m}"

    def previous(self) -> Period:
        if self.kind == "monthly":
            end = self.start - timedelta(days=1)
            return Period(self.kind, end.replace(day=1), end)
        days = (self.end - self.start).days + 1
        return Period(self.kind, self.start - timedelta(days=days), self.start - timedelta(days=1))


def period_last(kind: str, today: date) -> Period:
    """The last whole day / week (Monday–Sunday) / month before ``today``."""
    if kind == "daily":
        day = today - timedelta(days=1)
        return Period(kind, day, day)
    if kind == "weekly":
        monday = today - timedelta(days=today.weekday() + 7)
        return Period(kind, monday, monday + timedelta(days=6))
    end = today.replace(day=1) - timedelta(days=1)
    return Period(kind, end.replace(day=1), end)


def period_of(kind: str, day: date) -> Period:
    """The day / ISO week (Monday–Sunday) / month that holds ``day``."""
    if kind == "daily":
        return Period(kind, day, day)
    if kind == "weekly":
        monday = day - timedelta(days=day.weekday())
        return Period(kind, monday, monday + timedelta(days=6))
    start = day.replace(day=1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return Period(kind, start, end)


def changes_notable(now: dict[str, int], before: dict[str, int]) -> list[dict[str, Any]]:
    """Categories whose volume moved by ≥ 20 % against the previous period (pure)."""
    out = []
    for key in sorted(set(now) | set(before)):
        a, b = before.get(key, 0), now.get(key, 0)
        if max(a, b) < NOTABLE_MINIMUM or a == 0:
            continue
        change = (b - a) / a
        if abs(change) >= NOTABLE_CHANGE:
            out.append({"key": key, "before": a, "now": b, "change": round(change, 3)})
    return sorted(out, key=lambda c: -abs(c["change"]))


def report_folder() -> Path:
    return Path(settings.KESU_DATA_DIR) / "reports"


def report_content(period: Period) -> dict[str, Any]:
    from kesu.analytics.kpis import kpis_compute
    from kesu.analytics.messages import KPI_LABELS
    from kesu.analytics.selectors import Scope, facts_counters, mix, pareto_categories, targets_map
    from kesu.complaints.models import Category
    from kesu.core.messages import Message

    names = {c.pk: str(c) for c in Category.objects.all()}
    scope, before = Scope(period.start, period.end), Scope(period.previous().start, period.previous().end)
    targets = targets_map()
    kpis_now = kpis_compute(facts_counters(scope), targets)
    kpis_before = kpis_compute(facts_counters(before), targets)
    rows = [{"name": k, "label": str(KPI_LABELS[k]), **v, "previous": kpis_before[k]["value"]} for k, v in kpis_now.items()]
    by_now = {names.get(r["key"], "—"): r["created"] for r in mix(scope, "category_id")}
    by_before = {names.get(r["key"], "—"): r["created"] for r in mix(before, "category_id")}
    top = [{"key": names.get(r["key"], "—"), "count": r["count"], "cumulative": r["cumulative"]}
           for r in pareto_categories(scope)[:5]]
    changes = changes_notable(by_now, by_before)
    for change in changes:
        code = "report.change_up" if change["change"] > 0 else "report.change_down"
        change["sentence"] = str(Message(code, key=change["key"], pct=round(abs(change["change"]) * 100)))
    return {"period": period, "kpis": rows, "top": top, "changes": changes,
            "total": sum(by_now.values()), "total_before": sum(by_before.values())}


def report_xlsx(content: dict[str, Any], path: Path) -> Path:
    """The report as a workbook: KPIs (value, previous period, target, state, counts), top issues,
    notable changes."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "KPIs"
    sheet.append(["kpi", "value", "previous", "target", "state", "numerator", "denominator"])
    for row in content["kpis"]:
        sheet.append([row["name"], row["value"], row["previous"], row["target"], row["state"], row["numerator"],
                      row["denominator"]])
    top = workbook.create_sheet("top issues")
    top.append(["category", "count", "cumulative share"])
    for row in content["top"]:
        top.append([row["key"], row["count"], row["cumulative"]])
    changes = workbook.create_sheet("changes")
    changes.append(["category", "previous", "now", "change", "in words"])
    for row in content["changes"]:
        changes.append([row["key"], row["before"], row["now"], row["change"], row["sentence"]])
    workbook.save(path)
    return path


def report_write(period: Period, *, now: datetime, out: Path | None = None,
                 progress: Callable[[str], None] | None = None) -> tuple[Path | None, Path]:
    """Write the printable page and the XLSX into the data folder (overwriting the same period) and
    return their paths; with ``out``, only the XLSX, to that file (page: None)."""
    step = progress or (lambda _label: None)
    step("rollups")
    content = report_content(period)
    if out is not None:
        step("xlsx")
        out.parent.mkdir(parents=True, exist_ok=True)
        return None, report_xlsx(content, out)
    folder = report_folder() / period.kind
    folder.mkdir(parents=True, exist_ok=True)
    step("page")
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("analytics/report.html", {**content, "generated": now})
    page = folder / f"{period.label}.html"
    page.write_text(html, encoding="utf-8")
    step("xlsx")
    return page, report_xlsx(content, folder / f"{period.label}.xlsx")


def reports_due(*, now: datetime) -> list[Path]:
    """Write the reports whose period just ended and that are not there yet; notify subscribers."""
    from kesu.analytics.actions import centre_zone
    from kesu.analytics.models import ReportSubscription
    from kesu.core.messages import Message
    from kesu.notifications.actions import notify

    today = now.astimezone(centre_zone()).date()
    written = []
    for kind in KINDS:
        period = period_last(kind, today)
        page = report_folder() / kind / f"{period.label}.html"
        if page.exists():
            continue
        page, xlsx = report_write(period, now=now)
        assert page is not None
        written.append(page)
        subscribers = [s.user for s in ReportSubscription.objects.filter(kind=kind).select_related("user")]
        # the e-mail carries the XLSX (a path inside the data folder, read when the e-mail is sent)
        notify(recipients=subscribers, kind="report_ready",
               title=Message("notice.report_ready", kind=Message(f"report.{kind}"), period=period.label),
               key=f"report:{kind}:{period.label}", now=now,
               attachment=str(xlsx.relative_to(Path(settings.KESU_DATA_DIR))))
    return written


def reports_list() -> list[dict[str, str]]:
    out = []
    for kind in KINDS:
        folder = report_folder() / kind
        if folder.is_dir():
            for page in sorted(folder.glob("*.html"), reverse=True):
                out.append({"kind": kind, "period": page.stem})
    return out

"""The wordings of the analytics app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "analytics.kpi_unknown": _("Unknown KPI %(kpi)s; known: %(known)s."),
        "analytics.thresholds_order": _(
            "The thresholds of %(kpi)s are in the wrong order: when higher is better, red ≤ amber ≤ target; "
            "when lower is better, target ≤ amber ≤ red."
        ),
        "analytics.period_order": _("The period ends before it starts."),
        "analytics.period_too_long": _("The period is longer than %(days)s days."),
        "analytics.group_unknown": _("No group has the code %(group)s."),
        "notice.kpi_alert": _("%(kpi)s is %(state)s for %(period)s"),
        "notice.kpi_alert_body": _("Value %(value)s against the target %(target)s."),
        "kpi.first_response_timeliness": _("First-response timeliness"),
        "kpi.first_contact_resolution": _("First-contact resolution"),
        "kpi.closure_within_5_working_days": _("Closed within 5 working days"),
        "kpi.repeat_rate": _("Repeat rate"),
        "kpi.satisfaction": _("Satisfaction"),
        "kpi.survey_response_rate": _("Survey response rate"),
        "kpi.nps": _("NPS"),
        "kpi.reopen_rate": _("Reopen rate"),
        "kpi.state.ok": _("on target"),
        "kpi.state.amber": _("amber"),
        "kpi.state.red": _("red"),
        "kpi.state.no_target": _("no target"),
        "notice.report_ready": _("The %(kind)s report for %(period)s is ready"),
        "report.change_up": _("%(key)s complaints up %(pct)s %% on the previous period"),
        "report.change_down": _("%(key)s complaints down %(pct)s %% on the previous period"),
        "report.daily": _("daily"),
        "report.weekly": _("weekly"),
        "report.monthly": _("monthly"),
    }
)

KPI_LABELS = {
    "first_response_timeliness": _("First-response timeliness"),
    "first_contact_resolution": _("First-contact resolution"),
    "closure_within_5_working_days": _("Closed within 5 working days"),
    "repeat_rate": _("Repeat rate"),
    "satisfaction": _("Satisfaction"),
    "survey_response_rate": _("Survey response rate"),
    "nps": _("NPS"),
    "reopen_rate": _("Reopen rate"),
}

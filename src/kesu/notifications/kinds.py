"""The words for the kinds of notification the centre sends (callers choose the kind's slug)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "sla_warned": _("Time limit near"),
    "sla_breached": _("Time limit exceeded"),
    "sla_escalated": _("Escalated"),
    "sla_specialist": _("Unresolved after 48 hours"),
    "sla_reminded": _("Red channel reminder"),
    "transfer": _("Transfer awaiting acceptance"),
    "customer_message": _("Message from the customer"),
    "reply_failed": _("Reply could not be sent"),
    "survey_reopened": _("Reopened by the customer's survey"),
    "compensation_pending": _("Compensation awaiting approval"),
    "incident_burst": _("Possible mass incident"),
    "kpi_alert": _("KPI off target"),
    "report_ready": _("Report ready"),
}


def kind_label(kind: str) -> str:
    """The label of a known kind; an unknown kind is shown as its slug."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind

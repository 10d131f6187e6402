"""The wordings of the incidents app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "api.kind.incident": _("incident"),
        "permission.incident.manage": _("declare and resolve mass incidents"),
        "incident.scope_not_object": _("Give the scope as an object with regions, products, categories, tags and keywords."),
        "incident.scope_unknown": _("Unknown scope entry “%(name)s”: use regions, products, categories, tags or keywords."),
        "incident.scope_not_list": _("Give a list of texts."),
        "incident.scope_empty": _("Name at least one region, product, category, tag or keyword, or the incident would match every complaint."),
        "incident.keyword_short": _("A keyword needs at least two characters (you entered “%(value)s”)."),
        "incident.text_languages": _("Give the text in both languages, as zh-hans and en."),
        "incident.not_datetime": _("Enter an ISO 8601 date-time with a time zone (you entered %(got)s)."),
        "incident.no_timezone": _("Give a time zone (e.g. 2026-03-02T18:00:00+08:00; you entered %(got)s)."),
        "incident.recovery_before_start": _("The expected recovery must come after the start."),
        "incident.resolved": _("The incident “%(title)s” is resolved already."),
        "incident.withdraw_resolving": _("The resolution of “%(title)s” has started (its customers are being "
                                         "answered): it can no longer be withdrawn."),
        "incident.already_linked": _("%(number)s is linked to the incident “%(title)s” already."),
        "incident.complaint_finished": _("%(number)s is resolved or closed: only open complaints are linked."),
        "incident.not_linked": _("%(number)s is not linked to this incident."),
        "incident.not_found": _("No incident %(id)s."),
        "incident.suggestion_not_found": _("No suggestion %(id)s."),
        "incident.suggestion_decided": _("This suggestion was decided already."),
        "incident.window.hour": _("hour"),
        "incident.window.day": _("24 hours"),
        "incident.expected": _("Expected recovery: %(at)s"),
        "incident.query_missing": _("Give phone, region or product."),
        "notice.burst": _("Possible incident: %(count)s complaints about %(value)s in %(region)s"),
        "notice.burst_body": _("%(count)s complaints in the last %(window)s where %(expected)s were expected; shared words: %(words)s."),
        "incident.exception.red_channel": _("red channel"),
        "incident.exception.vip": _("VIP customer"),
        "incident.exception.compensation": _("asks for compensation above the threshold"),
        "incident.exception.repeat_after_expected": _("wrote again after the expected recovery"),
        "incident.exception.after_recovery": _("came after the recovery was reported (monitoring)"),
        "incident.not_active": _("The incident “%(title)s” is %(state)s: only an active incident moves to monitoring."),
        "incident.exception.confirmed": _("confirmed by a handler"),
        "incident.exception.low_score": _("low match score: confirm or unlink"),
        "incident.how.intake": _("matched at intake"),
        "incident.how.declare": _("linked when declared"),
        "incident.how.manual": _("linked by a person"),
        "incident.on.region": _("region"),
        "incident.on.product": _("product"),
        "incident.on.category": _("category"),
        "incident.on.tag": _("tag"),
        "incident.on.words": _("words"),
    }
)

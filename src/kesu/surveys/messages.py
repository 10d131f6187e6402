"""The wordings of the surveys app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "survey.solved_missing": _("Answer whether the problem was solved (yes or no)."),
        "survey.answered": _("This survey was answered already, at %(at)s."),
        "survey.superseded": _("This survey was replaced by a newer one after the complaint was closed again."),
        "follow_up.done": _("This follow-up was recorded already, at %(at)s."),
        "notice.survey_reopened": _("%(number)s reopened: the customer is not satisfied"),
        "notice.survey_reopened_body": _("Satisfaction %(score)s/5, problem solved: %(solved)s. %(comment)s"),
        "survey.not_found": _("No survey has this link."),
    }
)

"""The wordings of the workforce app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "workforce.period_order": _("The period ends (%(end)s) before it starts (%(start)s)."),
        "workforce.replications": _("Enter between %(low)s and %(high)s replications (you entered %(got)s)."),
        "workforce.no_history": _("No resolved complaint was created from %(start)s to %(end)s to build the model from."),
        "workforce.scenario": _("The scenario file %(file)s is not usable: %(reason)s"),
        "workforce.risk_no_data": _("Too little history to train the risk model: %(got)s complaints with an outcome, "
                                    "%(need)s needed."),
        "workforce.form_date": _("Enter a date as YYYY-MM-DD (you entered “%(got)s”)."),
        "workforce.form_number": _("Enter a number from %(low)s to %(high)s (you entered “%(got)s”)."),
        "workforce.form_choice": _("“%(got)s” is not one of the groups."),
        "workforce.form_period": _("The period may be at most %(high)s days long."),
        "workforce.risk_no_model": _("No risk model has been trained yet; run `kesu risk train` first."),
    }
)

"""The wordings of the routing app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "routing.condition_shape": _("Enter a condition as an object {\"field\": …, \"op\": …, \"value\": …}."),
        "routing.conditions_shape": _("Enter the conditions as a list."),
        "routing.actions_shape": _("Enter at least one action: %(known)s."),
        "routing.rule_unknown": _("There is no routing rule with id %(value)s."),
        # why each rule matched or not (the explanation of an evaluation)
        "routing.part": _("%(field)s: %(error)s"),
        "routing.parts": _("%(parts)s"),
        "routing.why.skipped": _("skipped: %(problem)s"),
        "routing.why.all_hold": _("every condition holds"),
        "routing.why.no_conditions": _("no conditions: matches every complaint"),
        "routing.why.fails": _("%(field)s %(op)s %(value)s does not hold (actual %(actual)s)"),
        "routing.why.failed": _("%(conditions)s"),
        "routing.why.disabled": _("matches, but the rule is disabled"),
        "routing.why.earlier": _("matches, but rule “%(rule)s” came first"),
        "routing.note.follower_left_out": _("follower %(user)s is not an active user: left out"),
        # where the group came from
        "routing.group.intake": _("chosen at intake"),
        "routing.group.intake_rule_ignored": _("chosen at intake; the rule's group %(group)s is not applied"),
        "routing.group.rule": _("set by rule “%(rule)s”"),
        "routing.group.default": _("the default group (no rule matched)"),
        "routing.group.default_rule": _("the default group (rule “%(rule)s” names no group)"),
        "routing.group.none": _("no rule names a group and no default group is set"),
        # who got it, or why nobody did
        "routing.outcome.error": _("routing failed (%(error)s): the complaint stays where it was"),
        "routing.outcome.not_routed": _("no rule matched and the group has no routing"),
        "routing.outcome.group_gone": _("group %(group)s no longer exists: the complaint waits to be placed"),
        "routing.outcome.no_group": _("no group: the complaint waits for someone to place it"),
        "routing.outcome.manual": _("group %(group)s assigns by hand: the complaint waits in its queue"),
        "routing.outcome.no_handlers": _("the group has no active handlers"),
        "routing.outcome.no_senior_free": _(
            "no senior handler of the group is online with free capacity; waits in the group queue"
        ),
        "routing.outcome.none_free_senior_needed": _(
            "no handler of the group is online with free capacity (a senior one is needed); waits in the group queue"
        ),
        "routing.outcome.no_handler_free": _(
            "no handler of the group is online with free capacity; waits in the group queue"
        ),
        "routing.how.round_robin": _("round robin: next after the last handler given a complaint"),
        "routing.how.skills": _("skill match: %(skills)s"),
        "routing.how.no_skills": _("skill match: nobody's skills match; least load"),
        "routing.how.least_load": _("least load"),
        "routing.assigned": _("%(how)s (%(load)s of %(capacity)s running)"),
        "routing.assigned.senior": _("senior handler: %(how)s (%(load)s of %(capacity)s running)"),
        "routing.candidate.away": _("away"),
        "routing.candidate.off_shift": _("off shift"),
        "routing.candidate.full": _("at capacity (%(load)s of %(capacity)s)"),
        "routing.candidate.not_senior": _("not a senior handler"),
        "routing.senior.emotion": _("emotion %(score)s ≥ %(threshold)s"),
        "routing.senior.repeat": _("repeat complaint (%(count)s earlier)"),
        "routing.senior.vip": _("VIP customer"),
        "routing.senior.triage": _("triage asks for a senior handler"),
    }
)

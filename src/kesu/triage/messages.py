"""The wordings of triage's message ids: the reasons stored with every triage result and the errors
of triage's actions. Stored as ``{"code", "params"}``; rendered in the reader's language when shown."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        # category
        "triage.category.given": _("set by the person who recorded it"),
        "triage.category.ngram": _("the words “%(ngram)s”"),
        "triage.category.below_confidence": _("confidence below %(limit)s: suggested only"),
        "triage.category.keyword": _("keyword “%(word)s”"),
        "triage.category.keywords_tied": _("as many keywords point elsewhere: suggested only"),
        "triage.category.nothing": _("no model trained yet and no category keyword in the text"),
        "triage.category.model_unsure": _("the model was unsure (%(category)s, confidence %(confidence)s)"),
        # severity
        "triage.severity.red": _("red channel: %(kinds)s"),
        "triage.severity.emotion": _("emotion temperature %(score)s ≥ %(threshold)s"),
        "triage.severity.repeat": _("repeat complaint (%(count)s earlier on the same issue)"),
        "triage.severity.amount": _("amount claimed ¥%(amount)s ≥ ¥%(limit)s"),
        "triage.severity.none": _("no red channel, calm, no repeat, no large claim"),
        "triage.severity.kept": _("kept as recorded (%(severity)s); triage found %(found)s"),
        # priority
        "triage.priority.matrix": _("priority matrix: %(category)s × %(tier)s × %(severity)s → %(priority)s"),
        "triage.priority.default": _("no cell of the priority matrix matches; default %(priority)s"),
        "triage.priority.kept": _("kept as recorded (%(priority)s); triage found %(found)s"),
        "triage.any.category": _("any category"),
        "triage.any.tier": _("any tier"),
        "triage.any.severity": _("any severity"),
        "triage.tier.vip": _("VIP customers"),
        "triage.tier.regular": _("regular customers"),
        "triage.level.general": _("general"),
        "triage.level.urgent": _("urgent"),
        "triage.level.major": _("major"),
        # senior handler
        "triage.senior.emotion": _("emotion %(score)s ≥ %(threshold)s"),
        "triage.senior.repeat": _("repeat complaint"),
        "triage.senior.vip": _("VIP customer"),
        # emotion evidence
        "triage.emotion.abuse": _("abuse “%(evidence)s”"),
        "triage.emotion.accusation": _("accusation “%(evidence)s”"),
        "triage.emotion.indignation": _("indignation “%(evidence)s”"),
        "triage.emotion.negative": _("negative word “%(evidence)s”"),
        "triage.emotion.positive": _("positive word “%(evidence)s”"),
        "triage.emotion.ultimatum": _("ultimatum “%(evidence)s”"),
        "triage.emotion.complaint": _("complaint word “%(evidence)s”"),
        "triage.emotion.threat": _("threat “%(evidence)s”"),
        "triage.emotion.calm": _("calm enquiry “%(evidence)s”"),
        "triage.emotion.negated": _("negation “%(evidence)s”"),
        "triage.emotion.negated_negative": _("negated complaint “%(evidence)s”"),
        "triage.emotion.question": _("indignant question “%(evidence)s”"),
        "triage.emotion.punct": _("repeated punctuation “%(evidence)s”"),
        "triage.emotion.exclaim": _("exclamation marks: %(evidence)s"),
        "triage.emotion.caps": _("ALL CAPS “%(evidence)s”"),
        "triage.emotion.repeat": _("repeated letters “%(evidence)s”"),
        "triage.emotion.model": _("anger model v%(version)s: %(probability)s %% clearly angry"),
        # red channel
        "triage.red.kind.safety": _("Personal safety"),
        "triage.red.kind.group_incident": _("Group incident"),
        "triage.red.kind.media": _("Media exposure"),
        "triage.red.kind.regulator": _("Regulator complaint"),
        "triage.red.kind.legal": _("Legal action"),
        "triage.red.dismissed.not_a_word": _("part of another word"),
        "triage.red.dismissed.negated": _("negated"),
        "triage.red.dismissed.other_side": _("the other side's step, not the customer's"),
        "triage.red.dismissed.advice": _("advice"),
        "triage.red.dismissed.policy": _("policy, law or insurance text"),
        "triage.red.dismissed.history": _("history told as background"),
        "triage.red.dismissed.question": _("a question"),
        "triage.red.dismissed.addressee": _("the body the letter is addressed to"),
        "triage.red.dismissed.no_step": _("named, but the customer takes no step towards it"),
        "triage.red.dismissed.no_action": _("a number of people, but no collective action"),
        # the triage panel and timeline
        "triage.failed": _("Triage failed: %(error)s"),
        "triage.source.given": _("set at intake"),
        "triage.source.keywords": _("keywords"),
        "triage.source.model": _("model v%(version)s"),
        "triage.source.none": _("no evidence"),
        # errors of triage's actions
        "triage.role_may_not": _("Your role (%(role)s) may not handle complaints."),
        "triage.correct.nothing": _("Give a category or a severity to correct."),
        "triage.correct.unknown_category": _("Unknown category %(category)s."),
        "triage.correct.unknown_severity": _("Unknown severity %(severity)s; choose one of %(choices)s."),
        "triage.train.too_few": _("%(count)s complaints with a confirmed category; at least %(minimum)s are needed."),
        "triage.train.one_category": _("The training part holds fewer than two categories."),
        "triage.train.anger_too_few": _(
            "%(count)s labelled texts (%(angry)s clearly angry); at least %(minimum)s of each are needed."
        ),
        "triage.model.unknown_version": _("No model version %(version)s; known: %(known)s."),
        "triage.model.no_target": _("Unknown model target %(target)s; choose one of %(choices)s."),
        "triage.backfill.bad_date": _("Not a date: %(value)s (use YYYY-MM-DD)."),
    }
)

"""Stored notifications get their title and body as message ids with parameters (issue 17).

A notification written before message ids holds its title and body as text in the language of the
centre at the time (Chinese, or English). Each is matched against the wordings of its kind's
messages in both languages; the parameters are read back from the text (a clock's or a yes/no's name
is matched to its own id). A line no wording matches stays as the person's text
(``notification.text``), so nothing is lost; the old columns keep the text as it was.
"""

import re

from django.db import migrations

LANGUAGES = ("zh-hans", "en")
TITLES = {
    "customer_message": ["notice.customer_wrote"],
    "reply_failed": ["notice.reply_failed"],
    "compensation_pending": ["notice.compensation_pending"],
    "transfer": ["notice.transfer"],
    "survey_reopened": ["notice.survey_reopened"],
    "sla_warned": ["notice.sla_warned"],
    "sla_breached": ["notice.sla_breached"],
    "sla_escalated": ["notice.sla_escalated"],
    "sla_specialist": ["notice.sla_specialist"],
    "sla_reminded": ["notice.sla_reminded"],
}
_SLA_BODIES = ["notice.sla_warned_body", "notice.sla_breached_body", "notice.sla_escalated_body",
               "notice.sla_specialist_body", "notice.sla_reminded_body"]
BODIES = {
    "reply_failed": ["notice.reply_failed_body"],
    "compensation_pending": ["notice.compensation_prereview"],
    "transfer": ["notice.transfer_body"],
    "survey_reopened": ["notice.survey_reopened_body"],
    **{kind: _SLA_BODIES for kind in TITLES if kind.startswith("sla_")},
}
NESTED = {"clock": "sla.clock.", "solved": "word."}


def _pattern(wording: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", wording)
    regex = ""
    seen = set()
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex += re.escape(part)
        elif part in seen:
            regex += f"(?P={part})"
        else:
            seen.add(part)
            regex += f"(?P<{part}>.+?)" if i < len(parts) - 2 else f"(?P<{part}>.*)"
    return re.compile(regex, re.S)


def _nested(name, value, language, codes, wording):
    prefix = NESTED.get(name)
    if prefix is None:
        return value
    for code in codes:
        if code.startswith(prefix) and wording(code, language=language) == value:
            return {"code": code, "params": {}}
    return value


def _match(text, candidates, codes, wording):
    for code in candidates:
        for language in LANGUAGES:
            found = _pattern(wording(code, language=language)).fullmatch(text.strip())
            if found:
                params = {name: _nested(name, value, language, codes, wording)
                          for name, value in found.groupdict().items()}
                return {"code": code, "params": params}
    return None


def forwards(apps, schema_editor):
    from kesu.core.messages import message_codes, message_wording

    codes = message_codes()
    Notification = apps.get_model("notifications", "Notification")
    rows = Notification.objects.filter(title_message={}).order_by("pk")
    for row in rows.iterator(chunk_size=500):
        title = _match(row.title, TITLES.get(row.kind, []), codes, message_wording)
        row.title_message = title or {"code": "notification.text", "params": {"text": row.title}}
        lines = []
        for line in (row.body or "").split("\n"):
            if not line.strip():
                continue
            lines.append(_match(line, BODIES.get(row.kind, []), codes, message_wording)
                         or {"code": "notification.text", "params": {"text": line}})
        row.body_message = lines
        row.save(update_fields=["title_message", "body_message"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_messages_notification_fields")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

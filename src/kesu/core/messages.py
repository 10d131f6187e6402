"""Messages shown to people: an id, its parameters, and a wording per language.

The domain never writes a sentence for a person. It names what happened with a message id and its
parameters — ``Message("complaint.not_found", number="KS-2026-000001")`` or
``FieldError("amount", "amount.negative")`` — and the edge that shows it renders it in the reader's
language when it is shown (the API in the caller's ``Accept-Language``, a page in the user's
language, a notification in the language of whoever opens it). Stored messages (events,
notifications) keep the id and the parameters, never the rendered text.

Each app declares its wordings in its ``messages.py`` with :func:`messages_define`; the English
wording is the gettext msgid, so the one catalogue (``locale/*/LC_MESSAGES/django.po``) translates
them all. ``kesu.core.apps`` imports every app's ``messages`` module at start-up.

A parameter may itself be a :class:`Message` (or its stored form ``{"code": …, "params": …}``):
it is rendered in the same language first, e.g. a status or an action name.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

log = logging.getLogger(__name__)

_WORDINGS: dict[str, Promise | str] = {}
_TEXTS: dict[tuple[str, str | None], str] = {}  # (id, language) -> its wording, translated (issue 16)


def messages_define(wordings: Mapping[str, Promise | str]) -> None:
    """Declare message ids and their (lazy, translatable) wordings; an id is declared once."""
    for code, wording in wordings.items():
        known = _WORDINGS.get(code)
        if known is not None and known is not wording:
            raise ValueError(f"message id {code!r} is declared twice")
        _WORDINGS[code] = wording


def message_defined(code: str) -> bool:
    return code in _WORDINGS


def message_codes() -> list[str]:
    return sorted(_WORDINGS)


class Message:
    """A message id and its parameters; ``str()`` renders it in the active language."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.code, self.params) == (other.code, other.params)

    def __repr__(self) -> str:
        return f"Message({self.code!r}, **{self.params!r})"

    def __str__(self) -> str:
        return message_render(self.code, self.params)

    def as_data(self) -> dict[str, Any]:
        """The stored / API form: ``{"code": …, "params": …}`` (nested messages as the same)."""
        return {"code": self.code, "params": _params_data(self.params)}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Message:
        return cls(str(data["code"]), **dict(data.get("params") or {}))


def _params_data(params: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _value_data(value) for name, value in params.items()}


def _value_data(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_data()
    if isinstance(value, list | tuple):
        return [_value_data(item) for item in value]
    return value


def _param_text(value: Any, language: str | None) -> Any:
    if isinstance(value, Message):
        return message_render(value.code, value.params, language=language)
    if isinstance(value, Mapping) and "code" in value and set(value) <= {"code", "params"}:
        return message_render(str(value["code"]), value.get("params") or {}, language=language)
    if isinstance(value, list | tuple):
        return "、".join(str(_param_text(item, language)) for item in value) if _chinese(language) else ", ".join(
            str(_param_text(item, language)) for item in value
        )
    return value


def _chinese(language: str | None) -> bool:
    return (language or translation.get_language() or "").lower().startswith("zh")


def message_render(code: str, params: Mapping[str, Any] | None = None, *, language: str | None = None) -> str:
    """The wording of one message in ``language`` (default: the active language).

    An id nobody declared is a programming error: it is logged and shown as the id with its
    parameters rather than hidden (tests check that every id in use is declared).
    """
    if language is not None:
        with translation.override(language):
            return message_render(code, params)
    params = params or {}
    wording = _WORDINGS.get(code)
    if wording is None:
        log.error("undeclared message id %r", code)
        shown = ", ".join(f"{name}={value}" for name, value in params.items())
        return f"{code} ({shown})" if shown else code
    key = (code, translation.get_language())
    text = _TEXTS.get(key)
    if text is None:  # an id's wording is declared once and the catalogues are read once: kept
        text = _TEXTS[key] = str(wording)
    if not params:
        return text
    values = {name: _param_text(value, None) for name, value in params.items()}
    try:
        return text % values
    except (KeyError, TypeError, ValueError):
        log.error("message %r does not fit its parameters %r", code, sorted(values))
        return text


def message_data(message: Message | Mapping[str, Any]) -> dict[str, Any]:
    """The stored form of a message given as a ``Message`` or already as data."""
    if isinstance(message, Message):
        return message.as_data()
    return {"code": str(message["code"]), "params": dict(message.get("params") or {})}


# The wordings of core's own ids. Every other app declares its own in its ``messages.py``.
from django.utils.translation import gettext_lazy as _  # noqa: E402

messages_define(
    {
        "error.domain": _("The request could not be carried out."),
        "error.not_permitted": _("You are not permitted to do this."),
        "error.conflict": _("The request conflicts with what is stored."),
        "permission.denied": _("Your role (%(role)s) may not do this: %(permission)s."),
        "permission.complaint.read": _("read complaints"),
        "permission.complaint.create": _("record complaints"),
        "permission.complaint.handle": _("handle complaints"),
        "permission.complaint.merge": _("merge complaints"),
        "permission.customer.read": _("read customers"),
        "permission.data.import": _("import data"),
        "permission.routing.manage": _("manage routing"),
        "permission.knowledge.manage": _("manage the solution library"),
        "permission.mailbox.configure": _("configure mailboxes"),
        "permission.mailbox.secret": _("change a mailbox's %(key)s: only an administrator may"),
        "permission.webhooks.configure": _("configure webhooks"),
        "permission.webhooks.read": _("read webhook deliveries"),
        "permission.calls.log": _("log calls"),
        "permission.availability.other": _("change another handler's availability"),
        "word.yes": _("yes"),
        "word.no": _("no"),
        "field.required": _("This field is required."),
        "field.empty": _("This field must not be empty."),
        "field.too_long": _("At most %(limit)s characters (you entered %(got)s)."),
        "field.out_of_range": _("Enter a number between %(low)s and %(high)s (you entered %(got)s)."),
        "field.choice": _("Choose one of %(choices)s (you entered %(got)s)."),
        "field.not_integer": _("Enter a whole number (you entered %(got)s)."),
        "field.not_minutes": _("Enter a whole number of minutes (you entered %(got)s)."),
        "field.not_boolean": _("Enter true or false (you entered %(got)s)."),
        "field.not_text": _("Enter a text (you entered %(got)s)."),
        "field.not_list": _("Enter a non-empty list (you entered %(got)s)."),
        "field.not_object": _("Enter an object."),
        "field.list_too_long": _("At most %(limit)s entries."),
        "field.unknown": _("Unknown value “%(value)s”; choose one of %(choices)s."),
        "field.unknown_key": _("Unknown key %(key)s; known: %(known)s."),
        "field.nul": _("The text must not contain NUL characters."),
        "field.name_format": _("Use 1 to %(limit)s letters, digits, - or _."),
        "field.name_taken": _("The name “%(name)s” is taken already."),
        "field.env_name": _("Name an environment variable starting with %(prefix)s (capitals, digits, _), e.g. %(example)s."),
        "field.invalid": _("%(text)s"),
        "field.invalid_value": _("This value is not valid (you entered %(got)s)."),
        "field.length": _("Enter %(low)s to %(high)s characters."),
        "field.unencodable": _("The text contains characters that cannot be stored (position %(position)s)."),
        "field.datetime_range": _("Enter a time between the years %(low)s and %(high)s (you entered %(got)s)."),
        "user.not_active": _("%(user)s is not an active user."),
        "user.unknown": _("There is no active user “%(user)s”."),
        "user.no_profile": _("%(user)s has no handler profile."),
        "user.exists": _("A user named %(user)s exists already."),
        "user.name_length": _("A user name has 1 to 150 characters."),
        "group.unknown": _("Unknown group “%(value)s”."),
        "file.missing": _("%(path)s: no such file."),
        "file.not_writable": _("Cannot write %(path)s: %(reason)s."),
        "file.type": _("%(name)s: cannot use %(suffix)s; use .csv or .xlsx."),
    }
)

from kesu.core.roles import Role  # noqa: E402

messages_define({f"role.{role.value}": role.label for role in Role} | {"role.none": _("no role")})


def given(value: Any, limit: int = 100) -> str:
    """What the caller gave, as a message parameter (``got=given(value)``): text as it is, anything
    else as JSON; cut at ``limit`` characters."""
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def message_wording(code: str, *, language: str) -> str:
    """The unformatted wording of ``code`` in ``language`` (with its ``%(name)s`` placeholders)."""
    with translation.override(language):
        return str(_WORDINGS[code])


def localized(name: str, name_en: str) -> str:
    """A configuration row's name in the reader's language (routing rules, SLA policies, templates):
    ``name`` is in the default language (Chinese), ``name_en`` in English; a row without an English
    name shows its default name in both."""
    english = (translation.get_language() or "").lower().startswith("en")
    return name_en if english and name_en else (name or name_en)


def messages_worded(value: Any) -> Any:
    """``value`` with every stored message in it (``{"code", "params"}``) also worded in the active
    language: ``{"code", "params", "message"}`` — for API output of stored data (events, explanations)."""
    if type(value) in _PLAIN:  # most of a timeline's data: answered without the checks below
        return value
    if isinstance(value, Mapping):
        if (len(value) == 2 and "code" in value and "params" in value and isinstance(value["code"], str)
                and value["code"] in _WORDINGS):
            return {**value, "message": message_render(value["code"], value.get("params") or {})}
        return {key: item if type(item) in _PLAIN else messages_worded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [item if type(item) in _PLAIN else messages_worded(item) for item in value]
    return value


_PLAIN = frozenset({str, int, float, bool, type(None)})

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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

log = logging.getLogger(__name__)

_WORDINGS: dict[str, Promise | str] = {}


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
    return {name: value.as_data() if isinstance(value, Message) else value for name, value in params.items()}


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


@contextmanager
def _language(language: str | None) -> Iterator[None]:
    if language is None:
        yield
    else:
        with translation.override(language):
            yield


def message_render(code: str, params: Mapping[str, Any] | None = None, *, language: str | None = None) -> str:
    """The wording of one message in ``language`` (default: the active language).

    An id nobody declared is a programming error: it is logged and shown as the id with its
    parameters rather than hidden (tests check that every id in use is declared).
    """
    params = params or {}
    with _language(language):
        wording = _WORDINGS.get(code)
        if wording is None:
            log.error("undeclared message id %r", code)
            shown = ", ".join(f"{name}={value}" for name, value in params.items())
            return f"{code} ({shown})" if shown else code
        text = str(wording)
        if not params:
            return text
        values = {name: _param_text(value, language) for name, value in params.items()}
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
        "field.required": _("This field is required."),
        "field.empty": _("This field must not be empty."),
        "field.too_long": _("At most %(limit)s characters (you entered %(got)s)."),
        "field.out_of_range": _("Enter a number between %(low)s and %(high)s (you entered %(got)s)."),
        "field.choice": _("Choose one of %(choices)s (you entered %(got)s)."),
        "field.not_integer": _("Enter a whole number (you entered %(got)s)."),
        "field.unencodable": _("The text contains characters that cannot be stored (position %(position)s)."),
    }
)

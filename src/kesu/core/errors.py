"""Domain errors. The API and the UI turn them into 409 / 422 / 403, each in the reader's language.

Every error carries a message id and parameters (``kesu.core.messages``), not a sentence:
``FieldError("amount", "amount.negative")``, ``NotPermitted("permission.role_may_not", action=…)``.
"""

from __future__ import annotations

from typing import Any

from kesu.core.messages import Message, message_defined


class DomainError(Exception):
    """Base class of every error an action raises on purpose.

    ``DomainError("some.id", key=value)`` names the message; ``str(error)`` renders it in the active
    language.
    """

    default_code = "error.domain"

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        self.code = code or self.default_code
        self.params = params
        super().__init__(self.code)

    @property
    def message_obj(self) -> Message:
        return Message(self.code, **self.params)

    def __str__(self) -> str:
        return _legacy_or_render(self.code, self.params)


def _legacy_or_render(code: str, params: dict[str, Any]) -> str:
    # Until every caller passes a declared id (issue 17), an undeclared "code" without parameters is
    # an English sentence written by the domain and is shown as it is.
    if not params and not message_defined(code):
        return code
    return str(Message(code, **params))


class FieldError(DomainError):
    """Bad input for one named field (API 422, inline form error)."""

    def __init__(self, field: str, code: str, /, **params: Any) -> None:
        super().__init__(code, **params)
        self.field = field

    @property
    def message(self) -> str:
        return _legacy_or_render(self.code, self.params)

    @property
    def field_errors(self) -> list[FieldError]:
        return [self]

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(error.field, error.message) for error in self.field_errors]

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class FieldErrors(FieldError):
    """Several fields are wrong at once; each is named."""

    def __init__(self, errors: list[FieldError]) -> None:
        first = errors[0]
        super().__init__(first.field, first.code, **first.params)
        self._field_errors = list(errors)

    @property
    def field_errors(self) -> list[FieldError]:
        return self._field_errors

    def __str__(self) -> str:
        return "; ".join(f"{e.field}: {e.message}" for e in self._field_errors)


class InvalidTransition(DomainError):
    """The complaint is not in a state where the action is allowed (API 409)."""

    def __init__(
        self, *, action: str, current_status: str, allowed_from: tuple[str, ...] = (), detail: str = ""
    ) -> None:
        allowed = f"; allowed from: {', '.join(allowed_from)}" if allowed_from else ""
        super().__init__(detail or f"cannot {action} a complaint whose status is {current_status}{allowed}")
        self.action = action
        self.current_status = current_status
        self.allowed_from = allowed_from
        self.detail = detail


class NotPermitted(DomainError):
    """The user's role may not do this (API 403)."""

    default_code = "error.not_permitted"


class Conflict(DomainError):
    """The request conflicts with what is stored (API 409), e.g. a reused idempotency key."""

    default_code = "error.conflict"

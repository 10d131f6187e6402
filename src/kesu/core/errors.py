"""Domain errors. The API and the UI turn them into 409 / 422 / 403, each in the reader's language.

Every error carries a message id and parameters (``kesu.core.messages``), not a sentence:
``FieldError("amount", "amount.negative")``, ``permission_require(user, Permission.COMPLAINT_HANDLE)``.
"""

from __future__ import annotations

from typing import Any

from kesu.core.messages import Message


class DomainError(Exception):
    """Base class of every error an action raises on purpose.

    ``DomainError("error.conflict", key=value)`` names the message; ``str(error)`` renders it in the active
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

    @property
    def message(self) -> str:
        """The message in the active language."""
        return str(self.message_obj)

    def __str__(self) -> str:
        return self.message


class FieldError(DomainError):
    """Bad input for one named field (API 422, inline form error)."""

    def __init__(self, field: str, code: str, /, **params: Any) -> None:
        super().__init__(code, **params)
        self.field = field

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
        self,
        *,
        action: str,
        current_status: str,
        allowed_from: tuple[str, ...] = (),
        code: str = "transition.refused",
        **params: Any,
    ) -> None:
        super().__init__(
            code,
            action=Message(f"action.{action}"),
            status=Message(f"status.{current_status}"),
            **params,
        )
        self.action = action
        self.current_status = current_status
        self.allowed_from = allowed_from


class NotPermitted(DomainError):
    """The user's role may not do this (API 403)."""

    default_code = "error.not_permitted"


def permission_require(user: Any, permission: str, *, what: str | None = None, **params: Any) -> None:
    """Raise :class:`NotPermitted` unless ``user``'s role has ``permission`` — the one "role may not"
    check. ``what`` names the refused action's message id (default ``permission.<permission>``)."""
    if user is not None and user.can(permission):
        return
    raise_not_permitted(user, what or f"permission.{permission}", **params)


def raise_not_permitted(user: Any, what: str, **params: Any) -> None:
    """Refuse ``user`` the action named by the message id ``what`` (its role named in the message)."""
    role = getattr(user, "role", None) or "none"
    raise NotPermitted(
        "permission.denied", role=Message(f"role.{role}"), permission=Message(what, **params)
    )


class Conflict(DomainError):
    """The request conflicts with what is stored (API 409), e.g. a reused idempotency key."""

    default_code = "error.conflict"

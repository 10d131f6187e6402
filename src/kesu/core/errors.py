"""Domain errors. The API and the UI turn them into 409 / 422 / 403 with the same message."""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every error an action raises on purpose."""


class FieldError(DomainError):
    """Bad input for one named field (API 422, inline form error)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(self.field, self.message)]


class FieldErrors(FieldError):
    """Several fields are wrong at once; each is named."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(errors[0].field, "; ".join(f"{e.field}: {e.message}" for e in errors))
        self._errors = [(e.field, e.message) for e in errors]

    @property
    def errors(self) -> list[tuple[str, str]]:
        return self._errors


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


class Conflict(DomainError):
    """The request conflicts with what is stored (API 409), e.g. a reused idempotency key."""

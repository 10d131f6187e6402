"""Bearer-token authentication and role checks for the API."""

from __future__ import annotations

from ninja.security import HttpBearer

from kesu.core import errors
from kesu.core.models import User
from kesu.security.tokens import token_user


class BearerToken(HttpBearer):
    """A valid token's user; an unknown, expired or (for a write) read-only token is refused with the
    reason, and repeated bad tokens lock the caller's address for a while (``kesu.security.tokens``)."""

    def authenticate(self, request, token: str) -> User | None:
        user = token_user(request, token)
        request.user = user
        return user


def permission_require(request, permission: str) -> User:
    user: User = request.auth
    errors.permission_require(user, permission)
    return user

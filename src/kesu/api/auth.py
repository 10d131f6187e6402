"""Bearer-token authentication and role checks for the API."""

from __future__ import annotations

from ninja.security import HttpBearer

from kesu.core import errors
from kesu.core.models import User
from kesu.core.selectors import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def permission_require(request, permission: str) -> User:
    user: User = request.auth
    errors.permission_require(user, permission)
    return user

from __future__ import annotations

from kesu.core.models import ApiToken, User, token_digest


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return token.user if token else None

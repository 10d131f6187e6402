from __future__ import annotations

from datetime import datetime

from kesu.core.models import ApiToken, User, token_digest
from kesu.core.prepared import PreparedQuery

_TOKEN = PreparedQuery(  # every API request reads it: compiled once (issue 16)
    lambda digest: ApiToken.objects.select_related("user")
    .filter(digest=digest, revoked_at__isnull=True, user__is_active=True).order_by("pk")[:1],
    digest=str,
)


def token_lookup(raw: str) -> ApiToken | None:
    """The token whose raw value is ``raw`` (not revoked, its user active), expired or not: the caller
    decides what an expired or read-only token may do (``kesu.api.auth``)."""
    if not raw:
        return None
    return _TOKEN.first(digest=token_digest(raw))


def token_expired(token: ApiToken, now: datetime) -> bool:
    """Has ``token`` expired at ``now``? A token without an expiry (made before tokens had one) never does."""
    return token.expires_at is not None and token.expires_at <= now


def user_for_token(raw: str, now: datetime | None = None) -> User | None:
    """The user of a valid (not revoked, not expired) token."""
    from kesu.core.clock import clock_now

    token = token_lookup(raw)
    if token is None or token_expired(token, now or clock_now()):
        return None
    return token.user

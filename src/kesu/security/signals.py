"""Receivers: logins, failures and logouts, and token creation, written to the security event log."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from kesu.core.clock import clock_now
from kesu.core.models import ApiToken
from kesu.security.actions import event_record, session_end, session_start
from kesu.security.models import EventKind
from kesu.security.sessions import session_stamp


@receiver(user_logged_in, dispatch_uid="kesu-security-login")
def _logged_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = clock_now()
    session_stamp(request.session, now, started=True)
    session_start(request=request, user=user, now=now)
    event_record(kind=EventKind.LOGIN, now=now, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="kesu-security-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    event_record(
        kind=EventKind.LOGIN_FAILED,
        now=clock_now(),
        request=request,
        username=str(credentials.get("username") or ""),
    )


@receiver(user_logged_out, dispatch_uid="kesu-security-logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        session_end(session_key=key)
    if user is not None:
        event_record(kind=EventKind.LOGOUT, now=clock_now(), request=request, user=user)


@receiver(post_save, sender=ApiToken, dispatch_uid="kesu-security-token-created")
def _token_created(sender, instance: ApiToken, created: bool, **kwargs) -> None:
    if not created:
        return
    expiry = instance.expires_at.isoformat() if instance.expires_at else "never"
    event_record(
        kind=EventKind.TOKEN_CREATED,
        now=instance.created_at,
        user=instance.user,
        detail=f"{instance.prefix}… {instance.name} expires={expiry} read_only={instance.read_only}",
    )

"""Middleware of login and sessions (issue 15).

- ``SecurityHeadersMiddleware``: Content-Security-Policy (scripts only from kesu's own static files:
  no inline script, no eval), Permissions-Policy, and HSTS when ``KESU_HTTPS=1`` (Django's own
  SecurityMiddleware sends it only on a request it sees as secure, which a TLS proxy hides).
  X-Frame-Options, Referrer-Policy, nosniff and Cross-Origin-Opener-Policy come from Django's.
- ``SessionTimeoutMiddleware``: a signed-in session ends after ``KESU_SESSION_IDLE_MINUTES`` without
  a request and ``KESU_SESSION_ABSOLUTE_HOURS`` after the login, whatever the activity.
- ``RefusalLogMiddleware``: every 403 answered (a page, the API, a CSRF failure) is a security event.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse

from kesu.core.clock import clock_now
from kesu.core.messages import Message
from kesu.security.actions import event_record, session_seen
from kesu.security.models import EventKind
from kesu.security.sessions import session_needs_stamp, session_over, session_stamp

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # style attributes (a bar's width) and the <style> htmx adds for its indicators; no script
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PERMISSIONS_POLICY = "camera=(), geolocation=(), microphone=(), payment=(), usb=()"
HSTS = "max-age=31536000"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if getattr(settings, "KESU_HTTPS", False):
            response.setdefault("Strict-Transport-Security", HSTS)
        return response


SKIPPED = ("/static/", "/api/", "/healthz")


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(SKIPPED):
            return self.get_response(request)
        now = clock_now()
        session = request.session
        idle = timedelta(minutes=settings.KESU_SESSION_IDLE_MINUTES)
        absolute = timedelta(hours=settings.KESU_SESSION_ABSOLUTE_HOURS)
        over = session_over(session, now, idle=idle, absolute=absolute)
        if over is not None:
            event_record(kind=EventKind.SESSION_EXPIRED, now=now, request=request, user=user, detail=over)
            logout(request)
            notice = (
                Message("security.session_idle", minutes=settings.KESU_SESSION_IDLE_MINUTES)
                if over == "idle"
                else Message("security.session_too_long", hours=settings.KESU_SESSION_ABSOLUTE_HOURS)
            )
            messages.warning(request, str(notice))
            login = redirect_to_login(request.get_full_path() if request.method == "GET" else "/")
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = login["Location"]
                return response
            return login
        if session_needs_stamp(session, now):
            session_stamp(session, now)
            if session.session_key:
                session_seen(session_key=session.session_key, now=now)
        return self.get_response(request)


class RefusalLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403 and not getattr(request, "_kesu_security_logged", False):
            event_record(
                kind=EventKind.REFUSED,
                now=clock_now(),
                request=request,
                user=getattr(request, "auth", None),
                detail=_reason(response),
            )
        return response


def _reason(response) -> str:
    """The refusal's message id (JSON answers carry one), else the status line's reason."""
    if response.get("Content-Type", "").startswith("application/json"):
        import json

        try:
            return str(json.loads(response.content).get("code", ""))[:300]
        except (ValueError, AttributeError):
            return ""
    return getattr(response, "reason_phrase", "")[:300]

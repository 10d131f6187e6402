"""Pages: my account's security (sessions, log out the others, password, tokens) and the security
event log (administrators and data-protection officers; CSV export)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kesu.core.clock import clock_now
from kesu.core.messages import Message
from kesu.core.models import ApiToken
from kesu.core.roles import Permission
from kesu.core.storable import iso_day
from kesu.security.actions import event_record, other_sessions_end, session_start
from kesu.security.models import EventKind
from kesu.security.selectors import events, events_csv, sessions_active
from kesu.web.responses import forbidden

PAGE_SIZE = 50


@login_required
def account_view(request: HttpRequest) -> HttpResponse:
    now = clock_now()
    current = request.session.session_key
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).order_by("-created_at")
    return render(
        request,
        "security/account.html",
        {
            "sessions": sessions_active(user=request.user, now=now),
            "current": current,
            "now": now,
            "tokens": tokens,
            "password_form": PasswordChangeForm(request.user),
        },
    )


@login_required
@require_POST
def sessions_end_view(request: HttpRequest) -> HttpResponse:
    count = other_sessions_end(user=request.user, keep=request.session.session_key or "")
    event_record(kind=EventKind.SESSIONS_ENDED, now=clock_now(), request=request, detail=str(count))
    messages.success(request, str(Message("security.sessions_ended", count=count)))
    return redirect("security:account")


@login_required
@require_POST
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST)
    now = clock_now()
    if not form.is_valid():
        return render(
            request,
            "security/account.html",
            {
                "sessions": sessions_active(user=request.user, now=now),
                "current": request.session.session_key,
                "now": now,
                "password_form": form,
                "tokens": ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).order_by(
                    "-created_at"
                ),
            },
            status=422,
        )
    user = form.save()
    update_session_auth_hash(request, user)  # this session stays; every other one is invalid now
    other_sessions_end(user=user, keep=request.session.session_key or "")
    session_start(request=request, user=user, now=now)
    event_record(kind=EventKind.PASSWORD_CHANGED, now=now, request=request, user=user)
    messages.success(request, str(Message("security.password_changed")))
    return redirect("security:account")


def _event_rows(request: HttpRequest):
    since = _day(request.GET.get("since", ""))
    until = _day(request.GET.get("until", ""))
    return events(
        kind=request.GET.get("kind", ""),
        username=request.GET.get("username", "").strip(),
        since=_day_start(since),
        until=_day_start(until, next_day=True),
    )


def _day(text: str):
    """The day a filter names; a filter that names none (``2026-13-40``, year 1) filters nothing."""
    try:
        return iso_day(text) if text else None
    except ValueError:
        return None


def _day_start(day, *, next_day: bool = False):
    if day is None:
        return None
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    if next_day:
        day = day + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
def events_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.PRIVACY_AUDIT):
        return forbidden(request)
    page = Paginator(_event_rows(request), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "security/events.html",
        {
            "page": page,
            "kinds": EventKind.choices,
            "filters": request.GET,
            "query": query.urlencode(),
        },
    )


@login_required
def events_csv_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.PRIVACY_AUDIT):
        return forbidden(request)
    response = HttpResponse(
        "\ufeff" + events_csv(_event_rows(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="security-events.csv"'
    return response

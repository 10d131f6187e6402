"""Login forms that count failures and refuse a locked account or address (issue 15)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone

from kesu.core.clock import clock_now
from kesu.core.messages import Message
from kesu.privacy.actions import client_address
from kesu.security.actions import event_record, failure_count, failures_clear, locked_until, login_keys
from kesu.security.models import EventKind


def lock_message(key: str, until: datetime, now: datetime) -> Message:
    """ "Locked until 14:05 (15 minutes)", naming the account or the address."""
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    shown = formats.date_format(timezone.localtime(until), "Y-m-d H:i")
    kind, _sep, value = key.partition(":")[2].partition(":")
    if kind == "user":
        return Message("security.account_locked", username=value, until=shown, minutes=minutes)
    return Message("security.address_locked", address=value, until=shown, minutes=minutes)


class ThrottledLoginMixin:
    """Before the password is checked: a locked account name or address is refused (the message says
    which and until when). After a failure: the failure is counted for the name and the address;
    the failure that reaches the limit locks and says so. A success forgets the name's failures."""

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        now = clock_now()
        username = str(self.cleaned_data.get("username") or "")
        address = client_address(self.request)
        keys = login_keys(username, address)
        lock = locked_until(keys, now)
        if lock is not None:
            event_record(
                kind=EventKind.LOCKED_REFUSED,
                now=now,
                request=self.request,
                username=username,
                detail=lock[0],
            )
            raise forms.ValidationError(str(lock_message(lock[0], lock[1], now)), code="locked")
        try:
            return super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            limits = (settings.KESU_LOGIN_MAX_FAILURES, settings.KESU_LOGIN_ADDRESS_MAX_FAILURES)
            for key, limit in zip(keys, limits, strict=True):
                until = failure_count(key=key, limit=limit, now=now)
                if until is not None:
                    event_record(
                        kind=EventKind.LOCKOUT, now=now, request=self.request, username=username, detail=key
                    )
                    raise forms.ValidationError(str(lock_message(key, until, now)), code="locked") from None
            raise

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)  # type: ignore[misc]
        failures_clear(key=login_keys(str(self.cleaned_data.get("username") or ""), "")[0])


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass

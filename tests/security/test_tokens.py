"""API tokens expire and may be read-only; bad tokens lock the address; each refusal has a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from kesu.core.actions import token_create
from kesu.core.models import ApiToken
from kesu.security.models import EventKind, SecurityEvent
from tests.api.builders import post_json
from tests.factories import T0, make_complaint, make_token

pytestmark = pytest.mark.django_db
BODY = {"channel": "phone", "content": "电话一直打不通", "customer": {"phone": "13700137000"}}


def _client(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")


def test_a_new_token_expires_after_the_configured_days_with_a_reason(handler, settings):
    settings.KESU_TOKEN_DAYS = 30
    raw = token_create(user=handler, now=T0)
    client = _client(raw)
    with time_machine.travel(T0 + timedelta(days=29), tick=False):
        assert client.get("/api/v1/complaints").status_code == 200
    with time_machine.travel(T0 + timedelta(days=30, seconds=1), tick=False):
        response = client.get("/api/v1/complaints")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "token.expired"
    assert raw[:8] in body["message"] and "expired on 2026-04-01" in body["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    event = SecurityEvent.objects.get(kind=EventKind.TOKEN_EXPIRED)
    assert event.username == handler.username and event.path == "/api/v1/complaints"


def test_a_token_made_before_tokens_expired_keeps_working(handler):
    raw = token_create(user=handler, now=T0, days=0)
    assert ApiToken.objects.get(user=handler).expires_at is None
    with time_machine.travel(T0 + timedelta(days=3650), tick=False):
        assert _client(raw).get("/api/v1/complaints").status_code == 200


def test_a_read_only_token_reads_and_every_write_is_403_with_the_reason(handler):
    complaint = make_complaint(by=handler)
    events_before = complaint.events.count()
    client = _client(make_token(handler, read_only=True))
    assert client.get("/api/v1/complaints").status_code == 200
    assert client.get(f"/api/v1/complaints/{complaint.pk}").status_code == 200

    for response in (
        post_json(client, "/api/v1/complaints", BODY),
        post_json(client, f"/api/v1/complaints/{complaint.pk}/transitions", {"action": "note", "text": "hi"}),
        post_json(client, f"/api/v1/complaints/{complaint.pk}/corrections", {"category": "service-attitude"}),
    ):
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "token.read_only"
        assert "is read-only" in response.json()["message"]
    assert complaint.events.count() == events_before  # the note and the correction were not written
    assert SecurityEvent.objects.filter(kind=EventKind.TOKEN_READ_ONLY).count() == 3
    assert not SecurityEvent.objects.filter(kind=EventKind.REFUSED).exists()  # logged once, with the reason


def test_repeated_bad_tokens_lock_the_address_with_retry_after_while_real_tokens_keep_working(
    handler, settings
):
    settings.KESU_TOKEN_MAX_FAILURES = 5
    good = make_token(handler)
    bad = _client("ks_not-a-real-token")
    with time_machine.travel(T0, tick=False):
        codes = [bad.get("/api/v1/complaints").json()["code"] for _ in range(5)]
        assert codes == ["token.unknown"] * 4 + ["security.address_locked"]
        # every further guess from the address is 429 without being looked at …
        response = _client("ks_another-guess").get("/api/v1/complaints")
        assert response.status_code == 429
        assert response["Retry-After"] == str(15 * 60)
        assert "127.0.0.1" in response.json()["message"] and "15" in response.json()["message"]
        # … while a real token from it still works (it cannot be guessed; callers are not cut off)
        assert _client(good).get("/api/v1/complaints").status_code == 200
        # another address may still try
        assert (
            Client(HTTP_AUTHORIZATION="Bearer ks_x", REMOTE_ADDR="10.1.1.1")
            .get("/api/v1/complaints")
            .status_code
            == 401
        )
    with time_machine.travel(T0 + timedelta(minutes=15, seconds=1), tick=False):
        assert bad.get("/api/v1/complaints").json()["code"] == "token.unknown"
    assert SecurityEvent.objects.filter(kind=EventKind.TOKEN_BAD, ip="127.0.0.1").count() == 6
    assert SecurityEvent.objects.filter(kind=EventKind.LOCKOUT, detail="token:ip:127.0.0.1").count() == 1


def test_token_creation_is_a_security_event(handler):
    raw = token_create(user=handler, now=T0, name="crm", days=7, read_only=True)
    event = SecurityEvent.objects.get(kind=EventKind.TOKEN_CREATED)
    assert event.username == handler.username
    assert raw[:8] in event.detail and "read_only=True" in event.detail and "2026-03-09" in event.detail


def test_the_cli_makes_expiring_and_read_only_tokens(handler, capsys):
    from kesu.cli import main

    assert main(["token", "create", handler.username, "--days", "10", "--read-only"]) == 0
    token = ApiToken.objects.get(user=handler)
    assert token.read_only and token.expires_at is not None
    assert (token.expires_at - token.created_at) == timedelta(days=10)

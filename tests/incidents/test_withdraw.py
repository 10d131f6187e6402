"""Withdrawing an incident declared by mistake, from the API and from the incident page: the linked
complaints go back to normal handling with the reason on their timeline, nobody is answered, and once
the resolution has started it is refused (409 / a message naming why)."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kesu.complaints.models import EventKind
from kesu.incidents.actions import incident_resolve
from kesu.incidents.models import Incident
from tests.factories import T0, make_token
from tests.incidents.conftest import HOUR, broadband, declare

pytestmark = pytest.mark.django_db

CLOSING = {"zh-hans": "光缆已修复", "en": "The fibre is repaired"}


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def linked(manager):
    with time_machine.travel(T0 + HOUR, tick=False):
        incident = declare(manager)
        complaints = [broadband(now=T0 + HOUR) for _ in range(2)]
    return incident, complaints


def test_a_manager_withdraws_an_incident_through_the_api(manager_client, linked):
    incident, complaints = linked
    with time_machine.travel(T0 + 2 * HOUR, tick=False):
        answer = post(manager_client, f"/api/v1/incidents/{incident.pk}/withdraw", {"reason": "误报：不是光缆"})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"incident_id": incident.pk, "withdrawn": True, "unlinked": 2}
    assert not Incident.objects.filter(pk=incident.pk).exists()
    assert manager_client.get(f"/api/v1/incidents/{incident.pk}").status_code == 404
    for complaint in complaints:
        assert complaint.events.get(kind=EventKind.INCIDENT_UNLINKED).data["reason"] == "误报：不是光缆"
        assert complaint.events.filter(kind=EventKind.REPLY_SENT).count() == 1  # the announcement only


def test_withdrawing_is_management_only_and_refused_once_resolving_started(handler, manager_client, manager,
                                                                         linked):
    incident, _complaints = linked
    handler_client = Client(HTTP_AUTHORIZATION=f"Bearer {make_token(handler)}")
    assert post(handler_client, f"/api/v1/incidents/{incident.pk}/withdraw", {}).status_code == 403
    assert post(manager_client, "/api/v1/incidents/999999/withdraw", {}).status_code == 404
    too_long = post(manager_client, f"/api/v1/incidents/{incident.pk}/withdraw", {"reason": "x" * 501})
    assert too_long.status_code == 422 and "reason" in too_long.content.decode()
    not_text = post(manager_client, f"/api/v1/incidents/{incident.pk}/withdraw", {"reason": 12})
    assert not_text.status_code == 422
    assert Incident.objects.filter(pk=incident.pk).exists()

    incident_resolve(incident=incident, by=manager, now=T0 + 3 * HOUR, message=CLOSING, root_cause="third_party")
    refused = post(manager_client, f"/api/v1/incidents/{incident.pk}/withdraw", {"reason": "太晚了"},
                   HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 409
    assert "can no longer be withdrawn" in refused.json()["detail"]
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_the_incident_page_withdraws_after_the_confirmation(client, manager, linked):
    incident, complaints = linked
    client.force_login(manager)
    page = client.get(reverse("incidents:detail", args=[incident.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="withdraw-form"' in page.content.decode()
    assert "send its 2 complaints back to normal handling" in page.content.decode()
    # without the confirmation ticked nothing happens
    url = reverse("incidents:withdraw", args=[incident.pk])
    unconfirmed = client.post(url, {"reason": "误报"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Tick the confirmation" in unconfirmed.content.decode()
    assert Incident.objects.filter(pk=incident.pk).exists()
    # confirmed: withdrawn, back on the list with the count
    with time_machine.travel(T0 + 2 * HOUR, tick=False):
        done = client.post(url, {"reason": "误报", "confirm": "yes"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert done.redirect_chain[-1][0] == reverse("incidents:list")
    assert "2 complaints are back in normal handling" in done.content.decode()
    assert not Incident.objects.filter(pk=incident.pk).exists()
    assert all(c.events.filter(kind=EventKind.INCIDENT_UNLINKED).exists() for c in complaints)


def test_the_page_offers_no_withdrawal_once_resolving_and_a_handler_may_not(client, manager, handler, linked):
    incident, _complaints = linked
    client.force_login(handler)
    assert client.post(reverse("incidents:withdraw", args=[incident.pk]), {"confirm": "yes"}).status_code == 403
    incident_resolve(incident=incident, by=manager, now=T0 + 3 * HOUR, message=CLOSING, root_cause="third_party")
    client.force_login(manager)
    page = client.get(reverse("incidents:detail", args=[incident.pk]))
    assert 'id="withdraw-form"' not in page.content.decode()
    refused = client.post(reverse("incidents:withdraw", args=[incident.pk]), {"confirm": "yes"}, follow=True,
                          HTTP_ACCEPT_LANGUAGE="en")
    assert "can no longer be withdrawn" in refused.content.decode()
    assert Incident.objects.filter(pk=incident.pk).exists()

"""Active → monitoring → resolved: recovery reported is an incident event; while monitoring, the waiting
complaints keep waiting and new matches are answered but go to a handler; the compensation threshold
is configuration."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client, override_settings

from kesu.complaints.models import EventKind
from kesu.config.environment import ConfigurationError, environment_read
from kesu.incidents.models import IncidentEvent, IncidentLink
from tests.factories import T0, make_token
from tests.incidents.conftest import HOUR, broadband, declare

pytestmark = pytest.mark.django_db


def test_recovery_reported_moves_the_incident_to_monitoring_through_the_api(manager_client, manager, handler):
    incident = declare(manager)
    before = broadband(now=T0 + HOUR)
    assert Client().post(f"/api/v1/incidents/{incident.pk}/monitor", "{}", content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {make_token(handler)}").status_code == 403
    moved = manager_client.post(f"/api/v1/incidents/{incident.pk}/monitor",
                                json.dumps({"note": "光缆已接通，观察中"}), content_type="application/json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["state"] == "monitoring" and moved.json()["monitoring_at"]
    event = IncidentEvent.objects.get(incident=incident)
    assert (event.kind, event.by, event.data["note"]) == ("monitoring", manager, "光缆已接通，观察中")
    again = manager_client.post(f"/api/v1/incidents/{incident.pk}/monitor", "{}", content_type="application/json")
    assert again.status_code == 409

    after = broadband(now=T0 + 2 * HOUR)
    waiting, new = IncidentLink.objects.get(complaint=before), IncidentLink.objects.get(complaint=after)
    assert waiting.waits
    assert not new.waits and new.exception == "after_recovery"
    assert after.events.filter(kind=EventKind.REPLY_SENT).exists()  # answered with the announcement all the same


def test_the_monitor_button_on_the_incident_page(client, manager):
    incident = declare(manager)
    client.force_login(manager)
    page = client.get(f"/incidents/{incident.pk}/")
    assert b"monitor-form" in page.content
    response = client.post(f"/incidents/{incident.pk}/monitor/", {"note": "recovered"}, follow=True)
    assert response.status_code == 200
    incident.refresh_from_db()
    assert incident.state == "monitoring"
    assert b"monitor-form" not in response.content and b"recovered" in response.content


@override_settings(KESU_INCIDENT_COMPENSATION_THRESHOLD=Decimal(1000))
def test_the_compensation_threshold_is_configuration(manager):
    declare(manager)
    below = broadband(now=T0 + HOUR, amount=Decimal(800))
    above = broadband(now=T0 + HOUR, amount=Decimal(1200))
    assert IncidentLink.objects.get(complaint=below).waits
    assert IncidentLink.objects.get(complaint=above).exception == "compensation"


def test_the_threshold_is_read_from_the_environment(tmp_path):
    env = {"KESU_DATA_DIR": str(tmp_path), "KESU_SECRET_KEY": "x" * 50}
    assert environment_read(env).incident_compensation_threshold == Decimal(500)
    assert environment_read({**env, "KESU_INCIDENT_COMPENSATION_THRESHOLD": "800.50"}
                            ).incident_compensation_threshold == Decimal("800.50")
    for bad in ("lots", "-1", "nan"):
        with pytest.raises(ConfigurationError, match="KESU_INCIDENT_COMPENSATION_THRESHOLD"):
            environment_read({**env, "KESU_INCIDENT_COMPENSATION_THRESHOLD": bad})

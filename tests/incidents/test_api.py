"""The API contract of issue 13: 201 with id, 422 naming the field, 403 for anyone but management."""

from __future__ import annotations

import json

import pytest
import time_machine

from kesu.complaints.models import EventKind
from kesu.incidents.models import Deflection, Incident, IncidentLink
from kesu.pipeline.incidents import incident_resolve_run
from tests.factories import T0, make_token
from tests.incidents.conftest import ANNOUNCEMENT, HOUR, SCOPE, broadband

pytestmark = pytest.mark.django_db

BODY = {"title": "南山区宽带中断", "kind": "outage", "announcement": ANNOUNCEMENT, "scope": SCOPE,
        "starts_at": "2026-03-02T08:00:00+08:00", "expected_recovery_at": "2026-03-02T18:00:00+08:00"}


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def travel():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def test_declare_read_update_resolve_through_the_api(manager_client, travel):
    created = post(manager_client, "/api/v1/incidents", BODY)
    assert created.status_code == 201, created.content
    incident_id = created.json()["id"]
    travel.move_to(T0 + HOUR)
    complaint = broadband(now=T0 + HOUR)

    detail = manager_client.get(f"/api/v1/incidents/{incident_id}").json()
    assert (detail["state"], detail["linked_count"], detail["answered_count"]) == ("active", 1, 1)
    shown = manager_client.get(f"/api/v1/complaints/{complaint.pk}").json()
    assert shown["incident"]["id"] == incident_id and shown["incident"]["how"] == "intake"
    replies = [e for e in shown["timeline"] if e["kind"] == EventKind.REPLY_SENT]
    assert ANNOUNCEMENT["zh-hans"] in replies[0]["data"]["text"]

    update = post(manager_client, f"/api/v1/incidents/{incident_id}/updates",
                  {"announcement": {"zh-hans": "抢修进展顺利", "en": "Repairs are going well"},
                   "expected_recovery_at": "2026-03-02T20:00:00+08:00"})
    assert update.status_code == 200 and update.json()["version"] == 2
    from kesu.incidents.actions import incident_push

    assert incident_push(incident_id=incident_id, now=T0 + 2 * HOUR) == 1
    assert incident_push(incident_id=incident_id, now=T0 + 2 * HOUR) == 0  # once per update

    resolved = post(manager_client, f"/api/v1/incidents/{incident_id}/resolve",
                    {"message": {"zh-hans": "光缆已修复，宽带恢复", "en": "The fibre is repaired"},
                     "root_cause": "third_party"})
    assert resolved.status_code == 200 and resolved.json()["state"] == "resolved"
    incident_resolve_run(incident_id=incident_id, now=T0 + 3 * HOUR)
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.root_cause == "third_party"
    texts = [e.data["text"] for e in complaint.events.filter(kind=EventKind.REPLY_SENT)]
    assert len(texts) == 3 and "光缆已修复" in texts[-1] and "抢修进展顺利" in texts[1]
    final = manager_client.get(f"/api/v1/incidents/{incident_id}").json()
    assert final["self_healed_share"] == 1.0 and final["resolve_progress"] == {"done": 1, "total": 1}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"scope": {"regions": ["广东省深圳市南山区", ""]}}, "scope.regions[1]"),
        ({"scope": {"areas": ["x"]}}, "scope.areas"),
        ({"scope": {"categories": ["no-such"]}}, "scope.categories[0]"),
        ({"scope": {}}, "scope"),
        ({"scope": "南山"}, "scope"),
        ({"kind": "meteor"}, "kind"),
        ({"announcement": {"zh-hans": "只有中文"}}, "announcement.en"),
        ({"expected_recovery_at": "tomorrow"}, "expected_recovery_at"),
    ],
)
def test_bad_input_is_422_naming_the_field(manager_client, change, field):
    response = post(manager_client, "/api/v1/incidents", {**BODY, **change})
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert field in [d["loc"][-1] for d in detail], detail
    assert all(d.get("code") and "message" in d for d in detail)
    assert not Incident.objects.exists()


def test_only_management_declares(api_client):
    assert post(api_client, "/api/v1/incidents", BODY).status_code == 403
    assert api_client.get("/api/v1/incidents/suggestions").status_code == 403


def test_link_and_unlink_through_the_api(manager_client, handler, client):
    incident_id = post(manager_client, "/api/v1/incidents", BODY).json()["id"]
    complaint = broadband(now=T0 + HOUR, region="广东省广州市天河区")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(handler)}"
    linked = post(client, f"/api/v1/incidents/{incident_id}/links", {"complaint_id": complaint.pk, "reason": "在南山上班"})
    assert linked.status_code == 201
    assert post(client, f"/api/v1/incidents/{incident_id}/links", {"complaint_id": complaint.pk}).status_code == 409
    gone = client.delete(f"/api/v1/incidents/{incident_id}/links/{complaint.pk}?reason=不相关")
    assert gone.status_code == 204
    assert not IncidentLink.objects.exists()
    assert complaint.events.filter(kind=EventKind.INCIDENT_UNLINKED).get().data["reason"] == "不相关"


def test_the_ivr_asks_before_queueing_and_each_answer_is_a_deflection(manager, api_client):
    from tests.incidents.conftest import declare

    incident = declare(manager)
    known = broadband(now=T0 - 2 * HOUR)  # the caller complained before: their region is known
    phone = known.customer.identities.get().value
    by_phone = api_client.get(f"/api/v1/incidents/active?phone={phone}").json()
    assert [i["title"] for i in by_phone["incidents"]] == ["南山区宽带中断"]
    assert api_client.get("/api/v1/incidents/active?region=广东省广州市").json()["incidents"] == []
    assert api_client.get("/api/v1/incidents/active").status_code == 422
    assert Deflection.objects.filter(source="ivr").count() == 1
    detail = api_client.get(f"/api/v1/incidents/{incident.pk}").json()
    assert detail["deflected_count"] == 1

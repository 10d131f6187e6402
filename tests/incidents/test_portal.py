"""Deflection on the portal: the banner of active incidents, the warning before filing a complaint the
incident explains (recorded as a deflection), and filing anyway (linked, answered)."""

from __future__ import annotations

import pytest
import time_machine

from kesu.complaints.models import Complaint
from kesu.incidents.models import Deflection, IncidentLink
from tests.factories import T0
from tests.incidents.conftest import HOUR, declare

pytestmark = pytest.mark.django_db

FORM = {"name": "王芳", "phone": "13911112222", "email": "", "content": "南山这边宽带断网了，一直上不了网",
        "category": "", "order_number": ""}


@pytest.fixture
def incident(manager):
    return declare(manager)


def test_the_portal_shows_the_active_incidents(client, incident):
    page = client.get("/portal/").content.decode()
    assert 'id="incident-banner"' in page and "南山区光缆被挖断" in page
    english = client.get("/portal/", headers={"Accept-Language": "en"}).content.decode()
    assert "A fibre cut in Nanshan" in english


def test_a_matching_text_is_warned_before_filing_and_filing_anyway_links(client, incident):
    with time_machine.travel(T0 + HOUR, tick=False):
        warned = client.post("/portal/", FORM, REMOTE_ADDR="203.0.113.9")
        page = warned.content.decode()
        assert warned.status_code == 200 and 'id="incident-match"' in page and "2026-03-02" in page
        assert not Complaint.objects.exists()
        assert Deflection.objects.filter(incident=incident, source="portal").count() == 1

        filed = client.post("/portal/", {**FORM, "file_anyway": "1"}, REMOTE_ADDR="203.0.113.9", follow=True)
        assert filed.status_code == 200 and "KS-" in filed.content.decode()
    complaint = Complaint.objects.get()
    assert IncidentLink.objects.get(complaint=complaint).incident == incident


def test_an_unrelated_complaint_is_filed_at_once(client, incident):
    response = client.post("/portal/", {**FORM, "content": "快递三天没到，要求退款。"}, REMOTE_ADDR="203.0.113.9", follow=True)
    assert "KS-" in response.content.decode() and Complaint.objects.count() == 1

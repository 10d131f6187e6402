"""Deflection on the portal: the banner of active incidents, the warning before filing a complaint the
incident explains (recorded as a deflection), and filing anyway (linked, answered)."""

from __future__ import annotations

import re

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


def test_the_region_given_on_the_form_matches_a_text_that_names_none(client, incident):
    """The text says only "broadband is down"; the province / city / district fields place it in the
    incident's district, so the customer is warned and, filing anyway, the complaint is linked by region."""
    form = {**FORM, "content": "家里宽带断网了，一直上不了网", "province": "广东省", "city": "深圳市", "district": "南山区"}
    page = client.get("/portal/").content.decode()
    assert 'list="region-districts"' in page and '<option value="南山区">' in page  # the datalist offers it
    with time_machine.travel(T0 + HOUR, tick=False):
        elsewhere = client.post("/portal/", {**form, "district": "福田区"}, REMOTE_ADDR="203.0.113.9", follow=True)
        assert 'id="incident-match"' not in elsewhere.content.decode()
        warned = client.post("/portal/", form, REMOTE_ADDR="203.0.113.9")
        assert 'id="incident-match"' in warned.content.decode()
        client.post("/portal/", {**form, "file_anyway": "1"}, REMOTE_ADDR="203.0.113.9")
    complaint = Complaint.objects.get(region="广东省深圳市南山区")
    link = IncidentLink.objects.get(complaint=complaint)
    assert {"on": "region", "value": "广东省深圳市南山区", "from": "complaint"} in link.reasons


def test_a_district_without_its_province_is_named(client, incident):
    response = client.post("/portal/", {**FORM, "content": "快递没到", "district": "南山区"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 422 and not Complaint.objects.exists()
    assert "请同时填写省份" in response.content.decode()


def test_a_customer_waiting_on_the_incident_is_promised_its_expected_recovery(client, incident):
    # given: a customer files anyway and their complaint waits on the incident (expected over at 17:00)
    with time_machine.travel(T0 + HOUR, tick=False):
        filed = client.post("/portal/", {**FORM, "file_anyway": "1"}, REMOTE_ADDR="203.0.113.9", follow=True)
    tracking = re.search(r"/portal/t/[\w-]+/", filed.content.decode()).group(0)
    # then: the tracking page's next step is the incident's recovery, in Beijing time
    with time_machine.travel(T0 + 2 * HOUR, tick=False):
        page = client.get(tracking).content.decode()
    assert "已知的群体事件预计在此时间前恢复" in page and "2026-03-02 17:00" in page

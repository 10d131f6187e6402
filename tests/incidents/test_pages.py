"""The incident pages: declare with the matching count and a sample (and link all), the incident page
with its figures, the suggestions page, the complaint page's incident panel, and the menu."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kesu.complaints.models import EventKind
from kesu.incidents.models import Incident, IncidentLink
from tests.factories import T0
from tests.incidents.conftest import HOUR, broadband, declare

pytestmark = pytest.mark.django_db

FORM = {"title": "南山区宽带中断", "kind": "outage", "announcement_zh": "南山区光缆中断，正在抢修",
        "announcement_en": "Fibre cut in Nanshan, repairs under way", "regions": "广东省深圳市南山区",
        "keywords": "宽带, 断网", "starts_at": "2026-03-02T08:00", "expected_recovery_at": "2026-03-02T18:00",
        "link_matching": "on"}


@pytest.fixture
def manager_web(client, manager):
    client.force_login(manager)
    return client


def test_declare_shows_the_matching_count_and_a_sample_then_links_all(manager_web):
    open_ones = [broadband(now=T0) for _ in range(3)]

    preview = manager_web.post(reverse("incidents:declare"), {**FORM, "step": "preview"})
    assert preview.status_code == 200
    assert preview.context["preview"]["count"] == 3
    assert open_ones[0].number in preview.content.decode()
    assert not Incident.objects.exists()

    declared = manager_web.post(reverse("incidents:declare"), {**FORM, "step": "declare"})
    incident = Incident.objects.get()
    assert declared.status_code == 302 and declared["Location"] == reverse("incidents:detail", args=[incident.pk])
    assert IncidentLink.objects.filter(incident=incident).count() == 3
    page = manager_web.get(declared["Location"]).content.decode()
    assert open_ones[0].number in page and 'id="fig-linked">3<' in page


def test_a_bad_scope_is_shown_next_to_its_field(manager_web):
    response = manager_web.post(reverse("incidents:declare"), {**FORM, "regions": "", "keywords": "", "step": "declare"})
    assert response.status_code == 422
    assert response.context["form"].errors["regions"]
    assert not Incident.objects.exists()


def test_the_complaint_page_shows_the_incident_and_unlinks_in_one_click(manager, client, handler):
    incident = declare(manager)
    complaint = broadband(now=T0 + HOUR)
    client.force_login(handler)
    page = client.get(reverse("web:complaint_detail", args=[complaint.pk])).content.decode()
    assert 'id="incident-panel"' in page and incident.title in page
    done = client.post(reverse("incidents:unlink", args=[incident.pk, complaint.pk]),
                       {"reason": "不是同一问题", "next": reverse("web:complaint_detail", args=[complaint.pk])})
    assert done.status_code == 302
    assert complaint.events.filter(kind=EventKind.INCIDENT_UNLINKED).exists()


def test_only_management_sees_the_menu_entry_and_declares(client, handler, manager):
    client.force_login(handler)
    assert reverse("incidents:list") not in client.get(reverse("web:complaint_list")).content.decode()
    assert client.get(reverse("incidents:declare")).status_code == 403
    client.force_login(manager)
    assert reverse("incidents:list") in client.get(reverse("web:complaint_list")).content.decode()


def test_the_suggestions_page_offers_declare_from_this(manager_web, manager):
    from datetime import timedelta

    from kesu.incidents.bursts import bursts_detect

    for week in range(1, 9):
        broadband(now=T0 - week * timedelta(weeks=1) - HOUR / 2, product="宽带")
    for i in range(30):
        broadband(now=T0 - HOUR + timedelta(minutes=i + 1), product="宽带")
    (suggestion,) = bursts_detect(now=T0).created
    page = manager_web.get(reverse("incidents:suggestions")).content.decode()
    assert f"?suggestion={suggestion.pk}" in page
    form = manager_web.get(reverse("incidents:declare") + f"?suggestion={suggestion.pk}")
    assert form.context["form"].initial["suggestion_id"] == suggestion.pk
    assert form.context["preview"]["count"] == 30

"""The demo's incidents: two past (resolved, their complaints closed) and one active."""

from __future__ import annotations

import pytest

from kesu.core.roles import Role
from kesu.incidents.demo import demo_populate
from kesu.incidents.models import Incident
from kesu.incidents.selectors import incident_figures
from tests.factories import T0, make_user

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_past_incidents_and_one_active():
    make_user(Role.MANAGER, "manager")
    demo_populate(seed=42, complaints=0, now=T0)
    demo_populate(seed=42, complaints=0, now=T0)  # idempotent
    states = sorted(Incident.objects.values_list("state", flat=True))
    assert states == ["active", "resolved", "resolved"]
    for incident in Incident.objects.filter(state="resolved"):
        figures = incident_figures(incident)
        assert figures.linked >= 20 and figures.closed_by_incident == figures.linked - figures.with_handler
        assert figures.time_to_declaration_minutes and figures.time_to_declaration_minutes > 0
    active = Incident.objects.get(state="active")
    assert incident_figures(active).linked >= 10

"""The demo's starting configuration: valid, idempotent, and routing as its names say."""

from __future__ import annotations

import pytest

from kesu.core.models import HandlerProfile
from kesu.demo.organisation import organisation_ensure
from kesu.routing.defaults import RULES, routing_defaults_ensure
from kesu.routing.models import GroupRouting, RoutingRule
from tests.factories import T0
from tests.routing.conftest import customer, intake

pytestmark = pytest.mark.django_db


def test_the_demo_configuration_is_created_once_and_routes_vips_to_the_vip_desk():
    organisation_ensure()
    HandlerProfile.objects.update(availability="online")

    assert routing_defaults_ensure(now=T0) == {"groups": 5, "rules": len(RULES)}
    assert routing_defaults_ensure(now=T0) == {"groups": 0, "rules": 0}
    assert GroupRouting.objects.get(is_default=True).group.code == "front-desk"
    assert RoutingRule.objects.count() == len(RULES)

    vip = intake(customer=customer(tier="vip"))
    assert (vip.group.code, vip.assignee.username) == ("vip-desk", "yang.li")  # a senior; the lower id
    regular = intake()
    assert regular.group.code == "front-desk"
    assert regular.assignee.handler_profile.groups.filter(code="front-desk").exists()
    red = intake(content="再不处理我就去媒体曝光，已经联系了电视台记者")
    assert red.priority == "P1" and red.assignee.handler_profile.is_senior
    assert list(red.followers.values_list("user__username", flat=True)) == ["guo.min"]

"""Roles and what they may do; users; bearer tokens."""

from __future__ import annotations

import pytest
from django.utils import translation

from kesu.core.actions import token_create, user_create
from kesu.core.errors import FieldError, FieldErrors, InvalidTransition
from kesu.core.models import ApiToken, HandlerProfile, token_digest
from kesu.core.roles import ROLE_PERMISSIONS, Permission, Role, role_allows
from kesu.core.selectors import user_for_token
from tests.factories import T0, make_group, make_user

WRITES = {
    Permission.COMPLAINT_CREATE,
    Permission.COMPLAINT_HANDLE,
    Permission.COMPLAINT_MERGE,
    Permission.DATA_IMPORT,
}


@pytest.mark.parametrize("role", [Role.ANALYST, Role.DECISION])
def test_analyst_and_decision_roles_only_read(role):
    # operations.view (workforce, issue 14) and analytics.read (issue 12) only read: forecasts, staffing,
    # process maps, risk ranking, dashboards; the decision layer also sets the KPI targets (issue 12)
    expected = {Permission.COMPLAINT_READ, Permission.CUSTOMER_READ, Permission.OPERATIONS_VIEW,
                Permission.ANALYTICS_READ}
    if role == Role.DECISION:
        expected |= {Permission.KPI_TARGET_SET}
    assert ROLE_PERMISSIONS[role] == expected
    assert not any(role_allows(role, p) for p in WRITES)


def test_handling_roles():
    for role in (Role.HANDLER, Role.SPECIALIST):
        assert role_allows(role, Permission.COMPLAINT_HANDLE)
        assert not role_allows(role, Permission.COMPLAINT_MERGE)
    assert all(role_allows(Role.ADMIN, p) for p in Permission.values)
    # the access log and requests of the person are for administrators and the DPO (issue 15)
    # and the KPI targets for the decision layer (issue 12)
    not_managers = {Permission.PRIVACY_AUDIT, Permission.PRIVACY_REQUESTS, Permission.KPI_TARGET_SET}
    assert all(role_allows(Role.MANAGER, p) for p in set(Permission.values) - not_managers)
    assert not any(role_allows(Role.MANAGER, p) for p in not_managers)


def test_every_role_has_permissions_and_unknown_roles_have_none():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    assert not role_allows("intern", Permission.COMPLAINT_READ)


@pytest.mark.django_db
def test_an_inactive_user_can_do_nothing():
    user = make_user(Role.MANAGER)
    user.is_active = False

    assert not user.can(Permission.COMPLAINT_READ)


@pytest.mark.django_db
def test_user_create_gives_handlers_a_profile_in_their_groups():
    group = make_group("front-desk")

    handler = user_create(username="h1", role=Role.HANDLER, groups=[group], display_name="王小二")
    analyst = user_create(username="a1", role=Role.ANALYST)

    assert list(handler.handler_profile.groups.all()) == [group]
    assert str(handler) == "王小二"
    assert not HandlerProfile.objects.filter(user=analyst).exists()
    assert not handler.has_usable_password()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"username": "x", "role": "intern"}, "role"),
        ({"username": "", "role": Role.HANDLER}, "username"),
        ({"username": "u" * 151, "role": Role.HANDLER}, "username"),
    ],
)
def test_user_create_refuses_bad_input(kwargs, field):
    with pytest.raises(FieldError) as raised:
        user_create(**kwargs)
    assert raised.value.field == field


@pytest.mark.django_db
def test_user_create_refuses_a_taken_username():
    make_user(Role.HANDLER, "taken")

    with pytest.raises(FieldError) as refused:
        user_create(username="taken", role=Role.ANALYST)
    assert (refused.value.field, refused.value.code, refused.value.params) == ("username", "user.exists", {"user": "taken"})


@pytest.mark.django_db
def test_a_token_finds_its_user_until_revoked():
    user = make_user(Role.HANDLER)
    raw = token_create(user=user, now=T0, name="crm")

    assert raw.startswith("ks_") and len(raw) > 40
    assert user_for_token(raw, now=T0) == user
    assert user_for_token(raw + "x", now=T0) is None
    assert user_for_token("") is None

    ApiToken.objects.filter(digest=token_digest(raw)).update(revoked_at=T0)
    assert user_for_token(raw, now=T0) is None


@pytest.mark.django_db
def test_tokens_are_unique_and_stored_as_digests():
    user = make_user(Role.HANDLER)

    raws = {token_create(user=user, now=T0) for _ in range(5)}

    assert len(raws) == 5
    assert set(ApiToken.objects.values_list("digest", flat=True)) == {token_digest(r) for r in raws}


def test_errors_carry_what_the_api_needs():
    single = FieldError("content", "field.empty")
    several = FieldErrors([single, FieldError("channel", "field.unknown", value="fax", choices=["phone"])])
    transition = InvalidTransition(action="close", current_status="new", allowed_from=("resolved",))

    assert [(e.field, e.code) for e in several.field_errors] == [("content", "field.empty"), ("channel", "field.unknown")]
    assert isinstance(several, FieldError)
    with translation.override("en"):
        assert several.errors == [("content", "This field must not be empty."),
                                  ("channel", "Unknown value “fax”; choose one of phone.")]
        assert str(transition) == "Cannot “Close” this complaint: its current status is “New”."
    assert transition.code == "transition.refused"
    assert (transition.current_status, transition.allowed_from) == ("new", ("resolved",))

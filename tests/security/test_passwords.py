"""Passwords have at least 12 characters and are not common ones — wherever a password is set."""

from __future__ import annotations

import pytest
from django.test import Client

from kesu.core.actions import user_create, user_password_set
from kesu.core.errors import FieldError
from kesu.core.models import User
from kesu.core.roles import Role
from kesu.demo.generator import DEMO_PASSWORD
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Kq8-mZvT2wL-9x"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pw1", "at least 12 characters"),
        ("password1234", "too common"),
        ("739182650417", "entirely numeric"),
    ],
)
def test_a_weak_password_is_refused_naming_why(password, reason):
    from django.utils import translation

    with translation.override("en"), pytest.raises(FieldError) as refused:
        user_create(username="wang", role=Role.HANDLER, password=password)
    assert refused.value.field == "password"
    assert reason in refused.value.message
    assert not User.objects.filter(username="wang").exists()


def test_the_demo_password_and_the_factories_password_pass_the_rules():
    user_create(username="demo-check", role=Role.HANDLER, password=DEMO_PASSWORD)
    user = make_user(Role.HANDLER)
    with pytest.raises(FieldError):
        user_password_set(user=user, password="kesu-demo")  # the old demo password: too short


def test_the_cli_refuses_a_short_password(capsys):
    from kesu.cli import main

    assert main(["createuser", "li", "--role", "handler", "--password", "short"]) != 0
    assert not User.objects.filter(username="li").exists()


def test_changing_my_password_checks_the_rules_and_logs_out_my_other_sessions():
    user = make_user(Role.HANDLER, "zhao")
    here, there = Client(HTTP_ACCEPT_LANGUAGE="en"), Client()
    for client in (here, there):
        assert client.post("/login/", {"username": "zhao", "password": PASSWORD}).status_code == 302

    weak = here.post(
        "/security/account/password/",
        {"old_password": PASSWORD, "new_password1": "abc12345", "new_password2": "abc12345"},
    )
    assert weak.status_code == 422
    assert "at least 12 characters" in weak.content.decode()

    done = here.post(
        "/security/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-pass-9",
            "new_password2": "a-much-longer-pass-9",
        },
        follow=True,
    )
    assert "Your password was changed" in done.content.decode()
    assert here.get("/").status_code == 200
    assert there.get("/").status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-much-longer-pass-9")


def test_the_admin_refuses_a_short_password_for_a_new_user():
    make_user(Role.ADMIN, "root")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    response = client.post(
        "/admin/core/user/add/",
        {"username": "newbie", "password1": "short-pw1", "password2": "short-pw1", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()

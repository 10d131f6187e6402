from __future__ import annotations

import pytest

from tests.factories import make_complaint


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/complaints/new/", "/complaints/1/"])
def test_pages_need_login(client, path):
    # when an anonymous visitor opens a page
    response = client.get(path)

    # then they are sent to the login page, which brings them back afterwards
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


@pytest.mark.django_db
def test_login_with_password_opens_the_complaint_list(client, handler):
    # given a complaint and the login page
    make_complaint(by=handler, subject="包裹破损")
    assert "登录" in client.get("/login/").content.decode()

    # when the handler logs in
    response = client.post(
        "/login/", {"username": "handler1", "password": "Kq8-mZvT2wL-9x", "next": "/"}, follow=True
    )

    # then they see the list, their name and their role
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/"
    assert "包裹破损" in page
    assert "handler1" in page
    assert "一线处理" in page


@pytest.mark.django_db
def test_a_wrong_password_is_refused(client, handler):
    response = client.post("/login/", {"username": "handler1", "password": "wrong-password"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_is_a_post(client, handler):
    client.force_login(handler)

    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302

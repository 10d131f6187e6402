"""Domain errors are answered once for every page (kesu.web.errors), as the API's exception
handlers do: a form again with the message at its field (422), a refused input alone (422, the text
to htmx), a role that may not (403 naming the role)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation

from kesu.core.errors import NotPermitted, permission_require
from kesu.core.roles import Permission, Role
from kesu.web.errors import DomainErrorMiddleware
from tests.factories import make_complaint, make_user

pytestmark = pytest.mark.django_db


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_a_refused_form_comes_back_with_the_message_at_its_field(handler_client):
    response = _english(handler_client).post("/complaints/new/", {"channel": "phone", "content": ""})

    assert response.status_code == 422
    assert response.context["form"].errors  # the form again, its error beside the field
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_refused_input_outside_a_form_is_a_422_with_its_reason(handler_client, handler):
    complaint = make_complaint(by=handler)
    url = f"/desk/complaints/{complaint.pk}/suggestions/feedback/"
    data = {"kind": "nonsense", "target": "1", "verdict": "used"}

    htmx = _english(handler_client).post(url, data, headers={"HX-Request": "true"})
    page = handler_client.post(url, data)

    assert htmx.status_code == 422 and htmx["Content-Type"].startswith("text/plain")
    assert htmx.content.decode().strip()
    assert page.status_code == 422
    assert htmx.content.decode() in page.content.decode() and "Not accepted" in page.content.decode()


def test_a_role_that_may_not_gets_the_refusal_page_naming_the_role():
    analyst = make_user(Role.ANALYST, "analyst-x")
    request = RequestFactory().post("/complaints/1/correct/")
    request.user = analyst
    with pytest.raises(NotPermitted) as refused:
        permission_require(analyst, Permission.COMPLAINT_HANDLE)

    with translation.override("en"):
        response = DomainErrorMiddleware(lambda r: None).process_exception(request, refused.value)
        message = refused.value.message

    assert response is not None and response.status_code == 403
    assert "nalyst" in message
    assert message in response.content.decode()


def test_the_api_keeps_its_own_answers():
    request = RequestFactory().post("/api/v1/complaints")
    with pytest.raises(NotPermitted) as refused:
        permission_require(None, Permission.COMPLAINT_HANDLE)
    assert DomainErrorMiddleware(lambda r: None).process_exception(request, refused.value) is None


def test_a_page_refused_to_a_role_names_the_role_and_what_it_may_not_do(client, handler):
    complaint = make_complaint(by=handler)
    analyst = make_user(Role.ANALYST, "analyst-y")
    client.force_login(analyst)
    _english(client)

    response = client.post(f"/complaints/{complaint.pk}/correct/", {"correct-reason": "x"})

    assert response.status_code == 403
    assert "may not do this: handle complaints" in response.content.decode()

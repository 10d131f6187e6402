"""Messages carry an id and parameters and are worded in the reader's language when shown."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from kesu.core.errors import FieldError, FieldErrors
from kesu.core.messages import Message, message_codes, message_render


def test_a_message_is_worded_in_each_language():
    message = Message("field.too_long", limit=200, got=250)

    assert message_render(message.code, message.params, language="en") == (
        "At most 200 characters (you entered 250)."
    )
    assert message_render(message.code, message.params, language="zh-hans") == "最多 200 个字符（已输入 250 个）。"
    with translation.override("en"):
        assert str(message) == "At most 200 characters (you entered 250)."


def test_the_stored_form_renders_the_same_as_the_message():
    message = Message("field.choice", choices=["phone", "email"], got="fax")
    stored = message.as_data()

    assert stored == {"code": "field.choice", "params": {"choices": ["phone", "email"], "got": "fax"}}
    assert Message.from_data(stored) == message
    assert message_render(stored["code"], stored["params"], language="en") == (
        "Choose one of phone, email (you entered fax)."
    )


def test_a_nested_message_is_worded_in_the_same_language():
    outer = Message("field.choice", choices=[Message("field.required")], got="x")

    assert "This field is required." in message_render(outer.code, outer.params, language="en")
    assert "此项为必填项。" in message_render(outer.code, outer.params, language="zh-hans")


def test_an_undeclared_id_is_shown_with_its_parameters_not_hidden(caplog):
    assert message_render("no.such.id", {"n": 3}) == "no.such.id (n=3)"
    assert "undeclared message id" in caplog.text


def test_every_declared_wording_is_translated_into_chinese():
    missing = []
    for code in message_codes():
        english = message_render(code, language="en")
        chinese = message_render(code, language="zh-hans")
        only_parameters = re.fullmatch(r"(%\(\w+\)s\W*)+", english)
        if english == chinese and not only_parameters and any(c.isalpha() and c.isascii() for c in english):
            missing.append(code)
    assert missing == []


def test_a_field_error_names_its_field_and_message_id():
    error = FieldErrors([FieldError("content", "field.required"), FieldError("title", "field.too_long", limit=5, got=9)])

    assert [(e.field, e.code) for e in error.field_errors] == [("content", "field.required"), ("title", "field.too_long")]
    with translation.override("en"):
        assert error.errors == [("content", "This field is required."), ("title", "At most 5 characters (you entered 9).")]


@pytest.mark.django_db
def test_the_api_answers_a_field_error_with_code_params_and_a_message_in_the_callers_language(client):
    from tests.factories import make_token, make_user

    user = make_user(role="handler")
    token = make_token(user)
    body = {"channel": "phone", "content": "", "customer": {"name": "王芳"}}
    for language, wording in (("en", "This field must not be empty."), ("zh-hans", "此项不能为空。")):
        response = client.post(
            "/api/v1/complaints",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 422
        detail = response.json()["detail"]
        content = next(d for d in detail if d["loc"][-1] == "content")
        assert content["code"] == "field.empty"
        assert content["params"] == {}
        assert content["message"] == wording

"""Answers whose body the view built itself in its response schema's exact shape.

Ninja validates every answer against its schema (``model_validate`` through its attribute getter,
then ``model_dump``) before rendering it: for a complaint with its timeline and clocks that second
pass cost about a tenth of an intake's CPU (issue 16). A view that builds the body with the
serializers (``kesu.api.serializers``: plain JSON types, datetimes and decimals, the schema's keys)
renders it directly with the API's own renderer, so the bytes are those ninja would have sent.
``tests/api/test_complaint_create.py`` checks that the intake's answer equals the validated answer
of a read of the same complaint.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def answer_rendered(request: HttpRequest, response: HttpResponse, status: int, body: dict[str, Any]) -> HttpResponse:
    """``response`` (the operation's temporal response, with its headers) carrying ``body`` rendered
    as ninja renders a validated answer, with ``status``."""
    from kesu.api.main import api  # the API imports the routers that call this

    response.status_code = status
    response.content = api.renderer.render(request, body, response_status=status)
    return response

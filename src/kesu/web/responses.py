"""What every page's view answers alike: a refusal page, and whether htmx asked for a fragment."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def htmx_partial(request: HttpRequest) -> bool:
    """An htmx request for a fragment (a history restore wants the whole page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")

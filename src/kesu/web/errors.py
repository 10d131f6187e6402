"""Domain errors answered once for every page, as ``api/main.py``'s exception handlers do for the API.

A view lets the action's errors through; ``DomainErrorMiddleware`` answers them:

- a ``FieldError`` raised inside ``with form_errors(form, page):`` is added to ``form`` (each field's
  message in the reader's language, beside its field) and ``page()`` — the page that holds the form,
  rendered again — is the answer, with 422;
- any other ``FieldError``: 422 with the message (the text alone to an htmx request, a page with a
  way back otherwise);
- ``NotPermitted``: 403, the refusal page naming the role and what it may not do.

Each view still answers what only it knows (an ``InvalidTransition`` refused in its own words, a
rate limit with its ``Retry-After``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kesu.core.errors import FieldError, NotPermitted
from kesu.web.responses import forbidden


class FormRefused(Exception):
    """Raised by :func:`form_errors` with the response that answers the request (the form again)."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__("form refused")
        self.response = response


@contextmanager
def form_errors(form: Any, page: Callable[[], HttpResponse], *, status: int = 422) -> Iterator[None]:
    """A ``FieldError`` inside the block: its messages on ``form``, and ``page()`` is the answer, with
    ``status`` (unless ``page`` answers otherwise than 200, e.g. a redirect back to a list)."""
    try:
        yield
    except FieldError as error:
        form.add_domain_error(error)
        response = page()
        if response.status_code == 200:
            response.status_code = status
        raise FormRefused(response) from error


def field_error_response(request: HttpRequest, error: FieldError) -> HttpResponse:
    """A refused input outside any form: the message, 422."""
    message = "; ".join(message for _field, message in error.errors)
    if request.headers.get("HX-Request") == "true":
        return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
    return render(request, "web/refused.html", {"message": message}, status=422)


class DomainErrorMiddleware:
    """Turns the domain errors a page view lets through into answers (see the module's text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):  # the API answers its own (api/main.py)
            return None
        if isinstance(exception, FormRefused):
            return exception.response
        if isinstance(exception, FieldError):
            return field_error_response(request, exception)
        if isinstance(exception, NotPermitted):
            return forbidden(request, exception.message)
        return None


class UnstorableInputMiddleware:
    """A query parameter or a path segment holding text no database can compare (a NUL character:
    PostgreSQL refuses it in a query, a DataError, a 500; ``?category=%00``, ``/routing/groups/%00``) is
    refused before any view runs, naming the parameter: 422 in the API's shape under ``/api/``, the refusal
    page elsewhere. Bodies are checked by the API's parser and by Django's forms."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: dict) -> HttpResponse | None:
        from kesu.core.storable import text_problem

        path_checked = getattr(view_func, "checks_its_path", False)
        given = [("path", name, value) for name, value in view_kwargs.items()
                 if isinstance(value, str) and not path_checked]
        given += [("query", name, value) for name, values in request.GET.lists() for value in [name, *values]]
        for where, name, value in given:
            problem = text_problem(value)
            if problem:
                code, params = problem
                error = FieldError(name, code, **params)
                if request.path.startswith("/api/"):
                    return _api_refusal(request, error, where)
                return field_error_response(request, error)
        return None


def checks_its_path(view: Any) -> Any:
    """Mark a view that refuses a bad path segment itself, so :class:`UnstorableInputMiddleware` leaves
    its path to it: the portal's tracking pages answer every unknown or garbled token — ``%00``
    included — with the same 404, so that the answer says nothing about which tokens exist."""
    view.checks_its_path = True
    return view


def _api_refusal(request: HttpRequest, error: FieldError, where: str) -> HttpResponse:
    from django.http import JsonResponse

    from kesu.api.errors import field_error_body

    (detail,) = field_error_body(error)["detail"]
    body = {"detail": [{**detail, "loc": [where, error.field]}]}
    return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})

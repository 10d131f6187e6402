"""Issue 15: "odd Unicode, huge numbers … must give a 4xx with a reason, never a 500" — for the pages too.

An administrator opens every page (every URL pattern outside /api/ and /admin/, its path parameters
filled with an existing complaint's id) with hostile query strings: a day in year 1 or 9999, a 13th
month, numbers past 64 bits, negative pages, NUL, a lone surrogate's bytes, 5,000 characters. Each is
set on every filter name the views read (``request.GET.get("…")`` in the source, found here, plus the
common ones), so a filter added later is tried too. A page may refuse (4xx) or show the filter as bad
(200), never answer 500."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import kesu
from kesu.core.roles import Role
from tests.factories import make_complaint, make_user

SKIPPED_PREFIXES = ("api/", "admin/", "i18n/", "static/", "media/")

HOSTILE = {
    "year-1": quote("0001-01-01"),
    "year-9999": quote("9999-12-31T23:59:59-23:59"),
    "month-13": quote("2026-13-40"),
    "offset": quote("1661-01-22T14:27:03+21:41"),
    "past-64-bits": "99999999999999999999",
    "minus-2**63-1": "-9223372036854775809",
    "negative": "-5",
    "nul": "%00",
    "lone-surrogate": "%ED%B2%80",
    "long": "9" * 5000,
}

COMMON_FILTERS = {
    "page", "page_size", "per_page", "from", "to", "since", "until", "date", "day", "start", "end", "period",
    "month", "year", "days", "horizon", "limit", "q", "status", "category", "channel", "group", "assignee",
    "customer", "customer_id", "created_from", "created_to", "sort", "order", "action", "object_type",
    "object_id", "tab", "id", "week", "kpi", "priority", "severity", "state", "kind",
}


def _read_filters() -> set[str]:
    """Every name the views read with ``request.GET.get("name")`` / ``GET.getlist`` / ``GET["name"]``."""
    found: set[str] = set()
    for source in Path(kesu.__file__).parent.rglob("*.py"):
        found |= set(re.findall(r"GET(?:\.get|\.getlist)?[\(\[]\s*\"([a-z_0-9]+)\"", source.read_text()))
    return found


FILTERS = sorted(_read_filters() | COMMON_FILTERS)


def _page_patterns(patterns=None, prefix=""):
    """(route, converters) of every URL pattern, path parameters as ``<converter:name>``."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES) or route.startswith("^"):
            continue
        if isinstance(pattern, URLResolver):
            yield from _page_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _filled(route: str, complaint_id: int) -> str:
    def value(match):
        converter, _name = match.group(1) or "str", match.group(2)
        return {"int": str(complaint_id), "uuid": "00000000-0000-0000-0000-000000000000"}.get(converter, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


@pytest.fixture
def pages(db, client):
    client.force_login(make_user(Role.ADMIN, "pages-admin"))
    client.raise_request_exception = False  # a server error is a 500 to count, not the end of the test
    complaint = make_complaint()
    return sorted({_filled(route, complaint.pk) for route in _page_patterns()})


def test_the_pages_and_filters_to_try_are_found(pages):
    assert len(pages) > 100
    assert {"/", "/analytics/", "/privacy/access-log/", "/security/events/"} <= set(pages)
    assert {"since", "until", "page", "q", "category"} <= set(FILTERS)


@pytest.mark.parametrize("hostile", HOSTILE, ids=list(HOSTILE))
def test_no_page_answers_a_hostile_query_with_a_server_error(client, pages, hostile):
    query = "&".join(f"{name}={HOSTILE[hostile]}" for name in FILTERS)
    server_errors = []
    for page in pages:
        response = client.get(f"{page}?{query}")
        if response.status_code >= 500:
            server_errors.append((page, response.status_code))
    assert server_errors == []


def _shown_filters(html: str) -> set[str]:
    """The names of the inputs and selects of the page's GET forms (its filters)."""
    names: set[str] = set()
    for form in re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S | re.I):
        if re.search(r'method=["\']?post', form[:300], flags=re.I):
            continue
        names |= set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bname=["\']([\w.-]+)["\']', form, flags=re.I))
    return names - {"csrfmiddlewaretoken"}


def test_each_filter_a_page_shows_is_tried_alone(client, pages):
    """All filters at once make a filter form invalid as a whole, so no filter reaches the database;
    here each filter a page shows is given each hostile value alone (the others left empty)."""
    tried, server_errors = 0, []
    for page in pages:
        plain = client.get(page)
        if plain.status_code != 200 or "html" not in plain.get("Content-Type", ""):
            continue
        for name in sorted(_shown_filters(plain.content.decode())):
            for hostile in HOSTILE.values():
                tried += 1
                response = client.get(f"{page}?{name}={hostile}")
                if response.status_code >= 500:
                    server_errors.append((page, name, hostile[:30], response.status_code))
    assert tried > 100
    assert server_errors == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("created_to=9999-12-31", "created_to"),  # "the day after" overflowed: a 500
        ("created_from=0001-01-01", "created_from"),
        ("customer_id=99999999999999999999", "customer_id"),  # past 64 bits: a 500 on SQLite
    ],
)
def test_the_complaint_list_shows_a_bad_filter_as_bad(client, db, query, field):
    client.force_login(make_user(Role.ADMIN, "pages-admin"))

    response = client.get(f"/?{query}")

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors

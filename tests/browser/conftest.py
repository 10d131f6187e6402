"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

The pages are served by a real Django server thread on the test database; each test gets a fresh
browser context (its own cookies) in Chinese (the centre's default) at a desktop size. Chromium is
``/usr/bin/chromium`` (``apt-get install chromium fonts-wqy-microhei``; ``.ci/run`` installs it) or
``KESU_CHROMIUM``. Without it the tests are skipped with that reason, unless ``KESU_REQUIRE_BROWSER``
is set (CI sets it), when they fail.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses database work from a thread
# with a running loop unless told that this is a test harness, not an async view.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("KESU_CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "Kq8-mZvT2wL-9x"  # tests.factories.make_user's
VIEWPORT = {"width": 1440, "height": 900}



def pytest_collection_modifyitems(config, items):
    """Every browser test commits (the live server's thread must see its rows); the database,
    seeds included, is restored after each."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture
def browser():
    """A headless chromium for one test.

    Started and stopped per test (about a second) rather than once per session: while Playwright's
    loop runs, Django hands this thread another database connection, and the test database's
    serialized rollback between tests must happen on the original one.
    """
    if not CHROMIUM.exists():
        message = f"no chromium at {CHROMIUM} (apt-get install chromium fonts-wqy-microhei)"
        if os.environ.get("KESU_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


def _caches_reset() -> None:
    """Drop the per-process configuration caches: the database has just been restored under them."""
    from kesu.sla.calendars import calendar_cache_reset
    from kesu.sla.context import sla_context_reset
    from kesu.triage.context import triage_context_reset

    calendar_cache_reset()
    sla_context_reset()
    triage_context_reset()


@pytest.fixture
def page(live_server, browser):
    _caches_reset()
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORT, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    # the connection Django opened for this thread while Playwright's loop ran (see ``browser``)
    from django.db import connections

    connections.close_all()


def log_in(page, user, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would, and land on the first page."""
    page.goto("/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(password)
    page.locator(".login-card button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/login/).*$"))


@pytest.fixture
def as_user(page):
    """``as_user(user)`` logs ``user`` in on the page and returns the page."""

    def log_in_as(user):
        log_in(page, user)
        return page

    return log_in_as

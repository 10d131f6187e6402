from __future__ import annotations

import pytest

from kesu.core.roles import Role
from tests.factories import make_group, make_token, make_user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_triage_context():
    """Triage caches its configuration rows per process; a test's rows must not leak into the next."""
    from kesu.triage.context import triage_context_reset

    triage_context_reset()
    yield
    triage_context_reset()


@pytest.fixture(autouse=True)
def _fresh_calendars():
    """Working calendars are cached per process too; each test starts from its own rows."""
    from kesu.sla.calendars import calendar_cache_reset

    calendar_cache_reset()
    yield
    calendar_cache_reset()


@pytest.fixture(autouse=True)
def _fresh_sla_policies():
    """SLA policies are cached per process; a test's policy rows must not leak into the next."""
    from kesu.sla.context import sla_context_reset

    sla_context_reset()
    yield
    sla_context_reset()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English (LocaleMiddleware) or a test that activates a language leaves it active in
    the thread; the next test must start in the default language again."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test users get a password; hash it cheaply (the default hasher takes ~0.3 s per user)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def group(db):
    return make_group("front-desk")


@pytest.fixture
def handler(db, group):
    return make_user(Role.HANDLER, "handler1", groups=[group])


@pytest.fixture
def manager(db):
    return make_user(Role.MANAGER, "manager1")


@pytest.fixture
def analyst(db):
    return make_user(Role.ANALYST, "analyst1")


@pytest.fixture
def api_client(client, handler):
    """A Django test client that sends the handler's bearer token."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(handler)}"
    return client


@pytest.fixture(autouse=True)
def _fresh_incident_scopes():
    """The active incidents' scopes and the category tree are cached per process; a test's rows must
    not leak into the next."""
    from kesu.complaints.taxonomy import category_parents_reset
    from kesu.incidents.matching import scopes_reset

    scopes_reset()
    category_parents_reset()
    yield
    scopes_reset()
    category_parents_reset()


@pytest.fixture(autouse=True)
def _fresh_config_caches(monkeypatch):
    """Configuration caches invalidated by version (kesu.core.configcache): a rolled-back test's
    rows and versions must not leak into the next. In one process a change resets the caches at
    once; the once-a-second read of the stored versions (for the other processes) is held off, so
    that a query count does not depend on how long the machine took between two requests."""
    from kesu.core import configcache
    from kesu.core.configcache import config_cache_reset

    monkeypatch.setattr(configcache, "CHECK_EVERY", 3600.0)
    config_cache_reset()
    yield
    config_cache_reset()


@pytest.fixture(autouse=True)
def _local_webhook_receivers(settings):
    """The tests' webhook receivers listen on loopback, which the SSRF guard refuses (issue 15): the
    administrator's allow-list names them, as an intranet install names its own receivers."""
    settings.KESU_WEBHOOK_ALLOWED_HOSTS = ("127.0.0.1", "localhost")


@pytest.fixture
def jobs_run_in_process():
    """Huey's immediate mode: a job runs as soon as it is enqueued (after the commit)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    try:
        yield HUEY
    finally:
        HUEY.immediate = False

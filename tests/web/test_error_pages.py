"""404 and 500 pages: branded, in the reader's language, with a way back (issue 17 §4.4)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_branded_translated_and_leads_back(client, settings):
    settings.DEBUG = False

    zh = client.get("/no-such-page/")
    en = client.get("/no-such-page/", headers={"Accept-Language": "en"})

    assert zh.status_code == en.status_code == 404
    assert "页面不存在" in zh.content.decode() and "客户服务" in zh.content.decode()
    page = en.content.decode()
    assert "Page not found" in page and "Not Found" not in page.split("<title>")[0]
    assert 'href="/"' in page and "Back to the complaint list" in page


def test_a_missing_portal_page_leads_to_the_complaint_form(client, settings):
    settings.DEBUG = False
    page = client.get("/portal/nowhere/", headers={"Accept-Language": "en"}).content.decode()

    assert "Page not found" in page
    assert 'href="/portal/"' in page and "Back to the complaint list" not in page


def test_the_customer_facing_brand_is_configurable(client, settings):
    settings.DEBUG = False
    settings.KESU_CUSTOMER_BRAND = "星河电信"

    assert "星河电信" in client.get("/no-such-page/").content.decode()
    assert "星河电信" in client.get("/portal/").content.decode()


def test_a_server_error_is_branded_and_translated(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    from django.urls import path

    from kesu.config import urls

    def boom(request):
        raise RuntimeError("boom")

    urls.urlpatterns.insert(0, path("boom-for-test/", boom))
    try:
        from django.urls import clear_url_caches

        clear_url_caches()
        response = Client(raise_request_exception=False).get("/boom-for-test/", headers={"Accept-Language": "en"})
    finally:
        urls.urlpatterns.pop(0)
        clear_url_caches()

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and "Customer service" in page
    assert "Back to the complaint list" in page

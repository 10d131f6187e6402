from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_chinese_is_the_default(handler_client):
    page = handler_client.get("/").content.decode()

    assert '<html lang="zh-hans">' in page
    assert "新建投诉" in page
    assert "投诉列表" in page
    assert "New complaint" not in page


@pytest.mark.django_db
def test_switching_to_english_and_back(handler_client):
    # when the user picks English in the nav bar
    response = handler_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302

    # then the pages speak English, model labels included
    page = handler_client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "New complaint" in page
    assert "Pending customer" in page
    assert "新建投诉" not in page

    # and Chinese comes back the same way
    handler_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "新建投诉" in handler_client.get("/").content.decode()


@pytest.mark.django_db
def test_a_browser_asking_for_zh_cn_gets_simplified_chinese(handler_client):
    page = handler_client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).content.decode()

    assert "新建投诉" in page

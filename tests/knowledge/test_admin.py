"""The admin edits articles through article_save: the same validation, a new version per save."""

from __future__ import annotations

import pytest

from kesu.core.roles import Role
from kesu.knowledge.models import Article, ArticleVersion
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ADD = "/admin/knowledge/article/add/"
FORM = {"title": "签收未收到", "body": "先核实签收人。", "steps": '["核实签收人"]', "category": "", "tags": '["签收"]',
        "products": "[]", "status": "published", "public": "",
        "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"}


@pytest.fixture
def manager_client(client):
    client.force_login(make_user(Role.MANAGER, "boss"))
    return client


def test_the_admin_saves_through_the_action(manager_client):
    response = manager_client.post(ADD, FORM)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert (article.updated_by.username, article.version, article.tags) == ("boss", 1, ["签收"])
    assert "签收" in article.search_title.split()

    response = manager_client.post(f"/admin/knowledge/article/{article.pk}/change/", {**FORM, "title": "签收争议"})
    assert response.status_code == 302
    assert list(ArticleVersion.objects.values_list("version", "title")) == [(1, "签收未收到"), (2, "签收争议")]


def test_the_admin_names_the_bad_field(manager_client):
    page = manager_client.post(ADD, {**FORM, "body": "", "steps": "[]"})
    assert page.status_code == 200
    assert "body: 文章须填写正文或至少一个处理步骤。" in page.content.decode()
    assert not Article.objects.exists()


def test_handlers_do_not_see_the_articles(client):
    handler = make_user(Role.HANDLER, "h")
    type(handler).objects.filter(pk=handler.pk).update(is_staff=True)  # even with admin access
    client.force_login(handler)
    assert client.get("/admin/knowledge/article/").status_code == 403

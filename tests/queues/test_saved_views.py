"""Saved views: a name for the list's current query, seen and deleted by its owner only."""

from __future__ import annotations

import pytest

from kesu.core.errors import FieldError
from kesu.core.roles import Role
from kesu.queues.actions import saved_view_create, view_query
from kesu.queues.models import SavedView
from tests.factories import T0, make_complaint, make_user


def test_the_query_keeps_only_the_lists_parameters_in_a_fixed_order():
    assert view_query("?page=3&sort=due&queue=mine&status=new&csrfmiddlewaretoken=x&q=") == (
        "queue=mine&status=new&sort=due"
    )
    with pytest.raises(FieldError) as error:
        view_query("queue=everything")
    assert error.value.field == "query"


@pytest.mark.django_db
def test_saving_the_current_list_shows_it_in_the_sidebar_and_opens_it(handler_client, handler):
    # given the handler looking at their complaints, newest first
    response = handler_client.post(
        "/queues/views/", {"name": "我的P1", "query": "queue=mine&priority=x&sort=priority&page=2"}
    )

    # then the view is saved without the page, and they land on it
    view = SavedView.objects.get(owner=handler)
    assert view.query == "queue=mine&sort=priority"
    assert response.status_code == 302
    assert response["Location"] == "/?queue=mine&sort=priority"
    page = handler_client.get("/").content.decode()
    assert 'href="/?queue=mine&amp;sort=priority">我的P1</a>' in page


@pytest.mark.django_db
def test_a_view_without_a_name_is_refused_next_to_the_name(handler_client, handler):
    response = handler_client.post("/queues/views/", {"name": "  ", "query": "queue=mine"})

    assert response.status_code == 422
    page = response.content.decode()
    assert 'class="field has-error"' in page
    assert "此项为必填项。" in page
    assert 'name="name"' in page and 'aria-invalid="true"' in page
    assert not SavedView.objects.exists()



@pytest.mark.django_db
def test_a_taken_name_is_refused_next_to_the_name(in_english, handler):
    saved_view_create(owner=handler, name="待回访", query="queue=waiting", now=T0)

    response = in_english.post("/queues/views/", {"name": "待回访", "query": "queue=mine"})

    assert response.status_code == 422
    page = response.content.decode()
    assert 'class="field has-error"' in page
    assert "You already have a view named “待回访”." in page
    assert SavedView.objects.get(owner=handler).query == "queue=waiting"


@pytest.mark.django_db
def test_a_too_long_name_names_the_field():
    owner = make_user(Role.HANDLER, "owner")
    with pytest.raises(FieldError) as error:
        saved_view_create(owner=owner, name="长" * 65, query="", now=T0)
    assert error.value.field == "name"
    assert "64" in error.value.message


@pytest.mark.django_db
def test_only_the_owner_sees_and_deletes_a_view(client, handler):
    # given a view of another handler
    other = make_user(Role.HANDLER, "other")
    theirs = saved_view_create(owner=other, name="别人的视图", query="queue=red", now=T0)
    make_complaint(by=handler)
    client.force_login(handler)

    # they do not see it, and cannot delete it
    assert "别人的视图" not in client.get("/").content.decode()
    assert client.post(f"/queues/views/{theirs.pk}/delete/").status_code == 404
    assert SavedView.objects.filter(pk=theirs.pk).exists()

    # the owner can
    client.force_login(other)
    assert "别人的视图" in client.get("/").content.decode()
    response = client.post(f"/queues/views/{theirs.pk}/delete/", {"next": "/?queue=mine"})
    assert response.status_code == 302
    assert response["Location"] == "/?queue=mine"
    assert not SavedView.objects.exists()

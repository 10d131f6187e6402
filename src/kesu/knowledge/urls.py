from django.urls import path

from kesu.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.article_list_view, name="list"),
    path("new/", views.article_edit_view, name="new"),
    path("<int:article_id>/", views.article_detail_view, name="detail"),
    path("<int:article_id>/edit/", views.article_edit_view, name="edit"),
    path("<int:article_id>/feedback/", views.article_feedback_view, name="feedback"),
    path("<int:article_id>/used/", views.article_used_view, name="used"),
    path("<int:article_id>/status/", views.article_status_view, name="status"),
]

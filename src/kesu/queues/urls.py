from django.urls import path

from kesu.queues import views

app_name = "queues"
urlpatterns: list = [
    path("views/", views.saved_view_create_view, name="saved_view_create"),
    path("views/<int:view_id>/delete/", views.saved_view_delete_view, name="saved_view_delete"),
    path("bulk/", views.bulk_view, name="bulk"),
]

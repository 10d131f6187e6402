from django.urls import path

from kesu.calls import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list_view, name="call_list"),
    path("new/", views.call_new_view, name="call_new"),
    path("lookup/", views.call_lookup_view, name="call_lookup"),
    path("<int:call_id>/recording/", views.call_recording_view, name="call_recording"),
]

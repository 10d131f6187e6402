from django.urls import path

from kesu.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list_view, name="list"),
    path("new/", views.incident_declare_view, name="declare"),
    path("suggestions/", views.suggestion_list_view, name="suggestions"),
    path("suggestions/<int:suggestion_id>/dismiss/", views.suggestion_dismiss_view, name="suggestion_dismiss"),
    path("<int:incident_id>/", views.incident_detail_view, name="detail"),
    path("<int:incident_id>/progress/", views.incident_progress_view, name="progress"),
    path("<int:incident_id>/update/", views.incident_update_view, name="update"),
    path("<int:incident_id>/monitor/", views.incident_monitor_view, name="monitor"),
    path("<int:incident_id>/resolve/", views.incident_resolve_view, name="resolve"),
    path("<int:incident_id>/withdraw/", views.incident_withdraw_view, name="withdraw"),
    path("<int:incident_id>/links/", views.incident_link_view, name="link"),
    path("<int:incident_id>/links/<int:complaint_id>/unlink/", views.incident_unlink_view, name="unlink"),
    path("<int:incident_id>/links/<int:complaint_id>/confirm/", views.incident_confirm_view, name="confirm"),
]

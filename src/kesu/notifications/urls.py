from django.urls import path

from kesu.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("bell/", views.bell_view, name="bell"),
    path("read-all/", views.notifications_read_all_view, name="read_all"),
    path("<int:notification_id>/read/", views.notification_read_view, name="read"),
    path("settings/", views.contact_settings_view, name="settings"),
]

from django.urls import path

from kesu.privacy import views

app_name = "privacy"
urlpatterns = [
    path("access-log/", views.access_log_view, name="access_log"),
    path("access-log.csv", views.access_log_csv_view, name="access_log_csv"),
    path("reveal/", views.reveal_view, name="reveal"),
]

from django.urls import path

from kesu.privacy import views

app_name = "privacy"
urlpatterns = [
    path("access-log/", views.access_log_view, name="access_log"),
    path("access-log.csv", views.access_log_csv_view, name="access_log_csv"),
    path("reveal/", views.reveal_view, name="reveal"),
    path("erasure/", views.erasure_requests_view, name="erasure_requests"),
    path("erasure/<int:request_id>/approve", views.erasure_decide_view, {"decision": "approve"},
         name="erasure_approve"),
    path("erasure/<int:request_id>/reject", views.erasure_decide_view, {"decision": "reject"},
         name="erasure_reject"),
]

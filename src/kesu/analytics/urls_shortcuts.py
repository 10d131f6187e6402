"""/dashboard/ and /reports/ (the addresses people try first) lead to the analytics pages."""

from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path("dashboard/", RedirectView.as_view(pattern_name="analytics:dashboard", query_string=True)),
    path("reports/", RedirectView.as_view(pattern_name="analytics:reports")),
]

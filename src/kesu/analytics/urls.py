from django.urls import path

from kesu.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("kpis/", views.kpis_view, name="kpis"),
    path("executive/", views.executive_view, name="executive"),
    path("measures/", views.measures_view, name="measures"),
    path("scorecard/", views.scorecard_view, name="scorecard"),
    path("export/", views.export_view, name="export"),
    path("themes/", views.themes_view, name="themes"),
    path("themes/<int:theme_id>/", views.theme_view, name="theme"),
    path("reports/", views.reports_view, name="reports"),
    path("reports/<str:kind>/<str:period>.<str:suffix>", views.report_file_view, name="report_file"),
    path("measures/<int:measure_id>/", views.measure_view, name="measure"),
]


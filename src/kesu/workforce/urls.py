from django.urls import path

from kesu.workforce import views

app_name = "workforce"
urlpatterns = [
    path("risk/", views.risk_view, name="risk"),
    path("process/", views.process_view, name="process"),
    path("staffing/", views.staffing_view, name="staffing"),
    path("forecast/", views.forecast_view, name="forecast"),
    path("simulation/", views.simulation_view, name="simulation"),
    path("simulation/<int:run_id>/", views.simulation_run_view, name="simulation_run"),
]

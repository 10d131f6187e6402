from django.urls import path

from kesu.security import views

app_name = "security"
urlpatterns = [
    path("account/", views.account_view, name="account"),
    path("account/sessions/end/", views.sessions_end_view, name="sessions_end"),
    path("account/password/", views.password_change_view, name="password_change"),
    path("events/", views.events_view, name="events"),
    path("events.csv", views.events_csv_view, name="events_csv"),
]

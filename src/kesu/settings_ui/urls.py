from django.urls import path

from kesu.settings_ui import views

app_name = "settings_ui"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("calendars/<int:pk>/import/", views.calendar_import_view, name="calendar_import"),
    path("calendars/<int:pk>/days/", views.calendar_day_view, name="calendar_day"),
    path("<slug:kind>/", views.list_view, name="list"),
    path("<slug:kind>/new/", views.edit_view, name="new"),
    path("<slug:kind>/edit/", views.edit_view, name="singleton"),
    path("<slug:kind>/history/", views.history_view, name="singleton_history"),
    path("<slug:kind>/<int:pk>/", views.edit_view, name="edit"),
    path("<slug:kind>/<int:pk>/toggle/", views.toggle_view, name="toggle"),
    path("<slug:kind>/<int:pk>/delete/", views.delete_view, name="delete"),
    path("<slug:kind>/<int:pk>/history/", views.history_view, name="history"),
]

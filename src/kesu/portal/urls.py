from django.urls import path

from kesu.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.complaint_form_view, name="complaint_form"),
    path("t/<str:token>/", views.tracking_page_view, name="tracking"),
    path("language/", views.language_view, name="language"),
]

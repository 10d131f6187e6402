from django.urls import path

from kesu.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.complaint_form_view, name="complaint_form"),
    path("find/", views.find_view, name="find"),
    path("find/code/", views.find_code_view, name="find_code"),
    path("received/", views.received_view, name="received"),
    path("t/<str:token>/", views.tracking_page_view, name="tracking"),
    path("t/<str:token>/verdict/", views.verdict_view, name="verdict"),
    path("language/", views.language_view, name="language"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from kesu.security.forms import ThrottledAuthenticationForm
from kesu.web import views

app_name = "web"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True,
            authentication_form=ThrottledAuthenticationForm,  # lockout after failures (kesu.security)
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.complaint_list_view, name="complaint_list"),
    path("complaints/new/", views.complaint_new_view, name="complaint_new"),
    path("complaints/<int:complaint_id>/", views.complaint_detail_view, name="complaint_detail"),
    path(
        "complaints/<int:complaint_id>/transition/",
        views.complaint_transition_view,
        name="complaint_transition",
    ),
    path("complaints/<int:complaint_id>/accept/", views.complaint_accept_view, name="complaint_accept"),
    path(
        "complaints/<int:complaint_id>/correct/",
        views.complaint_correct_view,
        name="complaint_correct",
    ),
    path(
        "complaints/<int:complaint_id>/attachments/",
        views.attachment_upload_view,
        name="attachment_upload",
    ),
    path("attachments/<int:attachment_id>/", views.attachment_download_view, name="attachment_download"),
]

from django.urls import path

from kesu.desk import views

app_name = "desk"
urlpatterns = [
    path("complaints/<int:complaint_id>/reply/", views.reply_view, name="reply"),
    path("complaints/<int:complaint_id>/template-preview/", views.template_preview_view, name="template_preview"),
    path("complaints/<int:complaint_id>/suggestions/feedback/", views.suggestion_feedback_view,
         name="suggestion_feedback"),
]

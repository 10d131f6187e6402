from django.urls import path

from kesu.surveys import views

app_name = "surveys"
urlpatterns = [
    path("follow-ups/", views.follow_up_list_view, name="follow_ups"),
    path("follow-ups/<int:task_id>/record/", views.follow_up_record_view, name="follow_up_record"),
    path("<slug:token>/", views.survey_answer_view, name="answer"),
    path("<slug:token>/thanks/", views.survey_thanks_view, name="thanks"),
]

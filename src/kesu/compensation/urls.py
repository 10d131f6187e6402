from django.urls import path

from kesu.compensation import views

app_name = "compensation"
urlpatterns = [
    path("approvals/", views.approvals_view, name="approvals"),
    path("complaints/<int:complaint_id>/propose/", views.propose_view, name="propose"),
    path("proposals/<int:proposal_id>/decision/", views.decide_view, name="decide"),
    path("proposals/<int:proposal_id>/withdrawal/", views.withdraw_view, name="withdraw"),
    path("matrix/", views.matrix_view, name="matrix"),
    path("matrix/new/", views.rule_edit_view, name="rule_new"),
    path("matrix/<int:rule_id>/", views.rule_edit_view, name="rule_edit"),
]

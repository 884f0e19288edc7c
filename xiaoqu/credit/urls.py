from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("proposals/", views.ProposalListView.as_view(), name="proposal_list"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/<slug:move>/", views.proposal_move, name="proposal_move"),
    path("ranking/", views.ranking, name="ranking"),
    path("companies/<int:pk>/", views.company_record, name="company_record"),
    path("mine/", views.my_record, name="my_record"),
    path("desk/", views.desk, name="desk"),
    path("rules/", views.RuleListView.as_view(), name="rule_list"),
    path("rules/add/", views.RuleFormView.as_view(mode="create"), name="rule_add"),
    path("rules/<int:pk>/", views.RuleDetailView.as_view(), name="rule_detail"),
    path("rules/<int:pk>/edit/", views.RuleFormView.as_view(mode="edit"), name="rule_edit"),
    path(
        "rules/<int:pk>/new-version/",
        views.RuleFormView.as_view(mode="new_version"),
        name="rule_new_version",
    ),
]

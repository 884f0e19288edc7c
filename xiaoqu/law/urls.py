from django.urls import path

from . import views

app_name = "law"

urlpatterns = [
    path("violation-types/", views.ViolationTypeListView.as_view(), name="violationtype_list"),
    path(
        "violation-types/<int:pk>/",
        views.ViolationTypeDetailView.as_view(),
        name="violationtype_detail",
    ),
    path("referral-targets/", views.ReferralTargetListView.as_view(), name="referraltarget_list"),
    path(
        "referral-targets/<int:pk>/",
        views.ReferralTargetDetailView.as_view(),
        name="referraltarget_detail",
    ),
    path("deadline-rules/", views.DeadlineRuleListView.as_view(), name="deadlinerule_list"),
    path(
        "deadline-rules/<int:pk>/",
        views.DeadlineRuleDetailView.as_view(),
        name="deadlinerule_detail",
    ),
    path("thresholds/", views.ThresholdListView.as_view(), name="threshold_list"),
    path("thresholds/<int:pk>/", views.ThresholdDetailView.as_view(), name="threshold_detail"),
    path("statutes/", views.StatuteListView.as_view(), name="statute_list"),
    path("statutes/<int:pk>/", views.StatuteDetailView.as_view(), name="statute_detail"),
    path("provisions/", views.ProvisionListView.as_view(), name="provision_list"),
    path("provisions/<int:pk>/", views.ProvisionDetailView.as_view(), name="provision_detail"),
    path("calendar/", views.ProvisionListView.as_view(), name="calendar"),
]

from django.urls import path

from . import views

app_name = "estates"

urlpatterns = [
    path("estates/", views.EstateListView.as_view(), name="estate_list"),
    path("estates/<int:pk>/", views.EstateDetailView.as_view(), name="estate_detail"),
    path("estates/<int:pk>/grade/override/", views.grade_override, name="grade_override"),
    path("estates/grades/<int:pk>/lift/", views.grade_override_lift, name="grade_override_lift"),
    path("estates/grading/", views.grade_scheme, name="grade_scheme"),
    path("estates/grading/recompute/", views.grade_recompute, name="grade_recompute"),
    path("companies/", views.PropertyCompanyListView.as_view(), name="company_list"),
    path("companies/<int:pk>/", views.PropertyCompanyDetailView.as_view(), name="company_detail"),
    path("managers/", views.ProjectManagerListView.as_view(), name="manager_list"),
    path("managers/<int:pk>/", views.ProjectManagerDetailView.as_view(), name="manager_detail"),
    path(
        "owners-committees/", views.OwnersCommitteeListView.as_view(), name="owners_committee_list"
    ),
    path(
        "owners-committees/<int:pk>/",
        views.OwnersCommitteeDetailView.as_view(),
        name="owners_committee_detail",
    ),
    path("studios/", views.StudioListView.as_view(), name="studio_list"),
    path("studios/<int:pk>/", views.StudioDetailView.as_view(), name="studio_detail"),
]

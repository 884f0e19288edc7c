from django.urls import path

from . import views

app_name = "studios"

urlpatterns = [
    # "" and "<int:pk>/" are taken by the estates app's base-data studio pages (routed first).
    path("overview/", views.StudioListView.as_view(), name="studio_list"),
    path("mine/", views.my_studio, name="my_studio"),
    path("<int:pk>/overview/", views.studio_detail, name="studio_detail"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("members/<int:pk>/reactivate/", views.member_reactivate, name="member_reactivate"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("<int:pk>/activities/add/", views.activity_add, name="activity_add"),
    path("activities/<int:pk>/", views.activity_edit, name="activity_edit"),
    path("report/", views.report_new, name="report_new"),
    path("reports/mine/", views.my_reports, name="my_reports"),
]

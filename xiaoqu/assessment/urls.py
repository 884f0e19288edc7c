from django.urls import path

from . import views

app_name = "assessment"

urlpatterns: list = [
    path("", views.evaluation, name="evaluation"),
    path("unit/<str:kind>/<int:pk>/", views.unit, name="unit"),
    path("publish/", views.publish, name="publish"),
    path("published/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
    path(
        "published/<int:pk>/<str:kind>/<int:unit_id>/",
        views.snapshot_unit,
        name="snapshot_unit",
    ),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("plan/", views.plan, name="plan"),
    path("plan/tasks/<int:pk>/", views.task_update, name="task_update"),
    path("reports/", views.reports, name="reports"),
    path("reports/<str:kind>.<str:fmt>", views.report_download, name="report_download"),
]

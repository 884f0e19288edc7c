from django.urls import path

from . import views

app_name = "patrols"

urlpatterns: list = [
    path("", views.my_patrols, name="my"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/check-in/", views.task_check_in, name="task_check_in"),
    path("tasks/<int:pk>/checklist/", views.task_checklist, name="task_checklist"),
    path("tasks/<int:pk>/findings/", views.task_finding, name="task_finding"),
    path("findings/<int:pk>/lead/", views.finding_lead, name="finding_lead"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/overdue/", views.coverage_overdue, name="coverage_overdue"),
    path("frequency/", views.frequency, name="frequency"),
]

from django.urls import path

from . import views

app_name = "outreach"

urlpatterns: list = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("plan/", views.event_add, name="event_add"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/held/", views.event_hold, name="event_hold"),
    path("<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("<int:pk>/materials/", views.event_materials, name="event_materials"),
    path("<int:pk>/complaints/", views.event_records, name="event_records"),
    path("trainings/", views.TrainingListView.as_view(), name="training_list"),
    path("trainings/plan/", views.training_add, name="training_add"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("trainings/<int:pk>/attendance/", views.training_attendance, name="training_attendance"),
    path("trainings/<int:pk>/cancel/", views.training_cancel, name="training_cancel"),
    path("trainings/<int:pk>/sign-in-sheet/", views.training_sheet, name="training_sheet"),
]

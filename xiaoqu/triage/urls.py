from django.urls import path

from . import views

app_name = "triage"

urlpatterns = [
    path("triage/", views.triage_queue, name="queue"),
    path("triage/estates/", views.estate_options, name="estate_options"),
    path("triage/models/", views.triage_models, name="models"),
    path("triage/models/train/", views.triage_train, name="train"),
    path("triage/<int:pk>/correct/", views.triage_correct, name="correct"),
]

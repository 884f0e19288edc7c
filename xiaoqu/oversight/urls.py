from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("lapses/", views.LapseListView.as_view(), name="lapse_list"),
    path("pilot/", views.pilot, name="pilot"),
    path("pilot/new/", views.programme_new, name="programme_new"),
    path("pilot/candidates/", views.pilot_candidates, name="pilot_candidates"),
    path(
        "pilot/<int:pk>/estates/<int:estate_pk>/remove/",
        views.pilot_estate_remove,
        name="pilot_estate_remove",
    ),
]

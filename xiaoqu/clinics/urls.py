from django.urls import path

from . import views

app_name = "clinics"

urlpatterns: list = [
    path("", views.ClinicListView.as_view(), name="clinic_list"),
    path("add/", views.clinic_add, name="clinic_add"),
    path("suggestions/", views.clinic_suggestions, name="clinic_suggestions"),
    path("suggestions/open/", views.clinic_open_suggested, name="clinic_open_suggested"),
    path("<int:pk>/", views.ClinicDetailView.as_view(), name="clinic_detail"),
    path("<int:pk>/print/", views.clinic_print, name="clinic_print"),
    path("<int:pk>/edit/", views.clinic_edit, name="clinic_edit"),
    path("<int:pk>/gather/", views.clinic_gather, name="clinic_gather"),
    path("<int:pk>/release/", views.clinic_release, name="clinic_release"),
    path("<int:pk>/measures/", views.measure_add, name="measure_add"),
    path("<int:pk>/records/", views.clinic_records, name="clinic_records"),
    path("<int:pk>/<str:move>/", views.clinic_move, name="clinic_move"),
    path("measures/<int:pk>/done/", views.measure_done, name="measure_done"),
]

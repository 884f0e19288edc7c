from django.urls import path

from . import views

app_name = "analytics"

urlpatterns: list = [
    path("", views.district_dashboard, name="district"),
    path("mine/", views.my_dashboard, name="mine"),
    path("subdistricts/<int:pk>/", views.subdistrict_dashboard, name="subdistrict"),
    path("departments/<int:pk>/", views.department_dashboard, name="department"),
    path("estates/<int:pk>/", views.estate_profile, name="estate"),
    path("records/", views.records, name="records"),
]

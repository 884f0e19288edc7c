from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("districts/<int:pk>/", views.DistrictDetailView.as_view(), name="district_detail"),
    path("subdistricts/", views.SubdistrictListView.as_view(), name="subdistrict_list"),
    path(
        "subdistricts/<int:pk>/", views.SubdistrictDetailView.as_view(), name="subdistrict_detail"
    ),
    path("committees/", views.CommitteeListView.as_view(), name="committee_list"),
    path("committees/<int:pk>/", views.CommitteeDetailView.as_view(), name="committee_detail"),
]

from django.urls import path

from . import views

app_name = "renovations"

urlpatterns: list = [
    path("", views.RenovationListView.as_view(), name="renovation_list"),
    path("add/", views.renovation_add, name="renovation_add"),
    path("<int:pk>/", views.RenovationDetailView.as_view(), name="renovation_detail"),
    path("<int:pk>/edit/", views.renovation_edit, name="renovation_edit"),
    path("<int:pk>/cancel/", views.renovation_cancel, name="renovation_cancel"),
    path("checks/<int:pk>/accept/", views.check_accept, name="check_accept"),
]

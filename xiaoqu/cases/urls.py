from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
]

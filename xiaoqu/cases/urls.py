from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/review/", views.review_queue, name="review_queue"),
    path("cases/approvals/", views.approvals, name="approvals"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/<slug:move>/", views.case_action, name="case_action"),
    path("cases/file/<int:pk>/", views.case_file, name="case_file"),
    path("cases/simplified/<int:pk>/", views.case_simplified, name="case_simplified"),
]

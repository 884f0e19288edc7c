from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("leads/<int:pk>/", views.LeadDetailView.as_view(), name="lead_detail"),
    path("complaints/<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint_detail"),
]

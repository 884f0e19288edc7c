from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]

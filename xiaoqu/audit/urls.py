from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("audit/integrity/", views.integrity, name="integrity"),
]

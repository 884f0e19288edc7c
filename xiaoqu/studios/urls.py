from django.urls import path

app_name = "studios"

urlpatterns: list = [
]

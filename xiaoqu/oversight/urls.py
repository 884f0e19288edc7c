from django.urls import path

app_name = "oversight"

urlpatterns: list = [
]

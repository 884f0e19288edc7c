from django.urls import path

app_name = "renovations"

urlpatterns: list = [
]

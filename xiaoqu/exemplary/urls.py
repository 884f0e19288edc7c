from django.urls import URLPattern

app_name = "exemplary"

urlpatterns: list[URLPattern] = []

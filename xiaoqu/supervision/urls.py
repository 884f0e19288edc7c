from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("supervision/", views.board, name="board"),
    path("supervision/urges/", views.UrgeNoticeListView.as_view(), name="urges"),
    path("supervision/urge/<slug:kind>/<int:pk>/", views.urge, name="urge"),
    path(
        "supervision/extensions/<int:pk>/decide/",
        views.extension_decide,
        name="extension_decide",
    ),
]

from django.urls import path

from . import views

app_name = "exemplary"

urlpatterns = [
    path("", views.ExemplaryListView.as_view(), name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/<slug:move>/", views.move, name="move"),
    path("from-case/<int:case_pk>/", views.draft, name="draft"),
    # The only pages of the platform that need no login.
    path("public/", views.public_list, name="public_list"),
    path("public/<uuid:public_id>/", views.public_detail, name="public_detail"),
]

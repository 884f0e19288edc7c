from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("documents/<int:pk>/", views.download, name="download"),
    path("documents/<slug:record_key>/<int:pk>/", views.panel, name="panel"),
    path(
        "documents/<slug:record_key>/<int:pk>/<slug:kind>/generate/",
        views.generate,
        name="generate",
    ),
    path("document-templates/", views.templates, name="templates"),
    path("document-templates/<int:pk>/", views.template_file, name="template_file"),
    path("document-templates/<slug:kind>/upload/", views.template_upload, name="template_upload"),
    path(
        "document-templates/<slug:kind>/default/",
        views.template_default,
        name="template_default",
    ),
]

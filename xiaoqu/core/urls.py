# The web import pages (owned by the imports work).
from django.http import Http404
from django.urls import path

app_name = "core"


def _pending(request, *args, **kwargs):  # replaced by the imports views
    raise Http404


urlpatterns = [
    path("imports/", _pending, name="import_list"),
    path("imports/new/", _pending, name="import_new"),
]

from django.db.models import Model
from django.urls import path
from django.urls.resolvers import URLPattern

from . import views
from .models import DeadlineRule, Provision, ReferralTarget, Statute, Threshold, ViolationType

app_name = "law"


def _catalog(
    segment: str,
    model: type[Model],
    list_view: type[views.CatalogListView],
    detail_view: type[views.CatalogDetailView],
) -> list[URLPattern]:
    prefix = views.URL_PREFIX[model]
    patterns = [
        path(f"{segment}/", list_view.as_view(), name=f"{prefix}_list"),
        path(
            f"{segment}/add/",
            views.CatalogFormView.as_view(model=model, mode="create"),
            name=f"{prefix}_add",
        ),
        path(f"{segment}/<int:pk>/", detail_view.as_view(), name=f"{prefix}_detail"),
        path(
            f"{segment}/<int:pk>/edit/",
            views.CatalogFormView.as_view(model=model, mode="edit"),
            name=f"{prefix}_edit",
        ),
    ]
    if views.versioned(model):
        patterns.append(
            path(
                f"{segment}/<int:pk>/new-version/",
                views.CatalogFormView.as_view(model=model, mode="new_version"),
                name=f"{prefix}_new_version",
            )
        )
    return patterns


urlpatterns = [
    *_catalog(
        "violation-types",
        ViolationType,
        views.ViolationTypeListView,
        views.ViolationTypeDetailView,
    ),
    *_catalog(
        "referral-targets",
        ReferralTarget,
        views.ReferralTargetListView,
        views.ReferralTargetDetailView,
    ),
    *_catalog(
        "deadline-rules", DeadlineRule, views.DeadlineRuleListView, views.DeadlineRuleDetailView
    ),
    *_catalog("thresholds", Threshold, views.ThresholdListView, views.ThresholdDetailView),
    *_catalog("statutes", Statute, views.StatuteListView, views.StatuteDetailView),
    *_catalog("provisions", Provision, views.ProvisionListView, views.ProvisionDetailView),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/add/", views.CalendarDayFormView.as_view(mode="create"), name="calendarday_add"),
    path(
        "calendar/<int:pk>/edit/",
        views.CalendarDayFormView.as_view(mode="edit"),
        name="calendarday_edit",
    ),
    path(
        "calendar/<int:pk>/delete/",
        views.CalendarDayDeleteView.as_view(),
        name="calendarday_delete",
    ),
]

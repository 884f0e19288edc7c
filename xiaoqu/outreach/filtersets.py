from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate, PropertyCompany
from xiaoqu.regions.models import Subdistrict

from .choices import EventKind, EventStatus, TrainingStatus
from .models import EventTarget, EventTheme, OutreachEvent, Training, TrainingAttendance
from .selectors import type_names

DATE = django_filters.widgets.forms.DateInput(attrs={"type": "date"})


def _estates_seen(request: Any) -> QuerySet[Estate]:
    """Filter choices name only the estates the user may see."""
    if request is None:
        return Estate.objects.none()
    return Estate.objects.restrict(request.user).order_by("name")


def _companies_seen(request: Any) -> QuerySet[PropertyCompany]:
    if request is None:
        return PropertyCompany.objects.none()
    return PropertyCompany.objects.restrict(request.user).order_by("name")


class EventFilterSet(SearchFilterSet):
    search_fields = ("title", "place", "notes", "targets__estate__name")
    search_placeholder = _("Title, place, estate…")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=EventStatus.choices, label=_("status"))
    theme = django_filters.ChoiceFilter(method="filter_theme", label=_("theme"), choices=())
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), method="filter_subdistrict", label=_("subdistrict")
    )
    estate = django_filters.ModelChoiceFilter(
        queryset=_estates_seen, method="filter_estate", label=_("estate")
    )
    since = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label=_("held from"), widget=DATE
    )
    until = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label=_("held until"), widget=DATE
    )

    class Meta:
        model = OutreachEvent
        fields = ["q", "kind", "status", "theme", "subdistrict", "estate", "since", "until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["theme"].choices = [("", _("All")), *type_names().items()]
        if self.queryset is not None:
            targeted = EventTarget.objects.filter(event__in=self.queryset.order_by().values("pk"))
            self.form.fields["estate"].queryset = Estate.objects.filter(
                pk__in=targeted.values("estate")
            ).order_by("name")

    def filter_theme(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(
            pk__in=EventTheme.objects.filter(violation_code=value).values("event")
        )

    def filter_subdistrict(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(
            pk__in=EventTarget.objects.filter(estate__subdistrict=value).values("event")
        )

    def filter_estate(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(pk__in=EventTarget.objects.filter(estate=value).values("event"))


class TrainingFilterSet(SearchFilterSet):
    search_fields = ("title", "place", "topic", "attendances__company__name")
    search_placeholder = _("Title, topic, company…")
    status = django_filters.ChoiceFilter(choices=TrainingStatus.choices, label=_("status"))
    organiser = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), method="filter_organiser", label=_("organiser")
    )
    company = django_filters.ModelChoiceFilter(
        queryset=_companies_seen, method="filter_company", label=_("property company")
    )
    since = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label=_("held from"), widget=DATE
    )
    until = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label=_("held until"), widget=DATE
    )

    class Meta:
        model = Training
        fields = ["q", "status", "organiser", "company", "since", "until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.queryset is not None:
            ids = self.queryset.order_by().values("pk")
            self.form.fields["organiser"].queryset = (
                Department.objects.filter(trainings__in=ids).distinct().order_by("kind", "code")
            )
            self.form.fields["company"].queryset = PropertyCompany.objects.filter(
                pk__in=TrainingAttendance.objects.filter(training__in=ids).values("company")
            ).order_by("name")

    def filter_organiser(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(pk__in=Training.objects.filter(organisers=value).values("pk"))

    def filter_company(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(
            pk__in=TrainingAttendance.objects.filter(company=value).values("training")
        )

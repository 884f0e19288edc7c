from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.estates.models import Studio
from xiaoqu.regions.models import Subdistrict

from .choices import ActivityKind
from .models import StudioActivity


class StudioFilterSet(SearchFilterSet):
    search_fields = ("name", "leader", "address", "estates__name")
    search_placeholder = _("Studio, leader, estate…")
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )
    with_open = django_filters.BooleanFilter(
        method="filter_with_open", label=_("with open problems")
    )

    class Meta:
        model = Studio
        fields = ["q", "subdistrict", "with_open"]

    def filter_with_open(self, queryset: QuerySet[Any], name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        return queryset.filter(open_leads__gt=0) if value else queryset.filter(open_leads=0)


class ActivityFilterSet(SearchFilterSet):
    search_fields = ("title", "place", "notes", "outcome", "studio__name")
    search_placeholder = _("Title, place, studio…")
    studio = django_filters.ModelChoiceFilter(
        queryset=Studio.objects.all(), label=_("community studio")
    )
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("kind"))
    upcoming = django_filters.BooleanFilter(method="filter_upcoming", label=_("upcoming"))

    class Meta:
        model = StudioActivity
        fields = ["q", "studio", "kind", "upcoming"]

    def filter_upcoming(self, queryset: QuerySet[Any], name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        now = timezone.now()
        return queryset.filter(starts_at__gte=now) if value else queryset.filter(starts_at__lt=now)

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.estates.models import Estate

from .choices import RenovationStatus
from .models import Renovation
from .selectors import status_q


class RenovationFilterSet(SearchFilterSet):
    search_fields = (
        "estate__name",
        "building",
        "room",
        "owner_name",
        "contractor_name",
        "scope",
    )
    search_placeholder = _("Estate, unit, owner, contractor, scope…")
    estate = django_filters.ModelChoiceFilter(queryset=Estate.objects.all(), label=_("estate"))
    status = django_filters.ChoiceFilter(
        choices=RenovationStatus.choices, method="filter_status", label=_("status")
    )
    structural = django_filters.BooleanFilter(label=_("touches structure"))
    on = django_filters.DateFilter(
        method="filter_on",
        label=_("running on"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Renovation
        fields = ["q", "estate", "status", "structural", "on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.queryset is not None:
            self.form.fields["estate"].queryset = Estate.objects.filter(
                pk__in=self.queryset.order_by().values("estate")
            ).order_by("name")

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(status_q(value, timezone.localdate())) if value else queryset

    def filter_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(start_date__lte=value, end_date__gte=value)

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.estates.choices import RiskGrade
from xiaoqu.estates.models import Estate
from xiaoqu.regions.models import Subdistrict

from .choices import PatrolStatus
from .models import PatrolTask


class DateInput(forms.DateInput):
    input_type = "date"


class PatrolTaskFilterSet(SearchFilterSet):
    search_fields = ("estate__name", "summary", "checked_in_by__name")
    search_placeholder = _("Estate, summary, officer…")
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )
    estate = django_filters.ModelChoiceFilter(queryset=Estate.objects.all(), label=_("estate"))
    status = django_filters.ChoiceFilter(choices=PatrolStatus.choices, label=_("status"))
    grade = django_filters.ChoiceFilter(choices=RiskGrade.choices, label=_("risk grade"))
    due_from = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("due from"), widget=DateInput
    )
    due_to = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("due until"), widget=DateInput
    )

    class Meta:
        model = PatrolTask
        fields = ["q", "subdistrict", "estate", "status", "grade", "due_from", "due_to"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.queryset is not None:
            # Only estates that have patrols the user may see (not the whole register).
            self.form.fields["estate"].queryset = Estate.objects.filter(
                pk__in=self.queryset.order_by().values("estate")
            ).order_by("name")

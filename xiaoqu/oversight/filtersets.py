from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.departments.models import Department
from xiaoqu.regions.models import Subdistrict

from .choices import ItemKind, LapseKind, LapseReason
from .models import Lapse

DATE = forms.DateInput(attrs={"type": "date"})


class LapseFilterSet(SearchFilterSet):
    search_fields = ("number", "estate__name", "detail")
    search_placeholder = _("Number, estate…")
    kind = django_filters.ChoiceFilter(choices=LapseKind.choices, label=_("kind"))
    reason = django_filters.ChoiceFilter(choices=LapseReason.choices, label=_("what happened"))
    item_kind = django_filters.ChoiceFilter(choices=ItemKind.choices, label=_("item"))
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("department or team")
    )
    since = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__gte",
        label=_("deadline or event from"),
        widget=DATE,
    )
    until = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__lte",
        label=_("deadline or event until"),
        widget=DATE,
    )

    class Meta:
        model = Lapse
        fields = ["q", "kind", "reason", "item_kind", "subdistrict", "department", "since", "until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the subdistricts and departments of the lapses the user may see.
        if self.queryset is not None:
            base = self.queryset.order_by()
            self.form.fields["subdistrict"].queryset = Subdistrict.objects.filter(
                pk__in=base.values("subdistrict")
            ).order_by("code")
            self.form.fields["department"].queryset = Department.objects.filter(
                pk__in=base.values("department")
            ).order_by("name")

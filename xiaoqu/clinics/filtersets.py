from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import Subdistrict

from .choices import ClinicStatus
from .models import Clinic


class ClinicFilterSet(SearchFilterSet):
    search_fields = ("number", "title", "estates__name", "analysis", "participants")
    search_placeholder = _("Number, title, estate, analysis…")
    status = django_filters.ChoiceFilter(choices=ClinicStatus.choices, label=_("status"))
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), method="filter_subdistrict", label=_("subdistrict")
    )
    violation_type = django_filters.ModelChoiceFilter(
        queryset=ViolationType.objects.all(),
        method="filter_violation_type",
        label=_("violation type"),
    )

    class Meta:
        model = Clinic
        fields = ["q", "status", "subdistrict", "violation_type"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["violation_type"].queryset = ViolationType.objects.effective()
        self.form.fields["subdistrict"].queryset = self.form.fields[
            "subdistrict"
        ].queryset.order_by("code")

    def filter_subdistrict(
        self, queryset: QuerySet[Clinic], name: str, value: Subdistrict | None
    ) -> QuerySet[Clinic]:
        if not value:
            return queryset
        return queryset.filter(pk__in=Clinic.objects.filter(subdistricts=value).values("pk"))

    def filter_violation_type(
        self, queryset: QuerySet[Clinic], name: str, value: ViolationType | None
    ) -> QuerySet[Clinic]:
        return queryset.filter(violation_type__code=value.code) if value else queryset

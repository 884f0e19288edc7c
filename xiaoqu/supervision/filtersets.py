from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.departments.models import Department
from xiaoqu.regions.models import Subdistrict

from .choices import UrgeKind
from .models import UrgeNotice


class UrgeNoticeFilterSet(SearchFilterSet):
    search_fields = ("record_number", "text")
    search_placeholder = _("Number, text…")
    kind = django_filters.ChoiceFilter(choices=UrgeKind.choices, label=_("kind"))
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("department")
    )
    issued_after = django_filters.DateFilter(
        field_name="issued_at", lookup_expr="date__gte", label=_("issued from")
    )
    issued_before = django_filters.DateFilter(
        field_name="issued_at", lookup_expr="date__lte", label=_("issued until")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # only the departments the user's notices were addressed to
        if self.queryset is not None:
            self.form.fields["department"].queryset = Department.objects.filter(
                pk__in=self.queryset.order_by().values("department")
            )
        for name in ("issued_after", "issued_before"):
            self.form.fields[name].widget.input_type = "date"

    class Meta:
        model = UrgeNotice
        fields = ["q", "kind", "subdistrict", "department", "issued_after", "issued_before"]

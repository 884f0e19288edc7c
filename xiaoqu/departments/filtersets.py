from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.regions.models import Subdistrict

from .choices import DepartmentKind
from .models import Department


class DepartmentFilterSet(SearchFilterSet):
    search_fields = ("name", "short_name", "duties", "referral_matters")
    search_placeholder = _("Name, duties, matters…")
    kind = django_filters.ChoiceFilter(choices=DepartmentKind.choices, label=_("kind"))
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )

    class Meta:
        model = Department
        fields = ["q", "kind", "subdistrict"]

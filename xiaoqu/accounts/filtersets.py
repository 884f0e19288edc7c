from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.departments.models import Department
from xiaoqu.regions.models import Subdistrict

from .choices import Role
from .models import User


class UserFilterSet(SearchFilterSet):
    search_fields = ("username", "name", "phone")
    search_placeholder = _("User name, full name, phone…")
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("role"))
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("department")
    )
    is_active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = User
        fields = ["q", "role", "subdistrict", "department", "is_active"]

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.departments.models import Department
from xiaoqu.regions.models import Subdistrict

from .choices import (
    OPEN_ASSISTANCE_STATUSES,
    OPEN_REFERRAL_STATUSES,
    AssistanceKind,
    AssistanceStatus,
    ReferralStatus,
)
from .models import AssistanceRequest, Referral


class _LoopFilterSet(SearchFilterSet):
    """Shared filters: department, the lead's subdistrict, overdue now."""

    open_statuses: frozenset[str] = frozenset()
    search_placeholder = _("Number, lead, estate, matter…")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("department")
    )
    subdistrict = django_filters.ModelChoiceFilter(
        field_name="lead__subdistrict", queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the departments the user's records were addressed to.
        if self.queryset is not None:
            self.form.fields["department"].queryset = Department.objects.filter(
                pk__in=self.queryset.order_by().values("department")
            ).order_by("kind", "code")

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        late = Q(status__in=list(self.open_statuses), due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)


class ReferralFilterSet(_LoopFilterSet):
    open_statuses = OPEN_REFERRAL_STATUSES
    search_fields = ("number", "matter", "lead__number", "lead__estate__name", "lead__address")
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, label=_("status"))

    class Meta:
        model = Referral
        fields = ["q", "status", "department", "subdistrict", "overdue"]


class AssistanceFilterSet(_LoopFilterSet):
    open_statuses = OPEN_ASSISTANCE_STATUSES
    search_fields = ("number", "request", "lead__number", "lead__estate__name", "lead__address")
    status = django_filters.ChoiceFilter(choices=AssistanceStatus.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=AssistanceKind.choices, label=_("assistance asked"))

    class Meta:
        model = AssistanceRequest
        fields = ["q", "status", "kind", "department", "subdistrict", "overdue"]

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.estates.models import PropertyCompany
from xiaoqu.regions.models import Subdistrict

from .choices import OPEN_PROPOSAL_STATUSES, ProposalStatus, Situation
from .models import DemeritProposal, DemeritRule


class ProposalFilterSet(SearchFilterSet):
    search_fields = (
        "number",
        "company__name",
        "estate__name",
        "decision_number",
        "case__number",
        "project_manager__name",
    )
    search_placeholder = _("Number, company, estate, decision…")
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label=_("status"))
    situation = django_filters.ChoiceFilter(choices=Situation.choices, label=_("why"))
    company = django_filters.ModelChoiceFilter(
        queryset=PropertyCompany.objects.all(), label=_("property company")
    )
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))

    class Meta:
        model = DemeritProposal
        fields = ["q", "status", "situation", "company", "subdistrict", "overdue"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the companies of the proposals the user may see.
        if self.queryset is not None:
            self.form.fields["company"].queryset = PropertyCompany.objects.filter(
                pk__in=self.queryset.order_by().values("company")
            ).order_by("name")

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        late = Q(status__in=list(OPEN_PROPOSAL_STATUSES), due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)


class RuleFilterSet(SearchFilterSet):
    search_fields = ("code", "description", "note")
    situation = django_filters.ChoiceFilter(choices=Situation.choices, label=_("situation"))
    verified = django_filters.BooleanFilter(label=_("verified"))

    class Meta:
        model = DemeritRule
        fields = ["q", "situation", "verified"]

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.intake.filtersets import DateField
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import Subdistrict

from .choices import OPEN_CASE_STATUSES, CaseStatus, Procedure
from .models import Case
from .selectors import DECISION_SOON_DAYS
from .workflow import BEFORE_DECISION


def _date_filter(lookup: str, label: Any) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name="filed_at",
        lookup_expr=lookup,
        label=label,
        widget=DateField(format="%Y-%m-%d"),
    )


class CaseFilterSet(SearchFilterSet):
    search_fields = ("number", "decision_number", "party_name", "facts", "estate__name")
    search_placeholder = _("Number, decision number, party, facts, estate…")
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label=_("status"))
    procedure = django_filters.ChoiceFilter(choices=Procedure.choices, label=_("procedure"))
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )
    violation_type = django_filters.ModelChoiceFilter(
        queryset=ViolationType.objects.all(),
        method="filter_violation_type",
        label=_("violation type"),
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    decision_due_soon = django_filters.BooleanFilter(
        method="filter_decision_due_soon",
        label=lazy(
            lambda: gettext("decision due within %(days)d days") % {"days": DECISION_SOON_DAYS},
            str,
        )(),
    )
    filed_from = _date_filter("date__gte", _("filed from"))
    filed_to = _date_filter("date__lte", _("filed until"))

    class Meta:
        model = Case
        fields = [
            "q",
            "status",
            "procedure",
            "subdistrict",
            "violation_type",
            "overdue",
            "decision_due_soon",
            "filed_from",
            "filed_to",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the versions in force today; a case matches whatever version it was filed with
        self.form.fields["violation_type"].queryset = ViolationType.objects.effective()

    def filter_violation_type(
        self, queryset: QuerySet[Case], name: str, value: ViolationType | None
    ) -> QuerySet[Case]:
        return queryset.filter(violation_type__code=value.code) if value else queryset

    def filter_overdue(
        self, queryset: QuerySet[Case], name: str, value: bool | None
    ) -> QuerySet[Case]:
        if value is None:
            return queryset
        late = Q(status__in=OPEN_CASE_STATUSES, due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_decision_due_soon(
        self, queryset: QuerySet[Case], name: str, value: bool | None
    ) -> QuerySet[Case]:
        """Undecided cases whose decision deadline (art. 60) falls within the next days, or
        has passed."""
        if value is None:
            return queryset
        soon = Q(
            status__in=BEFORE_DECISION,
            decision_due_at__lt=timezone.now() + dt.timedelta(days=DECISION_SOON_DAYS),
        )
        return queryset.filter(soon) if value else queryset.exclude(soon)

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import Subdistrict

from .choices import OPEN_LEAD_STATUSES, Channel, LeadStatus
from .models import Complaint, Lead


class DateField(forms.DateInput):
    input_type = "date"


def _date_filter(lookup: str, label: Any) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name="received_at",
        lookup_expr=lookup,
        label=label,
        widget=DateField(format="%Y-%m-%d"),
    )


class ComplaintFilterSet(SearchFilterSet):
    search_fields = ("number", "external_no", "content", "address", "estate__name")
    search_placeholder = _("Number, work order, content, estate…")
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("channel"))
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )
    estate = django_filters.CharFilter(
        field_name="estate__name", lookup_expr="icontains", label=_("estate")
    )
    replied = django_filters.BooleanFilter(
        field_name="replied_at", lookup_expr="isnull", exclude=True, label=_("replied")
    )
    reply_overdue = django_filters.BooleanFilter(
        method="filter_reply_overdue", label=_("reply late")
    )
    received_from = _date_filter("date__gte", _("received from"))
    received_to = _date_filter("date__lte", _("received until"))

    class Meta:
        model = Complaint
        fields = [
            "q",
            "channel",
            "subdistrict",
            "estate",
            "replied",
            "reply_overdue",
            "received_from",
            "received_to",
        ]

    def filter_reply_overdue(
        self, queryset: QuerySet[Complaint], name: str, value: bool | None
    ) -> QuerySet[Complaint]:
        if value is None:
            return queryset
        late = Q(replied_at__isnull=True, reply_due_at__lt=timezone.now()) | Q(
            replied_at__gt=F("reply_due_at")
        )
        return queryset.filter(late) if value else queryset.exclude(late)


class LeadFilterSet(SearchFilterSet):
    search_fields = ("number", "summary", "address", "estate__name")
    search_placeholder = _("Number, summary, location, estate…")
    status = django_filters.ChoiceFilter(choices=LeadStatus.choices, label=_("status"))
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )
    violation_type = django_filters.ModelChoiceFilter(
        queryset=ViolationType.objects.all(),
        method="filter_violation_type",
        label=_("violation type"),
    )
    estate = django_filters.CharFilter(
        field_name="estate__name", lookup_expr="icontains", label=_("estate")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    chronic = django_filters.BooleanFilter(
        field_name="chronic_since", lookup_expr="isnull", exclude=True, label=_("chronic")
    )
    received_from = _date_filter("date__gte", _("received from"))
    received_to = _date_filter("date__lte", _("received until"))

    class Meta:
        model = Lead
        fields = [
            "q",
            "status",
            "subdistrict",
            "violation_type",
            "estate",
            "overdue",
            "chronic",
            "received_from",
            "received_to",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the versions in force today; a lead matches whatever version it was recorded with
        self.form.fields["violation_type"].queryset = ViolationType.objects.effective()

    def filter_violation_type(
        self, queryset: QuerySet[Lead], name: str, value: ViolationType | None
    ) -> QuerySet[Lead]:
        return queryset.filter(violation_type__code=value.code) if value else queryset

    def filter_overdue(
        self, queryset: QuerySet[Lead], name: str, value: bool | None
    ) -> QuerySet[Lead]:
        if value is None:
            return queryset
        late = Q(status__in=OPEN_LEAD_STATUSES, due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)

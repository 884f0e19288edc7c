from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.departments.models import Department

from .choices import DeadlineUnit
from .models import DeadlineRule, Provision, ReferralTarget, Statute, Threshold, ViolationType


class EffectiveFilterSet(SearchFilterSet):
    """Adds "in force today" (yes: current versions only; no: ended or future versions)."""

    in_force = django_filters.BooleanFilter(method="filter_in_force", label=_("in force"))

    def filter_in_force(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        current = queryset.model._default_manager.effective().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class ViolationTypeFilterSet(EffectiveFilterSet):
    search_fields = ("code", "name", "description", "penalty_text", "enforcer_note")
    search_placeholder = _("Name, code, penalty…")
    enforcer = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("enforcing department")
    )
    verified = django_filters.BooleanFilter(label=_("verified"))

    class Meta:
        model = ViolationType
        fields = ["q", "enforcer", "in_force", "verified"]


class ReferralTargetFilterSet(EffectiveFilterSet):
    search_fields = ("code", "matters", "department__name")
    search_placeholder = _("Code, matters, department…")

    class Meta:
        model = ReferralTarget
        fields = ["q", "in_force"]


class DeadlineRuleFilterSet(EffectiveFilterSet):
    search_fields = ("code", "description", "source_title")
    search_placeholder = _("Code, description, source…")
    unit = django_filters.ChoiceFilter(choices=DeadlineUnit.choices, label=_("unit"))
    verified = django_filters.BooleanFilter(label=_("verified"))

    class Meta:
        model = DeadlineRule
        fields = ["q", "unit", "in_force", "verified"]


class ThresholdFilterSet(EffectiveFilterSet):
    search_fields = ("code", "description", "source_title")
    search_placeholder = _("Code, description, source…")
    verified = django_filters.BooleanFilter(label=_("verified"))

    class Meta:
        model = Threshold
        fields = ["q", "in_force", "verified"]


class StatuteFilterSet(EffectiveFilterSet):
    search_fields = ("code", "title", "version", "issuer")
    search_placeholder = _("Title, code, version…")
    verified = django_filters.BooleanFilter(label=_("verified"))

    class Meta:
        model = Statute
        fields = ["q", "in_force", "verified"]


class ProvisionFilterSet(SearchFilterSet):
    search_fields = ("article", "text", "note", "statute__title", "statute__code")
    search_placeholder = _("Article, text, statute…")
    statute = django_filters.ModelChoiceFilter(queryset=Statute.objects.all(), label=_("statute"))
    verified = django_filters.BooleanFilter(label=_("verified"))

    class Meta:
        model = Provision
        fields = ["q", "statute", "verified"]

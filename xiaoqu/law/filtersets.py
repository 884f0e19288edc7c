from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet

from .choices import DeadlineUnit
from .models import DeadlineRule, Provision, ReferralTarget, Statute, Threshold, ViolationType


class ViolationTypeFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "description", "penalty_text", "enforcer_note")
    verified = django_filters.BooleanFilter(label=_("verified"))

    class Meta:
        model = ViolationType
        fields = ["q", "verified"]


class ReferralTargetFilterSet(SearchFilterSet):
    search_fields = ("code", "matters", "department__name")

    class Meta:
        model = ReferralTarget
        fields = ["q"]


class DeadlineRuleFilterSet(SearchFilterSet):
    search_fields = ("code", "description", "source_title")
    unit = django_filters.ChoiceFilter(choices=DeadlineUnit.choices, label=_("unit"))
    verified = django_filters.BooleanFilter(label=_("verified"))

    class Meta:
        model = DeadlineRule
        fields = ["q", "unit", "verified"]


class ThresholdFilterSet(SearchFilterSet):
    search_fields = ("code", "description", "source_title")

    class Meta:
        model = Threshold
        fields = ["q"]


class StatuteFilterSet(SearchFilterSet):
    search_fields = ("code", "title", "version")

    class Meta:
        model = Statute
        fields = ["q"]


class ProvisionFilterSet(SearchFilterSet):
    search_fields = ("article", "text", "statute__title")
    statute = django_filters.ModelChoiceFilter(queryset=Statute.objects.all(), label=_("statute"))
    verified = django_filters.BooleanFilter(label=_("verified"))

    class Meta:
        model = Provision
        fields = ["q", "statute", "verified"]

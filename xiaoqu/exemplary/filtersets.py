from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import Subdistrict

from .choices import ExemplaryStatus
from .models import ExemplaryCase


class ExemplaryFilterSet(SearchFilterSet):
    search_fields = ("title", "facts", "handling", "lesson", "case__number")
    search_placeholder = _("Title, text, case number…")
    status = django_filters.ChoiceFilter(choices=ExemplaryStatus.choices, label=_("status"))
    violation_type = django_filters.ModelChoiceFilter(
        queryset=ViolationType.objects.all(), label=_("violation type")
    )
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )

    class Meta:
        model = ExemplaryCase
        fields = ["q", "status", "violation_type", "subdistrict"]

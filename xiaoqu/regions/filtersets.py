from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet

from .choices import SubdistrictKind
from .models import NeighbourhoodCommittee, Subdistrict


class SubdistrictFilterSet(SearchFilterSet):
    search_fields = ("name", "code")
    search_placeholder = _("Name, code…")
    kind = django_filters.ChoiceFilter(choices=SubdistrictKind.choices, label=_("kind"))

    class Meta:
        model = Subdistrict
        fields = ["q", "kind"]


class CommitteeFilterSet(SearchFilterSet):
    search_fields = ("name", "code", "address")
    search_placeholder = _("Name, code, address…")
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )

    class Meta:
        model = NeighbourhoodCommittee
        fields = ["q", "subdistrict"]

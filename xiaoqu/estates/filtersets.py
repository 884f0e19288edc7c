from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.regions.models import NeighbourhoodCommittee, Subdistrict

from .choices import RiskGrade
from .models import Estate, OwnersCommittee, ProjectManager, PropertyCompany, Studio


class EstateFilterSet(SearchFilterSet):
    search_fields = ("name", "aliases", "addresses__address")
    search_placeholder = _("Name, alias, address…")
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )
    committee = django_filters.ModelChoiceFilter(
        queryset=NeighbourhoodCommittee.objects.all(), label=_("neighbourhood committee")
    )
    property_company = django_filters.ModelChoiceFilter(
        queryset=PropertyCompany.objects.all(), label=_("property company")
    )
    risk_grade = django_filters.ChoiceFilter(choices=RiskGrade.choices, label=_("risk grade"))
    is_pilot = django_filters.BooleanFilter(label=_("pilot estate"))
    studio = django_filters.ModelChoiceFilter(
        field_name="studios", queryset=Studio.objects.all(), label=_("community studio")
    )

    class Meta:
        model = Estate
        fields = [
            "q",
            "subdistrict",
            "committee",
            "property_company",
            "studio",
            "risk_grade",
            "is_pilot",
        ]


class PropertyCompanyFilterSet(SearchFilterSet):
    search_fields = ("name", "uscc", "contact", "legal_representative")
    search_placeholder = _("Name, credit code, contact…")

    class Meta:
        model = PropertyCompany
        fields = ["q"]


class ProjectManagerFilterSet(SearchFilterSet):
    search_fields = ("name", "phone", "company__name")
    search_placeholder = _("Name, phone, company…")
    company = django_filters.ModelChoiceFilter(
        queryset=PropertyCompany.objects.all(), label=_("property company")
    )

    class Meta:
        model = ProjectManager
        fields = ["q", "company"]


class OwnersCommitteeFilterSet(SearchFilterSet):
    search_fields = ("estate__name", "chair")
    search_placeholder = _("Estate, chair…")
    subdistrict = django_filters.ModelChoiceFilter(
        field_name="estate__subdistrict", queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )

    class Meta:
        model = OwnersCommittee
        fields = ["q", "subdistrict"]


class StudioFilterSet(SearchFilterSet):
    search_fields = ("name", "leader", "address", "estates__name")
    search_placeholder = _("Name, leader, address, estate…")
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )

    class Meta:
        model = Studio
        fields = ["q", "subdistrict"]

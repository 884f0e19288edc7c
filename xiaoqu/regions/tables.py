from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import NeighbourhoodCommittee, Subdistrict


class SubdistrictTable(tables.Table):
    name = tables.Column(linkify=True)
    estate_count = tables.Column(verbose_name=_("estates"), orderable=True)
    committee_count = tables.Column(verbose_name=_("committees"), orderable=True)
    households = tables.Column(verbose_name=_("households"), orderable=True)
    residents = tables.Column(verbose_name=_("residents"), orderable=True)

    class Meta:
        model = Subdistrict
        fields = (
            "code",
            "name",
            "kind",
            "area_km2",
            "estate_count",
            "committee_count",
            "households",
            "residents",
        )
        order_by = ("code",)


class CommitteeTable(tables.Table):
    name = tables.Column(linkify=True)
    subdistrict = tables.Column(linkify=True)
    estate_count = tables.Column(verbose_name=_("estates"))

    class Meta:
        model = NeighbourhoodCommittee
        fields = ("name", "subdistrict", "code", "address", "phone", "estate_count")

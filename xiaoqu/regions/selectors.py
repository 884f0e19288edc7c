"""Reads of regions, always through the user's jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from xiaoqu.core.aggregates import count_of, sum_of
from xiaoqu.estates.models import Estate

from .models import NeighbourhoodCommittee, Subdistrict


def subdistrict_list(*, user: Any) -> QuerySet[Subdistrict]:
    estates = Estate.objects.restrict(user)
    return (
        Subdistrict.objects.restrict(user)
        .select_related("district")
        .annotate(
            estate_count=count_of(estates, "subdistrict"),
            households=sum_of(estates, "subdistrict", "households"),
            residents=sum_of(estates, "subdistrict", "residents"),
            committee_count=count_of(NeighbourhoodCommittee.objects.restrict(user), "subdistrict"),
        )
    )


def committee_list(*, user: Any) -> QuerySet[NeighbourhoodCommittee]:
    return (
        NeighbourhoodCommittee.objects.restrict(user)
        .select_related("subdistrict")
        .annotate(
            estate_count=count_of(Estate.objects.restrict(user), "committee"),
            residents=sum_of(Estate.objects.restrict(user), "committee", "residents"),
        )
    )

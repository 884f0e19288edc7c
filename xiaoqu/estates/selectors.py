"""Reads of estates and the organisations around them, always through the jurisdiction filter."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from xiaoqu.core.aggregates import count_of, sum_of

from .models import Estate, OwnersCommittee, ProjectManager, PropertyCompany, Studio


def estate_list(*, user: Any) -> QuerySet[Estate]:
    return (
        Estate.objects.restrict(user)
        .select_related(
            "subdistrict", "committee", "property_company", "project_manager", "district"
        )
        .prefetch_related("addresses")
    )


def company_list(*, user: Any) -> QuerySet[PropertyCompany]:
    estates = Estate.objects.restrict(user)
    return PropertyCompany.objects.restrict(user).annotate(
        estate_count=count_of(estates, "property_company"),
        households=sum_of(estates, "property_company", "households"),
    )


def manager_list(*, user: Any) -> QuerySet[ProjectManager]:
    return (
        ProjectManager.objects.restrict(user)
        .select_related("company")
        .annotate(estate_count=count_of(Estate.objects.restrict(user), "project_manager"))
    )


def owners_committee_list(*, user: Any) -> QuerySet[OwnersCommittee]:
    return OwnersCommittee.objects.restrict(user).select_related("estate", "estate__subdistrict")


def studio_list(*, user: Any) -> QuerySet[Studio]:
    through = Studio.estates.through.objects.filter(
        estate__in=Estate.objects.restrict(user).values("pk")
    )
    return (
        Studio.objects.restrict(user)
        .select_related("subdistrict")
        .annotate(estate_count=count_of(through, "studio"))
    )

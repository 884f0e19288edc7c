"""The role-specific home page: what the signed-in user is responsible for, in figures."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.departments.models import Department
from xiaoqu.estates import selectors as estate_selectors
from xiaoqu.estates.models import Estate, PropertyCompany, Studio
from xiaoqu.intake.selectors import officer_todo_summary
from xiaoqu.law.models import DeadlineRule, ViolationType
from xiaoqu.regions import selectors as region_selectors
from xiaoqu.regions.geo import boundary_collection


def _estate_figures(estates: Any) -> dict[str, Any]:
    figures = estates.aggregate(
        n=Count("pk"), households=Sum("households"), residents=Sum("residents")
    )
    figures["demo"] = estates.filter(is_demo=True).exists()
    figures["pilot"] = estates.filter(is_pilot=True).count()
    return figures


def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    estates = Estate.objects.restrict(user)
    context: dict[str, Any] = {
        "title": _("Home"),
        "figures": _estate_figures(estates),
        "company_count": PropertyCompany.objects.restrict(user).count(),
        "studio_count": Studio.objects.restrict(user).count(),
        "violation_types": ViolationType.objects.restrict(user)
        .effective()
        .select_related("enforcer"),
        "unverified_count": ViolationType.objects.restrict(user)
        .effective()
        .filter(verified=False)
        .count()
        + DeadlineRule.objects.restrict(user).effective().filter(verified=False).count(),
    }
    kind = user.scope_kind
    if user.is_district_level or kind == ScopeKind.SUBDISTRICT:
        subdistricts = list(region_selectors.subdistrict_list(user=user))
        context["subdistricts"] = subdistricts
        context["map_geojson"] = boundary_collection(
            subdistricts,
            values={sd.pk: sd.estate_count for sd in subdistricts},  # type: ignore[attr-defined]
        )
        context["map_value_label"] = _("estates")
        context["map_source"] = next(
            (sd.boundary_source for sd in subdistricts if sd.boundary_source), ""
        )
    if kind == ScopeKind.DEPARTMENT and user.department_id:
        dept = Department.objects.get(pk=user.department_id)
        context["department"] = dept
        context["enforced_types"] = context["violation_types"].filter(enforcer=dept)
        context["assisted_types"] = context["violation_types"].filter(assisting_departments=dept)
    if user.role == Role.OFFICER:
        context["todo"] = officer_todo_summary(user=user)
    if kind in (ScopeKind.PROPERTY_COMPANY, ScopeKind.STUDIO):
        context["my_estates"] = estate_selectors.estate_list(user=user)[:50]
    return render(request, "core/home.html", context)

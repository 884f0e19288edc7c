"""Dashboards (district, subdistrict, department), the estate profile and the records behind
every figure. The dashboards read the pre-aggregated figures only (`figures`), never raw rows;
the records page and the estate timeline are paginated or bounded lists of records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xiaoqu.accounts.choices import Role
from xiaoqu.cases.models import Case
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate, EstateGrade
from xiaoqu.intake.models import Complaint
from xiaoqu.patrols.models import PatrolTask
from xiaoqu.regions.geo import boundary_collection
from xiaoqu.regions.models import Subdistrict

from . import drilldown, figures
from .drilldown import records_url
from .figures import Period, Scope
from .forms import PeriodForm

DISTRICT_ROLES = frozenset({Role.LEADER, Role.DISPATCHER, Role.ADMIN, Role.LEGAL})
SUBDISTRICT_ROLES = frozenset({Role.OFFICER, Role.SUBDISTRICT_MANAGER})


def _role(user: Any) -> str | None:
    return getattr(user, "role", None) if user.is_authenticated else None


def may_see_district(user: Any) -> bool:
    """Bureau roles: leaders, dispatchers, administrators; legal staff read."""
    return bool(user.is_authenticated and (user.is_superuser or _role(user) in DISTRICT_ROLES))


def may_see_subdistrict(user: Any, subdistrict: Subdistrict) -> bool:
    if may_see_district(user):
        return subdistrict.district_id == user.district_id or user.is_superuser
    return _role(user) in SUBDISTRICT_ROLES and user.subdistrict_id == subdistrict.pk


def may_see_department(user: Any, department: Department) -> bool:
    if may_see_district(user):
        return department.district_id == user.district_id or user.is_superuser
    if _role(user) == Role.LIAISON:
        return bool(user.department_id == department.pk)
    # a subdistrict's own enforcement team
    return bool(
        _role(user) in SUBDISTRICT_ROLES
        and department.subdistrict_id is not None
        and department.subdistrict_id == user.subdistrict_id
    )


# ---------------------------------------------------------------------------------------------
# Building blocks


def _first_month(district_id: int) -> dt.date | None:
    """The first month with complaints (one indexed read of the aggregates)."""
    from .models import ComplaintArea

    return (
        ComplaintArea.objects.filter(district_id=district_id)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )


def _years(first: dt.date | None) -> list[int]:
    """Years with data, for the period and baseline selects."""
    this_year = timezone.localdate().year
    start = first.year if first else this_year - 1
    return list(range(min(start, this_year - 1), this_year + 1))


def _default_baseline(first: dt.date | None) -> int:
    """The earliest full year with data (else the year before this one)."""
    this_year = timezone.localdate().year
    if first is None:
        return this_year - 1
    year = first.year if first.month == 1 else first.year + 1
    return min(year, this_year - 1)


def _value(rate: Any) -> float | None:
    value = rate.value if rate is not None else None
    return round(value, 2) if value is not None else None


def _month_label(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def _one_month(month: dt.date) -> Period:
    return Period.month(month.year, month.month)


def _trend_chart(
    scope: Scope, period: Period, baseline_year: int, fold: bool, first: dt.date | None
) -> dict[str, Any]:
    """Complaints per 10k by month, against the same month a year earlier and the baseline.
    Months before the first month with data have no point (not a zero)."""
    current = figures.monthly(scope, period, fold_repeats=fold)
    earlier = figures.monthly(scope, period.shifted(-1), fold_repeats=fold)
    baseline = figures.monthly(scope, Period.year(baseline_year), fold_repeats=fold)
    by_month_of_year = {m.month.month: m for m in baseline}
    series_now, series_before, series_base = [], [], []
    for i, m in enumerate(current):
        series_now.append(
            {
                "value": _value(m.per_10k),
                "count": m.complaints,
                "url": records_url(
                    figure="complaints", scope=scope, period=_one_month(m.month), fold=fold
                ),
            }
        )
        before = earlier[i] if i < len(earlier) else None
        if before is not None and (first is None or before.month < first):
            before = None
        series_before.append(
            {
                "value": _value(before.per_10k) if before else None,
                "count": before.complaints if before else None,
                "url": records_url(
                    figure="complaints", scope=scope, period=_one_month(before.month), fold=fold
                )
                if before
                else "",
            }
        )
        base = by_month_of_year.get(m.month.month)
        if base is not None and (first is None or base.month < first):
            base = None
        series_base.append(
            {
                "value": _value(base.per_10k) if base else None,
                "count": base.complaints if base else None,
                "url": records_url(
                    figure="complaints", scope=scope, period=_one_month(base.month), fold=fold
                )
                if base
                else "",
            }
        )
    return {
        "type": "line",
        "unit": _("per 10k residents"),
        "categories": [_month_label(m.month) for m in current],
        "series": [
            {"name": _("This period"), "data": series_now},
            {"name": _("Same month a year earlier"), "data": series_before, "dashed": True},
            {
                "name": _("Baseline year %(year)s") % {"year": baseline_year},
                "data": series_base,
                "dashed": True,
            },
        ],
        "months": current,
    }


def _area_chart(
    user: Any, scope: Scope, period: Period, fold: bool, areas: list[Any]
) -> dict[str, Any]:
    """By subdistrict: a choropleth when boundaries are imported, bars otherwise."""
    points = [
        {
            "name": a.name,
            "value": _value(a.per_10k),
            "count": a.complaints,
            "url": records_url(
                figure="complaints",
                scope=Scope(
                    district_id=scope.district_id,
                    subdistrict_id=a.subdistrict_id,
                    department_id=scope.department_id,
                    violation_code=scope.violation_code,
                ),
                period=period,
                fold=fold,
            ),
        }
        for a in areas
    ]
    subdistricts = Subdistrict.objects.restrict(user).filter(district_id=scope.district_id)
    geo = boundary_collection(subdistricts.order_by("code"))
    if geo:
        return {"type": "map", "geo": geo, "data": points, "unit": _("per 10k residents")}
    return {
        "type": "bar",
        "unit": _("per 10k residents"),
        "categories": [p["name"] for p in points],
        "series": [{"name": _("Complaints per 10k"), "data": points}],
    }


def _type_chart(scope: Scope, period: Period, fold: bool, types: list[Any]) -> dict[str, Any]:
    points = [
        {
            "value": t.complaints,
            "url": records_url(
                figure="complaints",
                scope=Scope(
                    district_id=scope.district_id,
                    subdistrict_id=scope.subdistrict_id,
                    department_id=scope.department_id,
                    estate_id=scope.estate_id,
                    violation_code=t.code,
                ),
                period=period,
                fold=fold,
            ),
        }
        for t in types
    ]
    return {
        "type": "bar",
        "horizontal": True,
        "unit": _("complaints"),
        "categories": [str(t.name) for t in types],
        "series": [{"name": _("Complaints"), "data": points}],
    }


RATE_LINKS = {
    # rate: (numerator figure, denominator figure)
    "on_time": ("on_time", "due"),
    "closure": ("closed", "due"),
    "rework": ("reopened", "closed"),
    "extension": ("extended", "due"),
    "recurrence": ("recurrence", "leads"),
}


def _rate_cards(scope: Scope, period: Period) -> list[dict[str, Any]]:
    rates = figures.rates(scope, period)
    labels = {
        "on_time": _("On-time rate"),
        "closure": _("Closure rate"),
        "rework": _("Rework rate"),
        "extension": _("Extension rate"),
        "recurrence": _("Recurrence rate"),
    }
    cards = []
    for name, (num, den) in RATE_LINKS.items():
        rate = getattr(rates, name)
        cards.append(
            {
                "name": name,
                "label": labels[name],
                "rate": rate,
                "numerator_url": records_url(figure=num, scope=scope, period=period),
                "denominator_url": records_url(figure=den, scope=scope, period=period),
            }
        )
    return cards


def dashboard_context(
    request: HttpRequest, *, scope: Scope, title: str, kind: str, obj: Any = None
) -> dict[str, Any]:
    first = _first_month(scope.district_id)
    form = PeriodForm(
        request.GET or None, years=_years(first), default_baseline=_default_baseline(first)
    )
    period, fold, baseline_year = form.period, form.fold_repeats, form.baseline_year
    user = request.user
    trend = _trend_chart(scope, period, baseline_year, fold, first)
    months = trend.pop("months")
    total = sum(m.complaints for m in months)
    per_10k = figures.per_10k(scope, period, fold_repeats=fold)
    context: dict[str, Any] = {
        "title": title,
        "kind": kind,
        "object": obj,
        "form": form,
        "period": period,
        "period_label": form.period_label(),
        "fold": fold,
        "baseline_year": baseline_year,
        "baseline_incomplete": first is not None and first > dt.date(baseline_year, 1, 1),
        "first_month": first,
        "scope": scope,
        "residents": figures.residents(scope),
        "complaints_total": total,
        "per_10k": per_10k,
        "complaints_url": records_url(figure="complaints", scope=scope, period=period, fold=fold),
        "overdue_now": figures.overdue_now(scope),
        "overdue_url": records_url(figure="overdue", scope=scope),
        "rate_cards": _rate_cards(scope, period),
        "charts": {"trend": trend},
    }
    if scope.subdistrict_id is None and scope.estate_id is None:
        areas = figures.by_subdistrict(scope, period, fold_repeats=fold)
        context["areas"] = [
            {"area": a, "dashboard_url": reverse("analytics:subdistrict", args=[a.subdistrict_id])}
            for a in areas
        ]
        context["charts"]["areas"] = _area_chart(user, scope, period, fold, areas)
    types = figures.by_violation_type(scope, period)
    context["charts"]["types"] = _type_chart(scope, period, fold, types)
    if scope.estate_id is None:
        context["top_estates"] = [
            {
                "estate": e,
                "profile_url": reverse("analytics:estate", args=[e.estate_id]),
                "records_url": records_url(
                    figure="complaints",
                    scope=Scope(
                        district_id=scope.district_id,
                        subdistrict_id=scope.subdistrict_id,
                        department_id=scope.department_id,
                        estate_id=e.estate_id,
                    ),
                    period=period,
                ),
            }
            for e in figures.top_estates(scope, period, limit=10)
        ]
    if kind == "district" or kind == "subdistrict":
        context["goals"] = _goals(scope, period, baseline_year)
    return context


def _goals(scope: Scope, period: Period, baseline_year: int) -> Any:
    year = (period.end - dt.timedelta(days=1)).year
    if year <= baseline_year:
        return None
    return figures.goals(scope, year, baseline_year=baseline_year)


def _render(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "analytics/dashboard.html", context)


# ---------------------------------------------------------------------------------------------
# Pages


@require_GET
def my_dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard of the user's own scope (the menu's one entry): the district's for the
    bureau, the subdistrict's for its officers and managers, the department's for liaisons."""
    user: Any = request.user
    if may_see_district(user):
        return redirect("analytics:district")
    if _role(user) in SUBDISTRICT_ROLES and user.subdistrict_id:
        return redirect("analytics:subdistrict", pk=user.subdistrict_id)
    if _role(user) == Role.LIAISON and user.department_id:
        return redirect("analytics:department", pk=user.department_id)
    raise PermissionDenied(_("Your role has no dashboard."))


@require_GET
def district_dashboard(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not may_see_district(user):
        raise PermissionDenied(_("The district dashboard is for the bureau."))
    scope = figures.scope_for(user)
    return _render(
        request,
        dashboard_context(
            request, scope=scope, title=_("District dashboard"), kind="district", obj=user.district
        ),
    )


@require_GET
def subdistrict_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    subdistrict = get_object_or_404(Subdistrict.objects.restrict(user), pk=pk)
    if not may_see_subdistrict(user, subdistrict):
        raise PermissionDenied
    scope = figures.scope_for(user, subdistrict_id=subdistrict.pk)
    return _render(
        request,
        dashboard_context(
            request,
            scope=scope,
            title=_("%(name)s: dashboard") % {"name": subdistrict.name},
            kind="subdistrict",
            obj=subdistrict,
        ),
    )


@require_GET
def department_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    department = get_object_or_404(Department.objects.restrict(user), pk=pk)
    if not may_see_department(user, department):
        raise PermissionDenied
    scope = figures.scope_for(user, department_id=department.pk)
    return _render(
        request,
        dashboard_context(
            request,
            scope=scope,
            title=_("%(name)s: dashboard") % {"name": department.name},
            kind="department",
            obj=department,
        ),
    )


TIMELINE_LIMIT = 40  # the latest; the complaints card drills down to all of them


@require_GET
def estate_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """An estate's profile: its figures, a monthly chart and the timeline of complaints, cases,
    patrols and grades (whoever may see the estate)."""
    user: Any = request.user
    estate = get_object_or_404(Estate.objects.restrict(user), pk=pk)
    if _role(user) in (Role.PROPERTY_STAFF, Role.STUDIO_MEMBER, Role.LIAISON):
        scope = Scope(district_id=estate.district_id, estate_id=estate.pk)
    else:
        scope = figures.scope_for(user, estate_id=estate.pk)
    context = dashboard_context(
        request,
        scope=scope,
        title=_("%(name)s: profile") % {"name": estate.name},
        kind="estate",
        obj=estate,
    )
    context["timeline"] = _timeline(user, estate)
    context["timeline_limit"] = TIMELINE_LIMIT
    return render(request, "analytics/estate.html", context)


def _timeline(user: Any, estate: Estate) -> list[dict[str, Any]]:
    """The latest complaints, cases, patrols and grades of an estate, newest first."""
    entries: list[dict[str, Any]] = []
    for c in (
        Complaint.objects.restrict(user)
        .filter(estate=estate)
        .select_related("violation_type")
        .order_by("-received_at")[:TIMELINE_LIMIT]
    ):
        entries.append(
            {
                "at": c.received_at,
                "kind": "complaint",
                "label": _("Complaint"),
                "title": c.number,
                "text": f"{c.violation_type or ''} {c.content[:60]}".strip(),
                "url": c.get_absolute_url(),
                "repeat": c.is_repeat,
            }
        )
    for case in (
        Case.objects.restrict(user)
        .filter(estate=estate)
        .select_related("violation_type")
        .order_by("-filed_at")[:TIMELINE_LIMIT]
    ):
        entries.append(
            {
                "at": case.filed_at,
                "kind": "case",
                "label": _("Case"),
                "title": case.number,
                "text": f"{case.violation_type} · {case.get_status_display()}",
                "url": case.get_absolute_url(),
            }
        )
    for task in (
        PatrolTask.objects.restrict(user)
        .filter(estate=estate)
        .order_by("-due_date")[:TIMELINE_LIMIT]
    ):
        at = task.finished_at or task.checked_in_at or task.missed_at
        if at is None:
            at = dt.datetime.combine(
                task.due_date, dt.time(18), tzinfo=timezone.get_current_timezone()
            )
        entries.append(
            {
                "at": at,
                "kind": "patrol",
                "label": _("Patrol"),
                "title": task.get_status_display(),
                "text": _("due %(date)s") % {"date": task.due_date.isoformat()},
                "url": task.get_absolute_url(),
            }
        )
    entries.extend(_grade_changes(user, estate))
    entries = [e for e in entries if e["at"] is not None]
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries[:TIMELINE_LIMIT]


def _grade_changes(user: Any, estate: Estate) -> list[dict[str, Any]]:
    """The grade history: the months where the computed grade changed, and every manual
    grade, each at the first day of its month."""
    from xiaoqu.estates.choices import GradeSource

    tz = timezone.get_current_timezone()
    grades = list(
        EstateGrade.objects.restrict(user)
        .filter(estate=estate)
        .order_by("month", "computed_at")[: TIMELINE_LIMIT * 2]
    )
    out: list[dict[str, Any]] = []
    previous = None
    for grade in grades:
        manual = grade.source != GradeSource.COMPUTED
        if not manual and grade.grade == previous:
            continue
        if not manual:
            previous = grade.grade
        out.append(
            {
                "at": dt.datetime.combine(grade.month, dt.time.min, tzinfo=tz),
                "kind": "grade",
                "label": _("Grade"),
                "title": grade.get_grade_display(),
                "text": f"{grade.month:%Y-%m} · {grade.get_source_display()}",
                "url": grade.get_absolute_url(),
            }
        )
    return out


# ---------------------------------------------------------------------------------------------
# Records behind a figure


def _table_for(kind: str) -> Any:
    from xiaoqu.cases.tables import CaseTable
    from xiaoqu.intake.tables import ComplaintTable, LeadTable
    from xiaoqu.referrals.tables import AssistanceTable, ReferralTable

    return {
        "complaint": ComplaintTable,
        "reply": ComplaintTable,
        "lead": LeadTable,
        "referral": ReferralTable,
        "assistance": AssistanceTable,
        "case": CaseTable,
    }[kind]


SELECT_RELATED = {
    "complaint": ("estate", "subdistrict", "violation_type", "lead"),
    "reply": ("estate", "subdistrict", "violation_type", "lead"),
    "lead": ("estate", "subdistrict", "violation_type"),
    "referral": ("lead__estate", "lead__subdistrict", "department"),
    "assistance": ("lead__estate", "lead__subdistrict", "department"),
    "case": ("estate", "subdistrict", "violation_type"),
}


@require_GET
def records(request: HttpRequest) -> HttpResponseBase:
    """The records behind a figure: see `xiaoqu.analytics.drilldown` for the query-parameter
    contract. Paginated, searchable by number, exportable to Excel; through the jurisdiction
    filter. Property staff and studio members have no dashboards and no drill-down."""
    import django_tables2 as tables

    from xiaoqu.core.exports import table_xlsx_response

    user: Any = request.user
    if not user.is_authenticated or _role(user) in (Role.PROPERTY_STAFF, Role.STUDIO_MEMBER):
        raise PermissionDenied
    drill = drilldown.drill_from(request.GET, user)
    counts: dict[str, int] = {}
    if drill.figure in drilldown.ITEM_FIGURES:
        counts = drilldown.item_counts(drill, user)
        if not drill.kind:
            kind = next((k for k, n in counts.items() if n), "lead")
            drill = drilldown.Drill(**{**drill.__dict__, "kind": kind})
    kind, qs = drilldown.rows(drill, user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(number__icontains=q)
    qs = qs.select_related(*SELECT_RELATED[kind])
    table_class = _table_for(kind)
    table = table_class(qs, request=request)
    figure_label = str(drilldown.FIGURES[drill.figure])
    title = _("Records behind the figure: %(figure)s") % {"figure": figure_label}
    if request.GET.get("export") == "xlsx":
        if request.GET.get("sort"):
            table.order_by = request.GET["sort"]
        return table_xlsx_response(table, title=figure_label, filename=f"records-{drill.figure}")
    tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
    scope_labels = _scope_labels(user, drill.scope)
    tabs = [
        {
            "kind": k,
            "label": drilldown.ITEM_KINDS[k],
            "count": n,
            "url": records_url(figure=drill.figure, scope=drill.scope, period=drill.period, kind=k),
            "active": k == kind,
        }
        for k, n in counts.items()
    ]
    last = drill.period.end - dt.timedelta(days=1)
    context = {
        "title": title,
        "figure_label": figure_label,
        "drill": drill,
        "period_label": f"{drill.period.start:%Y-%m} – {last:%Y-%m}",
        "scope_labels": scope_labels,
        "table": table,
        "total": table.paginator.count,
        "tabs": tabs,
        "total_items": sum(counts.values()) if counts else None,
        "query_string": request.GET.urlencode(),
        "q": q,
    }
    return render(request, "analytics/records.html", context)


def _scope_labels(user: Any, scope: Scope) -> list[str]:
    labels = []
    if scope.subdistrict_id:
        sd = Subdistrict.objects.filter(pk=scope.subdistrict_id).first()
        labels.append(sd.name if sd else "")
    if scope.department_id:
        dep = Department.objects.filter(pk=scope.department_id).first()
        labels.append(dep.name if dep else "")
    if scope.estate_id:
        estate = Estate.objects.filter(pk=scope.estate_id).first()
        labels.append(estate.name if estate else "")
    if scope.violation_code:
        from xiaoqu.law.models import ViolationType

        vt = ViolationType.objects.filter(code=scope.violation_code).first()
        labels.append(str(vt) if vt else scope.violation_code)
    return [label for label in labels if label] or [_("Whole district")]

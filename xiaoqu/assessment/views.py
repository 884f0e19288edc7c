"""Assessment pages. Who sees what:

- the live evaluation: the bureau (district-level roles) sees every unit; a subdistrict's
  officers and managers, and a department's liaisons, see their own unit's row only;
- published assessments: the whole table is shared with every unit assessed (the bureau, the
  subdistricts, the departments), as published rankings are; the records behind a cell open
  only within the reader's own scope;
- schemes: read by the same, edited by bureau leaders and administrators; publishing: leaders;
- property companies and studios see none of it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoqu.analytics.figures import Period
from xiaoqu.audit.services import record_events
from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.regions.models import District

from . import presentation, services
from .choices import TaskStatus, UnitKind
from .forms import IndicatorFormSet, SchemeForm, TaskForm
from .models import Phase, Scheme, Snapshot, Task


def _reader(request: HttpRequest) -> District:
    user: Any = request.user
    if not services.may_read(user):
        raise PermissionDenied
    if user.district is None:
        raise Http404
    return user.district


def own_units(user: Any) -> dict[str, set[int] | None]:
    """The units whose live rows (and records) the user may see; None: all."""
    kind = getattr(user, "scope_kind", ScopeKind.DISTRICT)
    if user.is_superuser or kind == ScopeKind.DISTRICT:
        return {UnitKind.SUBDISTRICT.value: None, UnitKind.DEPARTMENT.value: None}
    if kind == ScopeKind.SUBDISTRICT:
        return {UnitKind.SUBDISTRICT.value: {user.subdistrict_id}, UnitKind.DEPARTMENT.value: set()}
    if kind == ScopeKind.DEPARTMENT:
        return {UnitKind.SUBDISTRICT.value: set(), UnitKind.DEPARTMENT.value: {user.department_id}}
    return {UnitKind.SUBDISTRICT.value: set(), UnitKind.DEPARTMENT.value: set()}


def period_options(today: dt.date) -> list[tuple[str, str]]:
    """This year and the last: the years and their quarters begun by today."""
    options = []
    for year in (today.year, today.year - 1):
        options.append((str(year), services.period_label(Period.year(year))))
        for q in range(4, 0, -1):
            period = Period.quarter(year, q)
            if period.start <= today:
                options.append((f"{year}Q{q}", services.period_label(period)))
    return options


def _period(request: HttpRequest) -> Period:
    asked = services.period_parse(request.GET.get("period", ""))
    return asked or services.last_full_quarter(timezone.localdate())


def _tables(
    data: dict[str, Any], user: Any, district: District, *, live: bool
) -> list[dict[str, Any]]:
    units = own_units(user)
    out = []
    for kind in (UnitKind.SUBDISTRICT, UnitKind.DEPARTMENT):
        visible = units[kind.value]
        shown = dict(data)
        if live and visible is not None:
            shown = {
                **data,
                "tables": {
                    **data["tables"],
                    kind.value: [
                        u for u in data["tables"].get(kind.value, []) if u["id"] in visible
                    ],
                },
            }
        table = presentation.table(shown, kind.value, drill_units=visible, district_id=district.pk)
        if table["rows"]:
            table["label"] = kind.label
            out.append(table)
    return out


def evaluation(request: HttpRequest) -> HttpResponse:
    """The live evaluation of a year or a quarter, and the assessments published."""
    district = _reader(request)
    period = _period(request)
    scheme = services.scheme_default(district=district, year=period.start.year)
    data = services.evaluate(scheme=scheme, period=period)
    snapshots = Snapshot.objects.restrict(request.user).filter(district=district)
    context = {
        "title": _("Assessment"),
        "scheme": scheme,
        "period": period,
        "period_key": services.period_key(period),
        "period_label": services.period_label(period),
        "options": period_options(timezone.localdate()),
        "tables": _tables(data, request.user, district, live=True),
        "snapshots": snapshots.select_related("published_by")[:20],
        "may_publish": services.may_publish(request.user),
        "may_edit": services.may_edit_scheme(request.user),
        "live": True,
        "unit_url": "assessment:unit",
    }
    return render(request, "assessment/evaluation.html", context)


def unit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One unit's live score explained indicator by indicator."""
    district = _reader(request)
    if kind not in UnitKind.values:
        raise Http404
    visible = own_units(request.user)[kind]
    if visible is not None and pk not in visible:
        raise PermissionDenied
    period = _period(request)
    scheme = services.scheme_default(district=district, year=period.start.year)
    data = services.evaluate(scheme=scheme, period=period)
    explained = presentation.explanation(data, kind, pk, drill=True, district_id=district.pk)
    if explained is None:
        raise Http404
    context = {
        "title": explained["unit"]["name"],
        "explained": explained,
        "scheme": scheme,
        "scheme_version": scheme.version,
        "period_label": services.period_label(period),
        "back": reverse("assessment:evaluation") + f"?period={services.period_key(period)}",
        "live": True,
    }
    return render(request, "assessment/unit.html", context)


def _snapshot(request: HttpRequest, pk: int) -> tuple[District, Snapshot]:
    district = _reader(request)
    snapshot = get_object_or_404(Snapshot.objects.restrict(request.user), pk=pk)
    return district, snapshot


def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published assessment as it was published (the whole table, for every reader)."""
    district, snapshot = _snapshot(request, pk)
    context = {
        "title": snapshot.title,
        "snapshot": snapshot,
        "verified": services.snapshot_verify(snapshot),
        "tables": _tables(snapshot.data, request.user, district, live=False),
        "live": False,
        "period_label": services.period_label(presentation.period_of(snapshot.data)),
    }
    return render(request, "assessment/snapshot.html", context)


def snapshot_unit(request: HttpRequest, pk: int, kind: str, unit_id: int) -> HttpResponse:
    district, snapshot = _snapshot(request, pk)
    if kind not in UnitKind.values:
        raise Http404
    visible = own_units(request.user)[kind]
    explained = presentation.explanation(
        snapshot.data,
        kind,
        unit_id,
        drill=visible is None or unit_id in visible,
        district_id=district.pk,
    )
    if explained is None:
        raise Http404
    context = {
        "title": explained["unit"]["name"],
        "explained": explained,
        "snapshot": snapshot,
        "scheme_version": snapshot.scheme_version,
        "period_label": services.period_label(presentation.period_of(snapshot.data)),
        "back": snapshot.get_absolute_url(),
        "live": False,
    }
    return render(request, "assessment/unit.html", context)


@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    district = _reader(request)
    if not services.may_publish(request.user):
        raise PermissionDenied
    period = services.period_parse(request.POST.get("period", ""))
    if period is None:
        raise Http404
    scheme = services.scheme_default(district=district, year=period.start.year)
    snapshot = services.snapshot_publish(scheme=scheme, period=period, actor=request.user)
    messages.success(request, _("The assessment was published."))
    return HttpResponseRedirect(snapshot.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# Schemes


def scheme_list(request: HttpRequest) -> HttpResponse:
    district = _reader(request)
    services.scheme_default(district=district, year=timezone.localdate().year)
    schemes = Scheme.objects.restrict(request.user).filter(district=district)
    return render(
        request,
        "assessment/scheme_list.html",
        {
            "title": _("Assessment schemes"),
            "schemes": schemes,
            "may_edit": services.may_edit_scheme(request.user),
        },
    )


def _scheme_rows(scheme: Scheme) -> list[dict[str, Any]]:
    return [
        {
            "code": i.code,
            "name": i.name,
            "applies_to": i.applies_to,
            "weight": i.weight,
            "direction": i.direction,
            "floor": i.floor,
            "target": i.target,
        }
        for i in scheme.indicators.order_by("order", "pk")
    ]


def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A scheme: its indicators, weight sums, formula and history; leaders and administrators
    edit it here (a new version)."""
    district = _reader(request)
    scheme = get_object_or_404(Scheme.objects.restrict(request.user), pk=pk, district=district)
    may_edit = services.may_edit_scheme(request.user)
    status = 200
    form = formset = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = SchemeForm(request.POST)
        formset = IndicatorFormSet(request.POST, prefix="ind")
        if form.is_valid() and formset.is_valid():
            rows = [
                f.cleaned_data
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            rows = [{k: v for k, v in r.items() if k != "DELETE"} for r in rows]
            try:
                services.scheme_update(
                    scheme=scheme,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    note=form.cleaned_data["note"],
                    indicators=rows,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The scheme was changed."))
                return HttpResponseRedirect(scheme.get_absolute_url())
        status = 400
    elif may_edit:
        form = SchemeForm(initial={"name": scheme.name})
        formset = IndicatorFormSet(initial=_scheme_rows(scheme), prefix="ind")
    indicators = [
        {
            **r,
            "weight": float(r["weight"]),
            "floor": float(r["floor"]),
            "target": float(r["target"]),
        }
        for r in _scheme_rows(scheme)
    ]
    sums = services.weight_sums(indicators)
    from .indicators import MEASURE_BY_CODE

    context = {
        "title": scheme.name,
        "scheme": scheme,
        "indicators": [
            {
                **r,
                "measure": MEASURE_BY_CODE.get(r["code"]),
                "formula": presentation.formula_text(r),
                "applies_label": dict(services.AppliesTo.choices).get(r["applies_to"]),
                "direction_label": services.direction_label(r["direction"]),
            }
            for r in indicators
        ],
        "sum_subdistricts": sums[UnitKind.SUBDISTRICT.value],
        "sum_departments": sums[UnitKind.DEPARTMENT.value],
        "may_edit": may_edit,
        "form": form,
        "formset": formset,
        "events": record_events(scheme).select_related("actor")[:20],
    }
    return render(request, "assessment/scheme_detail.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# The work plan


def plan(request: HttpRequest) -> HttpResponse:
    """The work plan's phases with their tasks; overdue tasks highlighted."""
    district = _reader(request)
    today = timezone.localdate()
    phases = list(
        Phase.objects.restrict(request.user).filter(district=district).order_by("order", "start")
    )
    tasks = (
        Task.objects.restrict(request.user)
        .filter(phase__in=phases)
        .select_related("owner", "phase")
        .order_by("due_date", "pk")
    )
    by_phase: dict[int, list[Task]] = {p.pk: [] for p in phases}
    for task in tasks:
        task.overdue = task.is_overdue(today)
        task.late_days = task.days_late(today)
        by_phase[task.phase_id].append(task)
    rows: list[dict[str, Any]] = []
    for phase in phases:
        items = by_phase[phase.pk]
        rows.append(
            {
                "phase": phase,
                "tasks": items,
                "done": len([t for t in items if t.status == TaskStatus.DONE]),
                "overdue": len([t for t in items if t.is_overdue(today)]),
                "current": phase.start <= today <= phase.end,
            }
        )
    context = {
        "title": _("Work plan"),
        "rows": rows,
        "today": today,
        "may_edit": services.may_edit_plan(request.user),
        "statuses": TaskStatus.choices,
    }
    return render(request, "assessment/plan.html", context)


@require_POST
def task_update(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    if not services.may_edit_plan(request.user):
        raise PermissionDenied
    task = get_object_or_404(Task.objects.restrict(request.user), pk=pk)
    form = TaskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The task was not changed."))
    else:
        services.task_update(
            task=task,
            actor=request.user,
            status=form.cleaned_data["status"],
            done_date=form.cleaned_data["done_date"],
        )
        messages.success(request, _("The task was updated."))
    return HttpResponseRedirect(reverse("assessment:plan") + f"#task-{task.pk}")


# ---------------------------------------------------------------------------------------------
# Reports


def reports(request: HttpRequest) -> HttpResponse:
    """The monthly and yearly reports of the user's scope, as Excel and DOCX."""
    _reader(request)
    today = timezone.localdate()
    months = []
    index = today.year * 12 + today.month - 1
    for i in range(1, 13):
        y, m = divmod(index - i, 12)
        months.append(dt.date(y, m + 1, 1))
    years = [today.year - 1, today.year]
    return render(
        request,
        "assessment/reports.html",
        {"title": _("Reports"), "months": months, "years": years},
    )


def report_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    from . import reports as rep

    _reader(request)
    if kind not in (rep.MONTHLY, rep.YEARLY) or fmt not in ("xlsx", "docx"):
        raise Http404
    try:
        year = int(request.GET.get("year", ""))
        month = int(request.GET.get("month", "1"))
        period = rep.report_period(kind, year, month)
    except ValueError as exc:
        raise Http404 from exc
    data = rep.report_data(user=request.user, kind=kind, period=period)
    stamp = period.start.strftime("%Y-%m" if kind == rep.MONTHLY else "%Y")
    if fmt == "xlsx":
        body = rep.report_xlsx(data)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = rep.report_docx(data)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="report-{kind}-{stamp}.{fmt}"'
    return response

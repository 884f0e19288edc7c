"""Pages of patrol plans: my patrols (phone), a patrol (check in, checklist, findings, one tap
to a lead, finish, history), the patrol list with its export, the coverage board with its
drill-down, and the frequency settings. Views are thin: selectors read, services write; a
refused step re-renders the page with what was typed and the reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoqu.core.views import ObjectListView
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.estates.choices import RiskGrade
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import Subdistrict

from . import selectors, services
from .choices import CheckResult, PatrolStatus
from .filtersets import PatrolTaskFilterSet
from .forms import CheckInForm, FindingForm, FinishForm, FrequencyForm
from .models import Finding, PatrolTask
from .tables import BADGES, PatrolTaskTable

EVENT_LABELS = {
    "created": gettext_lazy("Task generated"),
    "missed": gettext_lazy("Missed (past due)"),
    "checked_in": gettext_lazy("Checked in"),
    "checklist_saved": gettext_lazy("Checklist saved"),
    "finding": gettext_lazy("Finding recorded"),
    "finding_to_lead": gettext_lazy("Finding turned into a lead"),
    "finished": gettext_lazy("Patrol finished"),
}


def _errors(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


def _task(request: HttpRequest, pk: int) -> PatrolTask:
    return get_object_or_404(selectors.task_list(user=request.user), pk=pk)


def _checklist_rows(task: PatrolTask, posted: dict[str, str] | None) -> list[dict[str, Any]]:
    saved = task.checklist or {}
    rows = []
    for vt in ViolationType.objects.effective().order_by("sort_order", "code"):
        value = (posted or {}).get(vt.code) or saved.get(vt.code, "")
        rows.append({"code": vt.code, "name": vt.name, "value": value})
    return rows


def _posted_checklist(request: HttpRequest) -> dict[str, str]:
    return {
        key[len("check_") :]: str(value)
        for key, value in request.POST.items()
        if key.startswith("check_") and value
    }


def _event_rows(task: PatrolTask) -> list[dict[str, Any]]:
    names = dict(ViolationType.objects.values_list("code", "name"))
    rows = []
    for event in services.task_events(task):
        data = event.data or {}
        details = []
        if data.get("due"):
            details.append(_("due %(date)s") % {"date": data["due"]})
        if data.get("latitude"):
            details.append(
                _("location %(lat)s, %(lng)s") % {"lat": data["latitude"], "lng": data["longitude"]}
            )
        if data.get("violation_type"):
            details.append(str(data["violation_type"]))
        if data.get("description"):
            details.append(str(data["description"]))
        if data.get("lead"):
            details.append(_("lead %(number)s") % {"number": data["lead"]})
        if "problems" in data:
            problems = "、".join(names.get(c, c) for c in data["problems"])
            details.append(
                _("%(n)d items checked, problems: %(problems)s")
                % {"n": data.get("checked", 0), "problems": problems or _("none")}
            )
        rows.append(
            {
                "event": event,
                "label": EVENT_LABELS.get(event.action, event.action),
                "details": details,
                "attachments": list(event.attachments.all()),
            }
        )
    return rows


def _render_task(
    request: HttpRequest,
    task: PatrolTask,
    *,
    errors: list[str] | None = None,
    finding_form: FindingForm | None = None,
    finish_form: FinishForm | None = None,
    posted_checklist: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    refusal = services.patrol_refusal(task, request.user)
    findings = list(
        task.findings.select_related("violation_type", "complaint__lead", "found_by", "event")
        .prefetch_related("event__attachments")
        .order_by("found_at", "pk")
    )
    for finding in findings:
        finding.photos = list(finding.event.attachments.all()) if finding.event else []
    context = {
        "title": str(task),
        "object": task,
        "task": task,
        "badge": BADGES.get(PatrolStatus(task.status), ""),
        "can_act": refusal is None,
        "refusal": refusal,
        "errors": errors or [],
        "check_in_form": CheckInForm(),
        "finding_form": finding_form or FindingForm(),
        "finish_form": finish_form or FinishForm(),
        "checklist": _checklist_rows(task, posted_checklist),
        "check_choices": CheckResult.choices,
        "findings": findings,
        "events": _event_rows(task),
        "is_late": task.is_open and task.due_date < timezone.localdate(),
        "Status": PatrolStatus,
    }
    return render(request, "patrols/task_detail.html", context, status=status)


def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_task(request, _task(request, pk))


@require_POST
def task_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = CheckInForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        services.patrol_check_in(
            task=task,
            actor=request.user,  # type: ignore[arg-type]
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )
    except (TransitionRefused, ValidationError) as exc:
        return _render_task(request, task, errors=_errors(exc), status=400)
    messages.success(request, _("Checked in. Go through the checklist and record what you find."))
    return HttpResponseRedirect(task.get_absolute_url())


@require_POST
def task_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    posted = _posted_checklist(request)
    finish_form = FinishForm(request.POST)
    finishing = "finish" in request.POST
    try:
        if finishing:
            finish_form.is_valid()
            services.patrol_finish(
                task=task,
                actor=request.user,  # type: ignore[arg-type]
                summary=getattr(finish_form, "cleaned_data", {}).get("summary", ""),
                results=posted,
            )
        else:
            services.patrol_checklist_save(
                task=task,
                actor=request.user,  # type: ignore[arg-type]
                results=posted,
            )
    except (TransitionRefused, ValidationError) as exc:
        task.refresh_from_db()
        return _render_task(
            request,
            task,
            errors=_errors(exc),
            finish_form=finish_form,
            posted_checklist=posted,
            status=400,
        )
    if finishing:
        messages.success(request, _("Patrol finished."))
    else:
        messages.success(request, _("Checklist saved."))
    return HttpResponseRedirect(task.get_absolute_url())


@require_POST
def task_finding(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = FindingForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_task(request, task, finding_form=form, status=400)
    data = form.cleaned_data
    user: Any = request.user
    try:
        finding = services.finding_record(
            task=task,
            actor=user,
            description=data["description"],
            violation_type=data["violation_type"],
            address=data["address"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            ongoing=data["ongoing"],
            uploads=data["photos"],
        )
    except (TransitionRefused, ValidationError) as exc:
        return _render_task(request, task, errors=_errors(exc), finding_form=form, status=400)
    if request.POST.get("to_lead"):
        return _to_lead(request, task, finding)
    messages.success(request, _("Finding recorded."))
    return HttpResponseRedirect(task.get_absolute_url() + "#findings")


def _to_lead(request: HttpRequest, task: PatrolTask, finding: Finding) -> HttpResponse:
    try:
        complaint = services.finding_to_lead(finding=finding, actor=request.user)  # type: ignore[arg-type]
    except (TransitionRefused, ValidationError) as exc:
        task.refresh_from_db()
        return _render_task(request, task, errors=_errors(exc), status=400)
    lead = complaint.lead
    messages.success(
        request,
        _("The finding is now lead %(lead)s in the loop.")
        % {"lead": lead.number if lead else complaint.number},
    )
    return HttpResponseRedirect(task.get_absolute_url() + "#findings")


@require_POST
def finding_lead(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(selectors.finding_list(user=request.user), pk=pk)
    return _to_lead(request, finding.task, finding)


# ---------------------------------------------------------------------------------------------
# My patrols, the list


def my_patrols(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_authenticated and user.is_district_level:
        return redirect("patrols:task_list")
    mine = selectors.my_patrols(user=user)
    return render(
        request,
        "patrols/my.html",
        {
            "title": _("My patrols"),
            "mine": mine,
            "today": timezone.localdate(),
            "groups": [
                ("overdue", _("Overdue"), mine.overdue, "danger"),
                ("today", _("Today"), mine.today, "primary"),
                ("soon", _("Due within a week"), mine.soon, "secondary"),
            ],
        },
    )


class TaskListView(ObjectListView):
    model = PatrolTask
    table_class = PatrolTaskTable
    filterset_class = PatrolTaskFilterSet
    selector = selectors.task_list
    export_name = "patrols"
    title = gettext_lazy("Patrol tasks")  # type: ignore[assignment]


# ---------------------------------------------------------------------------------------------
# Coverage


def _require_coverage(request: HttpRequest) -> None:
    if not selectors.coverage_visible(request.user):
        raise PermissionDenied(_("The coverage board is for the bureau and the subdistricts."))


def coverage(request: HttpRequest) -> HttpResponse:
    _require_coverage(request)
    rows = selectors.coverage_board(user=request.user)
    grades = [g for g in RiskGrade if g != RiskGrade.UNRATED] + [RiskGrade.UNRATED]
    table = [
        {
            "row": r,
            "grades": [
                (g.value, r.overdue_by_grade.get(g, 0), r.by_grade.get(g, 0)) for g in grades
            ],
        }
        for r in rows
    ]
    totals = {
        "estates": sum(r.estates for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "planned": sum(r.planned for r in rows),
        "done": sum(r.done for r in rows),
        "missed": sum(r.missed for r in rows),
    }
    return render(
        request,
        "patrols/coverage.html",
        {
            "title": _("Patrol coverage"),
            "table": table,
            "grades": [(g.value, g.label) for g in grades],
            "totals": totals,
            "month": timezone.localdate(),
        },
    )


def coverage_overdue(request: HttpRequest) -> HttpResponse:
    _require_coverage(request)
    subdistrict = None
    if request.GET.get("subdistrict"):
        subdistrict = get_object_or_404(
            Subdistrict.objects.restrict(request.user), pk=request.GET["subdistrict"]
        )
    items = selectors.overdue_estates(user=request.user, subdistrict=subdistrict)
    grade = request.GET.get("grade")
    if grade in RiskGrade.values:
        items = [i for i in items if i.grade == grade]
    return render(
        request,
        "patrols/coverage_overdue.html",
        {
            "title": _("Estates overdue for patrol"),
            "items": items,
            "subdistrict": subdistrict,
            "grade": RiskGrade(grade).label if grade in RiskGrade.values else "",
        },
    )


# ---------------------------------------------------------------------------------------------
# Frequencies


def frequency(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    district = user.district
    if district is None:
        from xiaoqu.intake.services import default_district

        district = default_district()
    editable = services.can_edit_frequencies(user)
    intervals = services.frequency_intervals(district=district)
    form: forms.Form = FrequencyForm(
        request.POST if request.method == "POST" else None, intervals=intervals
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("You cannot change patrol frequencies."))
        if form.is_valid():
            try:
                services.frequency_update(
                    actor=user, district=district, intervals=form.cleaned_data
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Patrol frequencies saved."))
                return HttpResponseRedirect(reverse("patrols:frequency"))
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "patrols/frequency.html",
        {"title": _("Patrol frequency by grade"), "form": form, "editable": editable},
    )

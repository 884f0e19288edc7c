"""Pages of the case clinics. Views are thin: selectors read through the user's jurisdiction,
services write."""

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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoqu.audit.services import record_events
from xiaoqu.cases.models import Case
from xiaoqu.core.views import ObjectDetailView, ObjectListView
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.estates.models import Estate
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.law.models import ViolationType

from . import figures, selectors, services
from .filtersets import ClinicFilterSet
from .forms import ClinicForm, MeasureForm, MoveForm
from .models import Clinic, Measure
from .tables import ClinicTable
from .workflow import CLINIC_WORKFLOW, may_run

ACTIONS = {
    "opened": gettext_lazy("Opened"),
    "edited": gettext_lazy("Changed"),
    "gathered": gettext_lazy("Records gathered"),
    "released": gettext_lazy("Records taken out"),
    "hold": gettext_lazy("Held"),
    "follow_up": gettext_lazy("Follow-up started"),
    "close": gettext_lazy("Closed"),
    "drop": gettext_lazy("Dropped"),
    "reopen": gettext_lazy("Reopened"),
    "measure_added": gettext_lazy("Measure agreed"),
    "measure_done": gettext_lazy("Measure done"),
}
KINDS: dict[str, Any] = {"complaint": Complaint, "lead": Lead, "case": Case}


def _errors(exc: Exception) -> str:
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


class ClinicListView(ObjectListView):
    model = Clinic
    table_class = ClinicTable
    filterset_class = ClinicFilterSet
    selector = selectors.clinic_list
    export_name = "clinics"
    actions_template = "clinics/list_actions.html"

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"may_run": may_run(request.user)}


class ClinicDetailView(ObjectDetailView):
    model = Clinic
    template_name = "clinics/clinic_detail.html"
    selector = selectors.clinic_get

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return clinic_context(request, obj)


def clinic_context(request: HttpRequest, obj: Clinic) -> dict[str, Any]:
    user: Any = request.user
    runner = may_run(user, obj)
    measures = list(selectors.measures_of(clinic=obj))
    for m in measures:
        m.may_mark = (  # type: ignore[attr-defined]
            m.done_at is None
            and obj.status in ("held", "follow_up")
            and services.may_mark_done(user, m)
        )
    result = figures.before_after(obj)
    events = list(record_events(obj))
    for e in events:
        data = e.data if isinstance(e.data, dict) else {}
        numbers = [
            n
            for key in ("complaints", "leads", "cases")
            if isinstance(data.get(key), list)
            for n in data[key]
        ]
        e.numbers = "、".join(str(n) for n in numbers)  # type: ignore[attr-defined]
    return {
        "may_run": runner,
        "may_edit": runner and obj.status != "closed",
        "moves": CLINIC_WORKFLOW.available(obj, user) if runner else [],
        "measures": measures,
        "measure_form": MeasureForm(user=user) if runner and obj.status != "closed" else None,
        "gathered": selectors.gathered(user=user, clinic=obj),
        "figures": result,
        "chart": result.chart(),
        "events": events,
        "today": timezone.localdate(),
        "action_labels": ACTIONS,
        "estates": list(obj.estates.select_related("subdistrict").order_by("name")),
        "before_months": figures.BEFORE_MONTHS,
        "min_after": figures.MIN_AFTER_MONTHS,
        "min_complaints": figures.MIN_COMPLAINTS,
    }


def clinic_print(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(selectors.clinic_get(user=request.user), pk=pk)
    context = clinic_context(request, obj)
    context.update({"object": obj, "title": str(obj)})
    return render(request, "clinics/clinic_print.html", context)


def _runner_clinic(request: HttpRequest, pk: int) -> Clinic:
    obj = get_object_or_404(selectors.clinic_get(user=request.user), pk=pk)
    if not may_run(request.user, obj):
        raise Http404
    return obj


def clinic_add(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not may_run(user) or user.district is None:
        raise Http404
    form = ClinicForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            obj = services.clinic_open(
                actor=user,
                district=user.district,
                title=data["title"],
                violation_type=data["violation_type"],
                estates=list(data["estates"]),
                departments=data["departments"],
                subdistricts=data["subdistricts"],
                participants=data["participants"],
                place=data["place"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(
                request, _("Clinic %(number)s opened: gather its records.") % {"number": obj.number}
            )
            return HttpResponseRedirect(reverse("clinics:clinic_gather", args=[obj.pk]))
    return render(
        request,
        "clinics/clinic_form.html",
        {"form": form, "object": None, "title": _("Open a case clinic")},
    )


def clinic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _runner_clinic(request, pk)
    user: Any = request.user
    form = ClinicForm(request.POST or None, instance=obj, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.clinic_update(
                actor=user,
                clinic=obj,
                estates=list(data["estates"]),
                violation_type=data["violation_type"],
                departments=list(data["departments"]),
                subdistricts=list(data["subdistricts"]),
                **{name: data[name] for name in services.EDIT_FIELDS},
            )
        except (ValidationError, TransitionRefused, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Clinic saved."))
            return HttpResponseRedirect(obj.get_absolute_url())
    return render(
        request,
        "clinics/clinic_form.html",
        {"form": form, "object": obj, "title": _("Change the clinic")},
    )


def clinic_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    """A confirmation page for a move (with its reason or date); the POST makes it."""
    obj = _runner_clinic(request, pk)
    step = CLINIC_WORKFLOW.moves.get(move)
    if step is None or step.internal:
        raise Http404
    form = MoveForm(request.POST if request.method == "POST" else None, move=move)
    if request.method == "POST" and form.is_valid():
        try:
            services.clinic_transition(
                actor=request.user,
                clinic=obj,
                move=move,
                reason=form.cleaned_data.get("reason") or "",
                held_on=form.cleaned_data.get("held_on"),
            )
        except (TransitionRefused, ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Done: %(move)s.") % {"move": step.label})
            return HttpResponseRedirect(obj.get_absolute_url())
    refusal = CLINIC_WORKFLOW.refusal(obj, request.user, move) or services.move_problem(obj, move)
    return render(
        request,
        "clinics/clinic_move.html",
        {"object": obj, "form": form, "move": step, "refusal": refusal, "title": step.label},
    )


def clinic_suggestions(request: HttpRequest) -> HttpResponse:
    if not may_run(request.user):
        raise Http404
    return render(
        request,
        "clinics/suggestions.html",
        {
            "title": _("Chronic problems to put before a clinic"),
            "suggestions": selectors.chronic_suggestions(user=request.user),
            "months": selectors.SUGGEST_MONTHS,
            "min_complaints": selectors.MIN_COMPLAINTS,
        },
    )


@require_POST
def clinic_open_suggested(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not may_run(user):
        raise Http404
    estate = get_object_or_404(Estate.objects.restrict(user), pk=request.POST.get("estate") or 0)
    vt = (
        ViolationType.objects.effective()
        .filter(code=request.POST.get("violation_type", ""))
        .first()
    )
    if vt is None:
        raise Http404
    try:
        obj = services.clinic_open_from_suggestion(actor=user, estate=estate, violation_type=vt)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
        return HttpResponseRedirect(reverse("clinics:clinic_suggestions"))
    messages.success(
        request,
        _("Clinic %(number)s opened with %(n)d complaints gathered.")
        % {"number": obj.number, "n": obj.complaints.count()},
    )
    return HttpResponseRedirect(obj.get_absolute_url())


def clinic_gather(request: HttpRequest, pk: int) -> HttpResponse:
    """Search complaints, leads and cases and add them to the clinic (POST adds one)."""
    obj = _runner_clinic(request, pk)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        model = KINDS.get(kind)
        if model is None:
            raise Http404
        record = get_object_or_404(
            model.objects.restrict(request.user), pk=request.POST.get("pk") or 0
        )
        try:
            records: dict[str, Any] = {f"{kind}s": [record]}
            services.clinic_gather(actor=request.user, clinic=obj, **records)
        except (TransitionRefused, PermissionDenied, ValidationError) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(
                request, _("%(number)s added to the clinic.") % {"number": record.number}
            )
        q = request.POST.get("q", "")
        return HttpResponseRedirect(
            reverse("clinics:clinic_gather", args=[obj.pk]) + (f"?q={q}" if q else "")
        )
    term = request.GET.get("q", "")
    results = selectors.gather_search(user=request.user, clinic=obj, term=term)
    context = {
        "object": obj,
        "title": _("Gather records: %(clinic)s") % {"clinic": obj},
        "term": term,
        "results": results,
        "results_by_kind": [
            ("complaint", _("Complaint"), results["complaints"]),
            ("lead", _("Lead"), results["leads"]),
            ("case", _("Case"), results["cases"]),
        ],
        "gathered": selectors.gathered(user=request.user, clinic=obj),
    }
    template = "clinics/_gather_results.html" if request.htmx else "clinics/clinic_gather.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_POST
def clinic_release(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _runner_clinic(request, pk)
    kind = request.POST.get("kind", "")
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    record = get_object_or_404(model.objects.restrict(request.user), pk=request.POST.get("pk") or 0)
    try:
        records: dict[str, Any] = {f"{kind}s": [record]}
        services.clinic_release(actor=request.user, clinic=obj, **records)
    except (TransitionRefused, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request, _("%(number)s taken out of the clinic.") % {"number": record.number}
        )
    target = request.POST.get("next") or obj.get_absolute_url()
    return HttpResponseRedirect(target if target.startswith("/") else obj.get_absolute_url())


@require_POST
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _runner_clinic(request, pk)
    form = MeasureForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.measure_add(
                actor=request.user,
                clinic=obj,
                text=data["text"],
                due_date=data["due_date"],
                department=data["department"],
                subdistrict=data["subdistrict"],
            )
        except (ValidationError, TransitionRefused, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Measure recorded."))
    else:
        messages.error(
            request, "；".join(str(e) for errors in form.errors.values() for e in errors)
        )
    return HttpResponseRedirect(obj.get_absolute_url() + "#measures")


@require_POST
def measure_done(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(
        Measure.objects.restrict(request.user).select_related("clinic"), pk=pk
    )
    try:
        services.measure_done(
            actor=request.user, measure=measure, note=request.POST.get("note", "")
        )
    except (TransitionRefused, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Measure marked done."))
    return HttpResponseRedirect(measure.clinic.get_absolute_url() + "#measures")


def clinic_records(request: HttpRequest, pk: int) -> HttpResponse:
    """The complaints behind one month's figure of a clinic about several estates."""
    obj = get_object_or_404(selectors.clinic_get(user=request.user), pk=pk)
    raw = request.GET.get("month", "")
    try:
        month = dt.date.fromisoformat(f"{raw}-01")
    except ValueError as exc:
        raise Http404 from exc
    fold = request.GET.get("fold") == "1"
    rows = selectors.records_of_month(user=request.user, clinic=obj, month=month, fold=fold)
    return render(
        request,
        "clinics/records.html",
        {
            "object": obj,
            "title": _("Complaints of %(month)s: %(clinic)s")
            % {"month": month.strftime("%Y-%m"), "clinic": obj.title},
            "rows": rows,
            "fold": fold,
            "month": month,
        },
    )

"""Pages of legal education events and trainings. Views are thin: selectors read through the
user's jurisdiction, services write and check who may."""

from __future__ import annotations

import json
from typing import Any

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoqu.audit.services import record_attachments, record_events
from xiaoqu.core.views import ObjectListView
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.intake.tables import ComplaintTable

from . import selectors, services
from .choices import EventStatus, Presence, TrainingStatus
from .filtersets import EventFilterSet, TrainingFilterSet
from .forms import (
    PRESENCE_CHOICES,
    CancelForm,
    EventForm,
    HoldForm,
    MaterialsForm,
    TrainingForm,
)
from .models import OutreachEvent, Training
from .permissions import (
    may_manage_event,
    may_manage_training,
    may_plan_events,
    may_plan_trainings,
)
from .tables import EventTable, TrainingTable

ACTIONS = {
    "planned": gettext_lazy("Planned"),
    "updated": gettext_lazy("Changed"),
    "held": gettext_lazy("Took place"),
    "cancelled": gettext_lazy("Cancelled"),
    "materials": gettext_lazy("Materials added"),
    "attendance": gettext_lazy("Attendance recorded"),
}


def _errors(exc: Exception) -> str:
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


# ---------------------------------------------------------------------------------------------
# Events


class EventListView(ObjectListView):
    model = OutreachEvent
    table_class = EventTable
    filterset_class = EventFilterSet
    selector = selectors.event_list
    export_name = "legal-education"
    actions_template = "outreach/_event_actions.html"

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"may_plan": may_plan_events(request.user)}


def _event(request: HttpRequest, pk: int) -> OutreachEvent:
    event = selectors.event_get(user=request.user, pk=pk)
    if event is None:
        raise Http404
    return event


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    user: Any = request.user
    effect = selectors.event_effect(event=event)
    names = selectors.type_names()
    chart = {
        "categories": [m.month.strftime("%Y-%m") for m in effect.series],
        "counts": [m.complaints for m in effect.series],
        "rates": [round(m.per_10k, 2) if m.per_10k is not None else None for m in effect.series],
        "event": effect.event_month.strftime("%Y-%m"),
        "labels": {
            "per10k": _("complaints per 10,000 residents"),
            "count": _("complaints"),
            "event": _("the event"),
        },
    }
    records = reverse("outreach:event_records", args=[event.pk])
    context = {
        "object": event,
        "title": str(event),
        "themes": [(c, names.get(c, c)) for c in event.theme_codes],
        "targets": list(event.targets.all()),
        "effect": effect,
        "change_pct": f"{abs(effect.change) * 100:.0f} %" if effect.change is not None else "",
        "chart": json.dumps(chart, ensure_ascii=False) if effect.series else "",
        "before_url": f"{records}?part=before",
        "after_url": f"{records}?part=after",
        "may_manage": may_manage_event(user, event),
        "is_planned": event.status == EventStatus.PLANNED,
        "is_past": event.starts_at <= timezone.now(),
        "events": list(record_events(event)),
        "attachments": list(record_attachments(event)),
        "action_labels": ACTIONS,
        "materials_form": MaterialsForm(),
    }
    return render(request, "outreach/event_detail.html", context)


def _initial_from_suggestion(request: HttpRequest, user: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {"kind": "law_class"}
    theme = request.GET.get("theme")
    if theme:
        initial["themes"] = [theme]
    ids = [int(v) for v in request.GET.getlist("estate") if v.isdigit()]
    if ids:
        from .forms import plannable_estates

        initial["estates"] = list(plannable_estates(user).filter(pk__in=ids))
    kind = request.GET.get("kind")
    if kind:
        initial["kind"] = kind
    if theme:
        names = selectors.type_names()
        if theme in names:
            initial["title"] = _("Community law class: %(theme)s") % {"theme": names[theme]}
    return initial


def _event_form_page(
    request: HttpRequest, form: EventForm, obj: OutreachEvent | None, suggestions: Any = None
) -> HttpResponse:
    title = _("Plan a legal education event") if obj is None else _("Change the event")
    return render(
        request,
        "outreach/event_form.html",
        {"form": form, "object": obj, "title": title, "suggestions": suggestions},
    )


def event_add(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not may_plan_events(user):
        raise Http404
    form = EventForm(
        request.POST or None, user=user, initial=_initial_from_suggestion(request, user)
    )
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            event = services.event_plan(
                actor=user,
                kind=c["kind"],
                title=c["title"],
                starts_at=c["starts_at"],
                place=c["place"],
                organiser=c["organiser"],
                estates=list(c["estates"]),
                themes=c["themes"],
                notes=c["notes"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Event planned: %(title)s.") % {"title": event.title})
            return HttpResponseRedirect(event.get_absolute_url())
    suggestions = selectors.event_suggestions(user=user)
    return _event_form_page(request, form, None, suggestions)


def _managed_event(request: HttpRequest, pk: int) -> OutreachEvent:
    event = _event(request, pk)
    if not may_manage_event(request.user, event):
        raise Http404
    return event


def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    user: Any = request.user
    initial = {
        "kind": event.kind,
        "title": event.title,
        "starts_at": timezone.localtime(event.starts_at),
        "place": event.place,
        "organiser": event.organiser,
        "themes": event.theme_codes,
        "estates": [t.estate for t in event.targets.all()],
        "notes": event.notes,
    }
    form = EventForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.event_update(
                actor=user,
                event=event,
                estates=list(c["estates"]),
                themes=c["themes"],
                kind=c["kind"],
                title=c["title"],
                starts_at=c["starts_at"],
                place=c["place"],
                organiser=c["organiser"],
                notes=c["notes"],
            )
        except (ValidationError, PermissionDenied, TransitionRefused) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Event changed."))
            return HttpResponseRedirect(event.get_absolute_url())
    return _event_form_page(request, form, event)


def event_hold(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the event took place: attendance in total and per estate, materials."""
    event = _managed_event(request, pk)
    targets = list(event.targets.all())
    form = HoldForm(request.POST or None, request.FILES or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_hold(
                actor=request.user,
                event=event,
                attendance=form.cleaned_data["attendance"],
                per_estate=form.per_estate(),
                uploads=form.cleaned_data["materials"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied, TransitionRefused) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Recorded: the event was held."))
            return HttpResponseRedirect(event.get_absolute_url())
    return render(
        request,
        "outreach/event_hold.html",
        {"object": event, "form": form, "title": _("Record the event as held")},
    )


def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page; the POST cancels."""
    event = _managed_event(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(
                actor=request.user, event=event, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied, TransitionRefused) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Event cancelled."))
            return HttpResponseRedirect(event.get_absolute_url())
    return render(
        request,
        "outreach/cancel.html",
        {
            "object": event,
            "form": form,
            "title": _("Cancel the event"),
            "question": _("Cancel the event %(title)s? It stays in the list, marked cancelled.")
            % {"title": event.title},
        },
    )


def event_materials(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    if request.method != "POST":
        return HttpResponseRedirect(event.get_absolute_url())
    form = MaterialsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.event_materials_add(
                actor=request.user,
                event=event,
                uploads=form.cleaned_data["materials"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Materials added."))
    else:
        messages.error(request, _("Choose at least one file."))
    return HttpResponseRedirect(event.get_absolute_url() + "#materials")


def event_records(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The complaints behind the before / after figures of an event (drill-down)."""
    event = _event(request, pk)
    part = "after" if request.GET.get("part") == "after" else "before"
    qs = selectors.effect_complaints(user=request.user, event=event, part=part)
    effect = selectors.event_effect(event=event)
    period = effect.before if part == "before" else effect.after
    if part == "before":
        title = _("Complaints before the event %(title)s") % {"title": event.title}
    else:
        title = _("Complaints after the event %(title)s") % {"title": event.title}
    table = ComplaintTable(qs.select_related("estate", "violation_type", "subdistrict", "lead"))
    if request.GET.get("export") == "xlsx":
        from xiaoqu.core.exports import table_xlsx_response

        note = (
            _("Contains demo data (演示数据) generated by the platform.") if event.is_demo else ""
        )
        return table_xlsx_response(table, title=title, filename="event-complaints", note=note)
    tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "outreach/event_records.html",
        {
            "object": event,
            "title": title,
            "table": table,
            "period": period,
            "part": part,
            "query_string": request.GET.urlencode(),
        },
    )


def suggestions(request: HttpRequest) -> HttpResponse:
    """The hotspots by violation type, to plan events from."""
    user: Any = request.user
    if not may_plan_events(user):
        raise Http404
    return render(
        request,
        "outreach/suggestions.html",
        {
            "title": _("Where and about what: suggestions from the hotspots"),
            "suggestions": selectors.event_suggestions(user=user),
        },
    )


# ---------------------------------------------------------------------------------------------
# Trainings


class TrainingListView(ObjectListView):
    model = Training
    table_class = TrainingTable
    filterset_class = TrainingFilterSet
    selector = selectors.training_list
    export_name = "trainings"
    actions_template = "outreach/_training_actions.html"

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"may_plan": may_plan_trainings(request.user)}


def _training(request: HttpRequest, pk: int) -> Training:
    training = selectors.training_list(user=request.user).filter(pk=pk).first()
    if training is None:
        raise Http404
    return training


def _company_groups(rows: list[Any]) -> list[dict[str, Any]]:
    """Attendance rows grouped by company: the company's own row, then its managers."""
    groups: dict[int, dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault(
            row.company_id, {"company": row.company, "own": None, "managers": []}
        )
        if row.manager_id is None:
            group["own"] = row
        else:
            group["managers"].append(row)
    return list(groups.values())


def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = _training(request, pk)
    rows = list(selectors.training_attendances(user=request.user, training=training))
    context = {
        "object": training,
        "title": str(training),
        "groups": _company_groups(rows),
        "counts": {
            p: sum(1 for r in rows if r.manager_id is None and r.presence == p)
            for p in Presence.values
        },
        "manager_absent": sum(1 for r in rows if r.manager_id and r.presence == Presence.ABSENT),
        "may_manage": may_manage_training(request.user, training),
        "is_planned": training.status == TrainingStatus.PLANNED,
        "is_open": training.status != TrainingStatus.CANCELLED,
        "is_past": training.starts_at <= timezone.now(),
        "events": list(record_events(training)),
        "action_labels": ACTIONS,
    }
    return render(request, "outreach/training_detail.html", context)


def _training_form_page(
    request: HttpRequest, form: TrainingForm, obj: Training | None
) -> HttpResponse:
    title = _("Plan a training session") if obj is None else _("Change the training session")
    return render(
        request, "outreach/training_form.html", {"form": form, "object": obj, "title": title}
    )


def training_add(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not may_plan_trainings(user):
        raise Http404
    form = TrainingForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            training = services.training_plan(
                actor=user,
                title=c["title"],
                starts_at=c["starts_at"],
                place=c["place"],
                organisers=list(c["organisers"]),
                companies=list(c["companies"]),
                topic=c["topic"],
                notes=c["notes"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(
                request, _("Training session planned: %(title)s.") % {"title": training.title}
            )
            return HttpResponseRedirect(training.get_absolute_url())
    return _training_form_page(request, form, None)


def _managed_training(request: HttpRequest, pk: int) -> Training:
    training = _training(request, pk)
    if not may_manage_training(request.user, training):
        raise Http404
    return training


def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    training = _managed_training(request, pk)
    user: Any = request.user
    initial = {
        "title": training.title,
        "starts_at": timezone.localtime(training.starts_at),
        "place": training.place,
        "organisers": list(training.organisers.all()),
        "companies": sorted(set(training.attendances.values_list("company_id", flat=True))),
        "topic": training.topic,
        "notes": training.notes,
    }
    form = TrainingForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.training_update(
                actor=user,
                training=training,
                organisers=list(c["organisers"]),
                companies=list(c["companies"]),
                title=c["title"],
                starts_at=c["starts_at"],
                place=c["place"],
                topic=c["topic"],
                notes=c["notes"],
            )
        except (ValidationError, PermissionDenied, TransitionRefused) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Training session changed."))
            return HttpResponseRedirect(training.get_absolute_url())
    return _training_form_page(request, form, training)


def training_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Who came: one choice per company and per project manager."""
    training = _managed_training(request, pk)
    rows = list(selectors.training_attendances(user=request.user, training=training))
    error = ""
    if request.method == "POST":
        marks = {r.pk: request.POST.get(f"presence_{r.pk}", r.presence) for r in rows}
        notes = {r.pk: request.POST.get(f"note_{r.pk}", "") for r in rows}
        try:
            services.training_attendance_record(
                actor=request.user, training=training, marks=marks, notes=notes
            )
        except (ValidationError, PermissionDenied, TransitionRefused) as exc:
            error = _errors(exc)
        else:
            messages.success(request, _("Attendance recorded."))
            return HttpResponseRedirect(training.get_absolute_url())
    return render(
        request,
        "outreach/training_attendance.html",
        {
            "object": training,
            "title": _("Attendance: %(title)s") % {"title": training.title},
            "groups": _company_groups(rows),
            "choices": PRESENCE_CHOICES,
            "error": error,
        },
    )


def training_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    training = _managed_training(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_cancel(
                actor=request.user, training=training, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied, TransitionRefused) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Training session cancelled."))
            return HttpResponseRedirect(training.get_absolute_url())
    return render(
        request,
        "outreach/cancel.html",
        {
            "object": training,
            "form": form,
            "title": _("Cancel the training session"),
            "question": _(
                "Cancel the training session %(title)s? It stays in the list, marked cancelled; "
                "no attendance counts for it."
            )
            % {"title": training.title},
        },
    )


def training_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable sign-in sheet (签到表): one line per company and project manager."""
    training = _training(request, pk)
    rows = list(selectors.training_attendances(user=request.user, training=training))
    return render(
        request,
        "outreach/training_sheet.html",
        {
            "object": training,
            "title": _("Sign-in sheet: %(title)s") % {"title": training.title},
            "groups": _company_groups(rows),
        },
    )

"""Pages of consultation meetings (会商): the list, scheduling, the meeting page (agenda with the
records behind each item, participating units, minutes, decisions), the record as DOCX, the
action items (督办事项) with filters and Excel export, "our action items" of a unit, and the
action item's page with the moves the user can make. Views are thin: selectors read through
the user's jurisdiction, services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoqu.accounts.roles import is_supervisor
from xiaoqu.audit.services import record_events
from xiaoqu.core.views import ObjectListView
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.referrals.views import event_rows
from xiaoqu.supervision.forms import UrgeForm
from xiaoqu.supervision.selectors import record_urge_notices

from . import selectors, services
from .choices import MeetingStatus
from .exports import meeting_docx
from .filtersets import ActionItemFilterSet, MeetingFilterSet, OurActionItemFilterSet
from .forms import (
    AcceptForm,
    ActionItemForm,
    AgendaItemForm,
    DoneForm,
    MeetingForm,
    MinutesForm,
    ReasonForm,
    ReopenForm,
)
from .models import ActionItem, AgendaItem, Meeting
from .permissions import may_run_meetings
from .tables import ActionItemTable, MeetingTable
from .workflow import ACTION_ITEM_WORKFLOW

MEETING_ACTIONS = {
    "created": gettext_lazy("Scheduled"),
    "updated": gettext_lazy("Changed"),
    "agenda_drafted": gettext_lazy("Agenda drafted from the data"),
    "agenda_redrafted": gettext_lazy("Agenda drafted again"),
    "agenda_item_added": gettext_lazy("Agenda item added"),
    "agenda_item_removed": gettext_lazy("Agenda item removed"),
    "hold": gettext_lazy("Meeting held"),
    "minutes_recorded": gettext_lazy("Minutes recorded"),
    "decision_recorded": gettext_lazy("Decision recorded"),
    "close": gettext_lazy("Minutes confirmed"),
    "cancel": gettext_lazy("Cancelled"),
}
MOVE_FORMS: dict[str, type[forms.Form]] = {
    "done": DoneForm,
    "accept": AcceptForm,
    "reopen": ReopenForm,
    "cancel": ReasonForm,
}


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    if meeting is None:
        raise Http404
    return meeting


def _run(request: HttpRequest, pk: int) -> Meeting:
    meeting = _meeting(request, pk)
    if not may_run_meetings(request.user, meeting.district_id):
        raise PermissionDenied
    return meeting


# ---------------------------------------------------------------------------------------------
# Lists


class MeetingListView(ObjectListView):
    model = Meeting
    table_class = MeetingTable
    filterset_class = MeetingFilterSet
    selector = selectors.meeting_list
    export_name = "meetings"
    actions_template = "meetings/_list_actions.html"

    def get_title(self) -> str:
        return _("Consultation meetings")

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"can_run": may_run_meetings(request.user)}


class ActionItemListView(ObjectListView):
    model = ActionItem
    table_class = ActionItemTable
    filterset_class = ActionItemFilterSet
    selector = selectors.action_item_list
    export_name = "action-items"
    actions_template = "meetings/_action_list_actions.html"

    def get_title(self) -> str:
        return _("Action items of meetings")


class OurActionItemListView(ActionItemListView):
    selector = selectors.our_action_items
    filterset_class = OurActionItemFilterSet
    export_name = "our-action-items"

    def get_title(self) -> str:
        return _("Our action items")


# ---------------------------------------------------------------------------------------------
# Meetings


def meeting_add(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not may_run_meetings(user) or user.district is None:
        raise PermissionDenied
    form = MeetingForm(request.POST or None, district=user.district)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            meeting = services.meeting_create(actor=user, district=user.district, **data)
        except (ValidationError, TransitionRefused) as exc:
            for message in _messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Meeting scheduled; its agenda was drafted from the data."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "form": form,
            "title": _("Schedule a consultation meeting"),
            "cancel_url": "meetings:meeting_list",
        },
    )


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _run(request, pk)
    parts = selectors.participants_of(meeting=meeting)
    initial = {
        "title": meeting.title,
        "kind": meeting.kind,
        "scheduled_at": timezone.localtime(meeting.scheduled_at).strftime("%Y-%m-%dT%H:%M"),
        "place": meeting.place,
        "convener": meeting.convener_id,
        "chair": meeting.chair,
        "purpose": meeting.purpose,
        "departments": [p.department_id for p in parts if p.department_id],
        "subdistricts": [p.subdistrict_id for p in parts if p.subdistrict_id],
    }
    form = MeetingForm(request.POST or None, initial=initial, district=meeting.district)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **data)  # type: ignore[arg-type]
        except (ValidationError, TransitionRefused) as exc:
            for message in _messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "title": _("Change the meeting"), "meeting": meeting},
    )


def _history(meeting: Meeting) -> list[dict[str, Any]]:
    return [
        {"event": e, "label": MEETING_ACTIONS.get(e.action, e.action)}
        for e in record_events(meeting)
    ]


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    user: Any = request.user
    can_run = may_run_meetings(user, meeting.district_id)
    parts = selectors.participants_of(meeting=meeting)
    agenda = selectors.agenda_of(meeting=meeting)
    items = list(selectors.action_items_of(user=user, meeting=meeting))
    by_agenda: dict[int | None, list[ActionItem]] = {}
    for item in items:
        by_agenda.setdefault(item.agenda_item_id, []).append(item)
    status = meeting.status
    context = {
        "object": meeting,
        "title": meeting.title,
        "participants": parts,
        "agenda": [
            {"item": a, "links": a.links(), "decisions": by_agenda.get(a.pk, [])} for a in agenda
        ],
        "loose_decisions": by_agenda.get(None, []),
        "action_items": items,
        "can_run": can_run,
        "is_planned": status == MeetingStatus.PLANNED,
        "is_held": status == MeetingStatus.HELD,
        "agenda_editable": can_run and status in services.AGENDA_EDITABLE,
        "agenda_form": AgendaItemForm(),
        "action_form": ActionItemForm(meeting=meeting)
        if can_run and status == MeetingStatus.HELD
        else None,
        "cancel_form": ReasonForm(),
        "events": _history(meeting) if can_run else [],
    }
    return render(request, "meetings/meeting_detail.html", context)


@require_POST
def meeting_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    meeting = _run(request, pk)
    try:
        if move == "hold":
            services.meeting_hold(meeting=meeting, actor=request.user)  # type: ignore[arg-type]
            messages.success(request, _("The meeting is held: record the minutes and decisions."))
        elif move == "close":
            services.meeting_close(meeting=meeting, actor=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Minutes confirmed."))
        elif move == "cancel":
            services.meeting_cancel(
                meeting=meeting,
                actor=request.user,  # type: ignore[arg-type]
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Meeting cancelled."))
        elif move == "draft":
            services.meeting_agenda_draft(meeting=meeting, actor=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Agenda drafted again from the data."))
        else:
            raise Http404
    except (ValidationError, TransitionRefused) as exc:
        for message in _messages(exc):
            messages.error(request, message)
    return redirect(meeting)


@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _run(request, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_add(meeting=meeting, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except (ValidationError, TransitionRefused) as exc:
            for message in _messages(exc):
                messages.error(request, message)
    else:
        messages.error(request, _("The agenda item needs a title."))
    return redirect(meeting.get_absolute_url() + "#agenda")


def _agenda_item(request: HttpRequest, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    _run(request, item.meeting_id)
    return item


@require_POST
def agenda_item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = _agenda_item(request, pk)
    try:
        if action == "up" or action == "down":
            services.agenda_item_move(item=item, actor=request.user, up=action == "up")  # type: ignore[arg-type]
        elif action == "remove":
            services.agenda_item_remove(item=item, actor=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Agenda item removed."))
        else:
            raise Http404
    except (ValidationError, TransitionRefused) as exc:
        for message in _messages(exc):
            messages.error(request, message)
    return redirect(item.meeting.get_absolute_url() + "#agenda")


def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _run(request, pk)
    if meeting.status != MeetingStatus.HELD:
        messages.error(request, _("Minutes are recorded once the meeting is held."))
        return redirect(meeting)
    parts = selectors.participants_of(meeting=meeting)
    agenda = selectors.agenda_of(meeting=meeting)
    form = MinutesForm(request.POST or None, meeting=meeting, participants=parts, agenda=agenda)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_minutes_record(
                meeting=meeting,
                actor=request.user,  # type: ignore[arg-type]
                minutes=form.cleaned_data["minutes"],
                attendance=form.attendance(),
                discussions=form.discussions(),
            )
        except (ValidationError, TransitionRefused) as exc:
            for message in _messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect(meeting)
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "form": form,
            "meeting": meeting,
            "title": _("Minutes of %(title)s") % {"title": meeting.title},
        },
    )


@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _run(request, pk)
    form = ActionItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.action_item_create(
                meeting=meeting,
                actor=request.user,  # type: ignore[arg-type]
                description=data["description"],
                deadline=data["deadline"],
                agenda_item=data["agenda_item"],
                **data["owner"],
            )
        except (ValidationError, TransitionRefused) as exc:
            for message in _messages(exc):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Decision recorded as action item %(number)s for %(unit)s.")
                % {"number": item.number, "unit": item.owner},
            )
    else:
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect(meeting.get_absolute_url() + "#decisions")


def meeting_record_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    response = HttpResponse(
        meeting_docx(meeting),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    stamp = timezone.localtime(meeting.scheduled_at).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="meeting-{stamp}-{meeting.pk}.docx"'
    return response


# ---------------------------------------------------------------------------------------------
# Action items


def _moves(
    item: ActionItem, user: Any, failed: tuple[str, forms.Form] | None = None
) -> list[dict[str, Any]]:
    rows = []
    available = ACTION_ITEM_WORKFLOW.available(item, user)
    if failed is not None and failed[0] not in {m.name for m in available}:
        # the refused move stays on the page with its reason
        rows.append(
            {"move": ACTION_ITEM_WORKFLOW.moves[failed[0]], "form": failed[1], "open": True}
        )
    for move in available:
        if move.name not in MOVE_FORMS:
            continue
        if failed is not None and failed[0] == move.name:
            rows.append({"move": move, "form": failed[1], "open": True})
        else:
            rows.append({"move": move, "form": MOVE_FORMS[move.name](), "open": False})
    return rows


def _item_events(item: ActionItem) -> list[dict[str, Any]]:
    rows = event_rows(item, ACTION_ITEM_WORKFLOW)
    for row in rows:
        if row["event"].action == "created":
            row["label"] = _("Decided at the meeting")
    return rows


def _item_context(request: HttpRequest, item: ActionItem, failed: Any = None) -> dict[str, Any]:
    user: Any = request.user
    return {
        "object": item,
        "title": str(item),
        "model_meta": ActionItem._meta,
        "moves": _moves(item, user, failed),
        "move_url_name": "meetings:action_item_move",
        "events": _item_events(item),
        "is_overdue": item.is_open and item.due_at is not None and item.due_at < timezone.now(),
        "urge_form": UrgeForm() if item.is_open and is_supervisor(user) else None,
        "urge_notices": list(record_urge_notices(record=item, user=user)),
        "meeting_visible": selectors.meeting_for(user=user, pk=item.meeting_id) is not None,
    }


def action_item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.action_item_list(user=request.user), pk=pk)
    return render(request, "meetings/action_item_detail.html", _item_context(request, item))


def _move_service(item: ActionItem, move: str, data: dict[str, Any], actor: Any) -> ActionItem:
    if move == "done":
        return services.action_item_done(
            item=item, actor=actor, note=data["note"], uploads=data.get("attachments") or []
        )
    if move == "accept":
        return services.action_item_accept(item=item, actor=actor, note=data.get("note", ""))
    if move == "reopen":
        return services.action_item_reopen(
            item=item, actor=actor, reason=data["reason"], deadline=data.get("deadline")
        )
    if move == "cancel":
        return services.action_item_cancel(item=item, actor=actor, reason=data["reason"])
    raise Http404


@require_POST
def action_item_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    item = get_object_or_404(selectors.action_item_list(user=request.user), pk=pk)
    form_class = MOVE_FORMS.get(move)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            _move_service(item, move, form.cleaned_data, request.user)
        except (TransitionRefused, ValidationError) as exc:
            for message in _messages(exc):
                form.add_error(None, message)
        else:
            label = ACTION_ITEM_WORKFLOW.moves[move].label
            messages.success(request, _("Done: %(move)s.") % {"move": label})
            target = item.get_absolute_url()
            if request.htmx:  # type: ignore[attr-defined]
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(target)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "referrals/_move_form.html",
            {
                "object": item,
                "item": {"move": ACTION_ITEM_WORKFLOW.moves[move], "form": form, "open": True},
                "move_url_name": "meetings:action_item_move",
            },
        )
    return render(
        request,
        "meetings/action_item_detail.html",
        _item_context(request, item, failed=(move, form)),
    )

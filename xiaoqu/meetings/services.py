"""Writes of consultation meetings and their action items. Every write takes the acting user,
checks who may make it and records an audit event in the same transaction.

A meeting moves planned → held → closed (minutes confirmed), or planned → cancelled; the
moves are the table `MEETING_MOVES`, a move not in it is refused with the reason. Action items
are workflow records (`workflow.ACTION_ITEM_WORKFLOW`): every move goes through
`xiaoqu.core.workflow.transition` (row locked, move and actor checked, deadline recomputed,
event written)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.audit.services import event_record, notify
from xiaoqu.core.numbers import number_format, number_next
from xiaoqu.core.workflow import TransitionRefused, deadline_update, transition
from xiaoqu.departments.choices import DepartmentKind
from xiaoqu.departments.models import Department
from xiaoqu.regions.models import District, Subdistrict

from .agenda import agenda_drafts
from .choices import ActionItemStatus, AgendaSource, MeetingKind, MeetingStatus
from .models import ActionItem, AgendaItem, Meeting, MeetingParticipant
from .permissions import SUBDISTRICT_ROLES, may_run_meetings
from .workflow import ACTION_ITEM_WORKFLOW

S = MeetingStatus

# The meeting's transition table: move → (from states, to state, label)
MEETING_MOVES: dict[str, tuple[frozenset[str], str, Any]] = {
    "hold": (frozenset({S.PLANNED}), S.HELD, gettext_lazy("Meeting held: record the minutes")),
    "close": (frozenset({S.HELD}), S.CLOSED, gettext_lazy("Confirm the minutes")),
    "cancel": (frozenset({S.PLANNED}), S.CANCELLED, gettext_lazy("Cancel the meeting")),
}
AGENDA_EDITABLE = frozenset({S.PLANNED, S.HELD})
MEETING_FIELDS = ("title", "kind", "scheduled_at", "place", "convener", "chair", "purpose")


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _check_run(actor: User | None, district_id: int) -> None:
    if actor is not None and not may_run_meetings(actor, district_id):
        raise PermissionDenied(_("Only the bureau's command centre runs consultation meetings."))


def _state_label(status: str) -> str:
    return str(MeetingStatus(status).label)


def _refuse_unless(meeting: Meeting, states: Iterable[str], what: str) -> None:
    allowed = frozenset(states)
    if meeting.status not in allowed:
        raise TransitionRefused(
            _(
                "“%(what)s” is not possible while the meeting is “%(state)s”; it is possible "
                "only when it is: %(allowed)s."
            )
            % {
                "what": what,
                "state": _state_label(meeting.status),
                "allowed": "、".join(_state_label(s) for s in sorted(allowed)),
            }
        )


def bureau_of(district: District) -> Department | None:
    """The district's enforcement bureau, the default convener."""
    return (
        Department.objects.filter(district=district, kind=DepartmentKind.BUREAU)
        .order_by("pk")
        .first()
    )


def unit_users(*, department: Department | None, subdistrict: Subdistrict | None) -> list[User]:
    """Who answers for a unit's action items: a department's liaisons; a subdistrict's
    enforcement officers and managers."""
    if department is not None:
        return list(User.objects.filter(role=Role.LIAISON, department=department, is_active=True))
    if subdistrict is not None:
        return list(
            User.objects.filter(
                role__in=list(SUBDISTRICT_ROLES), subdistrict=subdistrict, is_active=True
            )
        )
    return []


def _participants_set(
    meeting: Meeting,
    departments: Iterable[Department],
    subdistricts: Iterable[Subdistrict],
) -> dict[str, list[str]]:
    """Make the participating units exactly these; returns what changed, for the event."""
    want_d = {d.pk: d for d in departments}
    want_s = {s.pk: s for s in subdistricts}
    for unit in list(want_d.values()) + list(want_s.values()):
        if unit.district_id != meeting.district_id:
            raise ValidationError(_("%(unit)s is not of the meeting's district.") % {"unit": unit})
    current = list(meeting.participants.all())
    have_d = {p.department_id: p for p in current if p.department_id}
    have_s = {p.subdistrict_id: p for p in current if p.subdistrict_id}
    added: list[str] = []
    removed: list[str] = []
    for pk, dept in want_d.items():
        if pk not in have_d:
            MeetingParticipant.objects.create(meeting=meeting, department=dept)
            added.append(dept.name)
    for pk, sub in want_s.items():
        if pk not in have_s:
            MeetingParticipant.objects.create(meeting=meeting, subdistrict=sub)
            added.append(sub.name)
    for pk, part in have_d.items():
        if pk not in want_d:
            removed.append(str(part.department))
            part.delete()
    for pk, part in have_s.items():
        if pk not in want_s:
            removed.append(str(part.subdistrict))
            part.delete()
    return {"added": added, "removed": removed}


def _check_meeting(data: Mapping[str, Any]) -> None:
    if not (data.get("title") or "").strip():
        raise ValidationError(_("The title is required."))
    if data.get("kind") not in MeetingKind.values:
        raise ValidationError(_("Choose the kind of meeting."))
    if data.get("scheduled_at") is None:
        raise ValidationError(_("The time of the meeting is required."))


# ---------------------------------------------------------------------------------------------
# Meetings


def meeting_create(
    *,
    actor: User | None,
    district: District,
    title: str,
    scheduled_at: dt.datetime,
    kind: str = MeetingKind.REGULAR,
    place: str = "",
    convener: Department | None = None,
    chair: str = "",
    purpose: str = "",
    departments: Iterable[Department] = (),
    subdistricts: Iterable[Subdistrict] = (),
    draft_agenda: bool = True,
    is_demo: bool = False,
    at: dt.datetime | None = None,
) -> Meeting:
    """Schedule a meeting with its participating units; its agenda is drafted from the data
    at once (re-draftable until the meeting is held)."""
    moment = _now(at)
    _check_run(actor, district.pk)
    data = {
        "title": title.strip(),
        "kind": kind,
        "scheduled_at": scheduled_at,
        "place": place.strip(),
        "convener": convener or bureau_of(district),
        "chair": chair.strip(),
        "purpose": purpose.strip(),
    }
    _check_meeting(data)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            district=district, created_by=actor, created_at=moment, is_demo=is_demo, **data
        )
        units = _participants_set(meeting, departments, subdistricts)
        event_record(
            record=meeting,
            actor=actor,
            action="created",
            to_state=meeting.status,
            at=moment,
            data={
                "title": meeting.title,
                "scheduled_at": scheduled_at,
                "participants": units["added"],
            },
        )
        if draft_agenda:
            meeting_agenda_draft(meeting=meeting, actor=actor, at=moment)
    return meeting


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def meeting_update(
    *,
    actor: User | None,
    meeting: Meeting,
    departments: Iterable[Department] | None = None,
    subdistricts: Iterable[Subdistrict] | None = None,
    at: dt.datetime | None = None,
    **changes: Any,
) -> Meeting:
    """Change the meeting's particulars or its participating units (until it is closed)."""
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    moment = _now(at)
    _check_run(actor, meeting.district_id)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _refuse_unless(locked, AGENDA_EDITABLE, _("Change the meeting"))
        data = {f: getattr(locked, f) for f in MEETING_FIELDS}
        data.update({k: v.strip() if isinstance(v, str) else v for k, v in changes.items()})
        _check_meeting(data)
        changed: dict[str, Any] = {
            f: [_jsonable(getattr(locked, f)), _jsonable(v)]
            for f, v in data.items()
            if getattr(locked, f) != v
        }
        for name, value in data.items():
            setattr(locked, name, value)
        locked.save()
        if departments is not None or subdistricts is not None:
            current = list(locked.participants.select_related("department", "subdistrict"))
            units = _participants_set(
                locked,
                departments
                if departments is not None
                else [p.department for p in current if p.department],
                subdistricts
                if subdistricts is not None
                else [p.subdistrict for p in current if p.subdistrict],
            )
            if units["added"] or units["removed"]:
                changed["participants"] = units
        if changed:
            event_record(record=locked, actor=actor, action="updated", at=moment, data=changed)
    return locked


def _meeting_move(
    *,
    meeting: Meeting,
    actor: User | None,
    move: str,
    reason: str = "",
    at: dt.datetime | None = None,
    apply: Any = None,
) -> Meeting:
    moment = _now(at)
    _check_run(actor, meeting.district_id)
    sources, target, label = MEETING_MOVES[move]
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _refuse_unless(locked, sources, str(label))
        extra = apply(locked) if apply is not None else None
        from_state = locked.status
        locked.status = target
        locked.save()
        event_record(
            record=locked,
            actor=actor,
            action=move,
            from_state=from_state,
            to_state=target,
            reason=reason,
            data=extra or {},
            at=moment,
        )
    return locked


def meeting_hold(*, meeting: Meeting, actor: User | None, at: dt.datetime | None = None) -> Meeting:
    """The meeting took place: its minutes and decisions can now be recorded."""
    moment = _now(at)

    def held(locked: Meeting) -> dict[str, Any]:
        locked.held_at = moment
        return {}

    return _meeting_move(meeting=meeting, actor=actor, move="hold", at=moment, apply=held)


def meeting_close(
    *, meeting: Meeting, actor: User | None, at: dt.datetime | None = None
) -> Meeting:
    """Confirm the minutes: the record of the meeting is final (action items go on)."""
    moment = _now(at)

    def close(locked: Meeting) -> dict[str, Any]:
        if not locked.minutes.strip():
            raise ValidationError(_("Record the minutes before confirming them."))
        locked.closed_at = moment
        return {"action_items": locked.action_items.count()}

    return _meeting_move(meeting=meeting, actor=actor, move="close", at=moment, apply=close)


def meeting_cancel(
    *, meeting: Meeting, actor: User | None, reason: str, at: dt.datetime | None = None
) -> Meeting:
    moment = _now(at)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for cancelling the meeting."))

    def cancel(locked: Meeting) -> dict[str, Any]:
        locked.cancelled_at = moment
        locked.cancel_reason = reason
        return {}

    return _meeting_move(
        meeting=meeting, actor=actor, move="cancel", reason=reason, at=moment, apply=cancel
    )


def meeting_minutes_record(
    *,
    meeting: Meeting,
    actor: User | None,
    minutes: str,
    attendance: Mapping[int, tuple[bool | None, str]] | None = None,
    discussions: Mapping[int, str] | None = None,
    at: dt.datetime | None = None,
) -> Meeting:
    """Record the minutes of a meeting held: free text, the attendance per participating unit
    (participant id → (present, who came)) and the discussion per agenda item (id → text)."""
    moment = _now(at)
    _check_run(actor, meeting.district_id)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _refuse_unless(locked, {S.HELD}, _("Record the minutes"))
        changed: dict[str, Any] = {}
        if locked.minutes != minutes.strip():
            locked.minutes = minutes.strip()
            locked.save(update_fields=["minutes"])
            changed["minutes"] = True
        participants = {p.pk: p for p in locked.participants.all()}
        for pk, (present, attendees) in (attendance or {}).items():
            part = participants.get(pk)
            if part is None:
                raise ValidationError(_("Not a participating unit of this meeting."))
            if part.present != present or part.attendees != attendees.strip():
                part.present, part.attendees = present, attendees.strip()
                part.save(update_fields=["present", "attendees"])
                changed.setdefault("attendance", []).append(str(part.unit))
        items = {i.pk: i for i in locked.agenda.all()}
        for pk, text in (discussions or {}).items():
            item = items.get(pk)
            if item is None:
                raise ValidationError(_("Not an agenda item of this meeting."))
            if item.discussion != text.strip():
                item.discussion = text.strip()
                item.save(update_fields=["discussion"])
                changed.setdefault("discussion", []).append(item.position)
        if changed:
            event_record(
                record=locked, actor=actor, action="minutes_recorded", at=moment, data=changed
            )
    return locked


# ---------------------------------------------------------------------------------------------
# The agenda


def meeting_agenda_draft(
    *, meeting: Meeting, actor: User | None, at: dt.datetime | None = None
) -> list[AgendaItem]:
    """Draft (or draft again) the agenda from the data as of `at`: the items drafted before
    are replaced, the items added by hand are kept after them in their order."""
    moment = _now(at)
    _check_run(actor, meeting.district_id)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _refuse_unless(locked, {S.PLANNED}, _("Draft the agenda"))
        drafts = agenda_drafts(locked, moment)
        manual = list(locked.agenda.filter(drafted=False).order_by("position", "pk"))
        locked.agenda.filter(drafted=True).delete()
        rows = [
            AgendaItem(
                meeting=locked,
                position=n,
                source=d.source,
                title=d.title[:300],
                detail=d.detail,
                refs=d.refs,
                data=d.data,
                action_item_id=d.action_item_id,
                drafted=True,
            )
            for n, d in enumerate(drafts, start=1)
        ]
        AgendaItem.objects.bulk_create(rows)
        for n, item in enumerate(manual, start=len(rows) + 1):
            if item.position != n:
                item.position = n
                item.save(update_fields=["position"])
        again = locked.agenda_drafted_at is not None
        locked.agenda_drafted_at = moment
        locked.save(update_fields=["agenda_drafted_at"])
        counts: dict[str, int] = {}
        for d in drafts:
            counts[d.source] = counts.get(d.source, 0) + 1
        event_record(
            record=locked,
            actor=actor,
            action="agenda_redrafted" if again else "agenda_drafted",
            at=moment,
            data={"items": counts, "kept": len(manual)},
        )
    return list(locked.agenda.order_by("position", "pk"))


def agenda_item_add(
    *,
    meeting: Meeting,
    actor: User | None,
    title: str,
    detail: str = "",
    at: dt.datetime | None = None,
) -> AgendaItem:
    moment = _now(at)
    _check_run(actor, meeting.district_id)
    if not title.strip():
        raise ValidationError(_("The agenda item needs a title."))
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _refuse_unless(locked, AGENDA_EDITABLE, _("Add an agenda item"))
        last = locked.agenda.aggregate(m=Max("position"))["m"] or 0
        item = AgendaItem.objects.create(
            meeting=locked,
            position=last + 1,
            source=AgendaSource.MANUAL,
            title=title.strip()[:300],
            detail=detail.strip(),
        )
        event_record(
            record=locked,
            actor=actor,
            action="agenda_item_added",
            at=moment,
            data={"title": item.title},
        )
    return item


def _renumber(meeting: Meeting) -> None:
    for n, item in enumerate(meeting.agenda.order_by("position", "pk"), start=1):
        if item.position != n:
            item.position = n
            item.save(update_fields=["position"])


def agenda_item_remove(
    *, item: AgendaItem, actor: User | None, at: dt.datetime | None = None
) -> None:
    moment = _now(at)
    _check_run(actor, item.meeting.district_id)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=item.meeting_id)
        _refuse_unless(locked, AGENDA_EDITABLE, _("Remove an agenda item"))
        if ActionItem.objects.filter(agenda_item_id=item.pk).exists():
            raise TransitionRefused(
                _("Decisions were recorded on this agenda item: it cannot be removed.")
            )
        title = item.title
        AgendaItem.objects.filter(pk=item.pk).delete()
        _renumber(locked)
        event_record(
            record=locked,
            actor=actor,
            action="agenda_item_removed",
            at=moment,
            data={"title": title},
        )


def agenda_item_move(
    *, item: AgendaItem, actor: User | None, up: bool, at: dt.datetime | None = None
) -> None:
    """Move an agenda item one place up or down."""
    _check_run(actor, item.meeting.district_id)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=item.meeting_id)
        _refuse_unless(locked, AGENDA_EDITABLE, _("Reorder the agenda"))
        _renumber(locked)
        items = list(locked.agenda.order_by("position", "pk"))
        index = next(i for i, x in enumerate(items) if x.pk == item.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(items):
            return
        a, b = items[index], items[other]
        a.position, b.position = b.position, a.position
        a.save(update_fields=["position"])
        b.save(update_fields=["position"])


# ---------------------------------------------------------------------------------------------
# Action items


def _check_owner(
    meeting: Meeting, department: Department | None, subdistrict: Subdistrict | None
) -> None:
    if (department is None) == (subdistrict is None):
        raise ValidationError(_("Assign the action item to one department or one subdistrict."))
    unit: Any = department or subdistrict
    if unit.district_id != meeting.district_id:
        raise ValidationError(_("%(unit)s is not of the meeting's district.") % {"unit": unit})


def action_item_create(
    *,
    meeting: Meeting,
    actor: User | None,
    description: str,
    deadline: dt.date,
    department: Department | None = None,
    subdistrict: Subdistrict | None = None,
    agenda_item: AgendaItem | None = None,
    is_demo: bool = False,
    at: dt.datetime | None = None,
) -> ActionItem:
    """A decision of the meeting becomes an action item assigned to a department or a
    subdistrict with a deadline; the unit's users are told."""
    moment = _now(at)
    _check_run(actor, meeting.district_id)
    description = description.strip()
    if not description:
        raise ValidationError(_("Write what was decided and what is to be done."))
    if deadline is None:
        raise ValidationError(_("The deadline is required."))
    _check_owner(meeting, department, subdistrict)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("Not an agenda item of this meeting."))
    if deadline < timezone.localtime(moment).date():
        raise ValidationError(_("The deadline cannot be in the past."))
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _refuse_unless(locked, {S.HELD}, _("Record a decision"))
        year = timezone.localtime(moment).year
        number = number_format(
            prefix="DB", year=year, value=number_next(name="action_item", year=year)
        )
        item = ActionItem(
            number=number,
            district_id=locked.district_id,
            meeting=locked,
            agenda_item=agenda_item,
            description=description,
            department=department,
            subdistrict=subdistrict,
            deadline=deadline,
            created_by=actor,
            created_at=moment,
            is_demo=is_demo,
        )
        deadline_update(workflow=ACTION_ITEM_WORKFLOW, record=item, at=moment)
        item.save()
        event_record(
            record=item,
            actor=actor,
            action="created",
            to_state=item.status,
            at=moment,
            data={
                "meeting": locked.pk,
                "unit": str(item.owner),
                "deadline": deadline,
                "agenda_item": agenda_item.pk if agenda_item else None,
            },
        )
        event_record(
            record=locked,
            actor=actor,
            action="decision_recorded",
            at=moment,
            data={"action_item": item.number, "unit": str(item.owner)},
        )
        notify(
            recipients=unit_users(department=department, subdistrict=subdistrict),
            text=_(
                "Action item %(number)s of %(meeting)s for your unit, due %(deadline)s: %(text)s"
            )
            % {
                "number": item.number,
                "meeting": locked.title,
                "deadline": deadline.isoformat(),
                "text": description[:120],
            },
            link=item.get_absolute_url(),
            at=moment,
        )
    return item


def action_item_done(
    *,
    item: ActionItem,
    actor: User,
    note: str,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> ActionItem:
    """The unit reports the item done, with what it did (and files); the bureau is told."""
    moment = _now(at)
    note = note.strip()

    def done(locked: ActionItem) -> dict[str, Any]:
        locked.done_at, locked.done_by, locked.done_note = moment, actor, note
        return {"on_time": locked.due_at is not None and moment <= locked.due_at}

    with transaction.atomic():
        locked, _event = transition(
            workflow=ACTION_ITEM_WORKFLOW,
            record=item,
            move="done",
            actor=actor,
            reason=note,
            apply=done,
            at=moment,
            uploads=uploads,
        )
        from xiaoqu.supervision.services import supervisors

        notify(
            recipients=[u for u in supervisors(locked.district_id) if u.pk != actor.pk],
            text=_("%(unit)s reports action item %(number)s done: %(note)s")
            % {"unit": locked.owner, "number": locked.number, "note": note[:120]},
            link=locked.get_absolute_url(),
            at=moment,
        )
    return locked


def action_item_accept(
    *, item: ActionItem, actor: User, note: str = "", at: dt.datetime | None = None
) -> ActionItem:
    moment = _now(at)

    def accept(locked: ActionItem) -> dict[str, Any]:
        locked.accepted_at = moment
        return {}

    locked, _event = transition(
        workflow=ACTION_ITEM_WORKFLOW,
        record=item,
        move="accept",
        actor=actor,
        reason=note.strip(),
        apply=accept,
        at=moment,
    )
    return locked


def action_item_reopen(
    *,
    item: ActionItem,
    actor: User,
    reason: str,
    deadline: dt.date | None = None,
    at: dt.datetime | None = None,
) -> ActionItem:
    """The bureau finds the item not done: it is open again (with a new deadline if given)
    and the unit is told."""
    moment = _now(at)
    if deadline is not None and deadline < timezone.localtime(moment).date():
        raise ValidationError(_("The deadline cannot be in the past."))

    def reopen(locked: ActionItem) -> dict[str, Any]:
        previous = locked.deadline
        if deadline is not None:
            locked.deadline = deadline
        locked.accepted_at = None
        locked.reopen_count += 1
        return {"previous_deadline": previous, "deadline": locked.deadline}

    with transaction.atomic():
        locked, _event = transition(
            workflow=ACTION_ITEM_WORKFLOW,
            record=item,
            move="reopen",
            actor=actor,
            reason=reason.strip(),
            apply=reopen,
            at=moment,
        )
        notify(
            recipients=unit_users(department=locked.department, subdistrict=locked.subdistrict),
            text=_("Action item %(number)s was reopened, due %(deadline)s: %(reason)s")
            % {
                "number": locked.number,
                "deadline": locked.deadline.isoformat(),
                "reason": reason.strip()[:120],
            },
            link=locked.get_absolute_url(),
            at=moment,
        )
    return locked


def action_item_cancel(
    *, item: ActionItem, actor: User, reason: str, at: dt.datetime | None = None
) -> ActionItem:
    locked, _event = transition(
        workflow=ACTION_ITEM_WORKFLOW,
        record=item,
        move="cancel",
        actor=actor,
        reason=reason.strip(),
        at=at,
    )
    return locked


__all__ = [
    "ActionItemStatus",
    "action_item_accept",
    "action_item_cancel",
    "action_item_create",
    "action_item_done",
    "action_item_reopen",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "meeting_agenda_draft",
    "meeting_cancel",
    "meeting_close",
    "meeting_create",
    "meeting_hold",
    "meeting_minutes_record",
    "meeting_update",
]

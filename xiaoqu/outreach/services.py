"""Writes of legal education events and trainings. Every write takes the acting user, checks
who may make it, changes the record in one transaction and appends an event to its chain;
state moves follow the transition tables of `choices` and are refused with the reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.audit.services import attachments_store, attachments_validate, event_record
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate, ProjectManager, PropertyCompany
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import District

from .choices import (
    EVENT_TRANSITIONS,
    TRAINING_TRANSITIONS,
    EventKind,
    EventStatus,
    Presence,
    TrainingStatus,
)
from .models import EventTarget, EventTheme, OutreachEvent, Training, TrainingAttendance
from .permissions import may_manage_event, may_manage_training, may_plan_for, may_plan_trainings

EVENT_FIELDS = ("kind", "title", "starts_at", "place", "organiser", "notes")
TRAINING_FIELDS = ("title", "starts_at", "place", "topic", "notes")


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _district_of(actor: Any, estates: Sequence[Estate]) -> District:
    if actor is not None and getattr(actor, "district_id", None):
        return District.objects.get(pk=actor.district_id)
    if estates:
        return estates[0].district
    district = District.objects.order_by("pk").first()
    if district is None:
        raise ValidationError(_("No district is set up."))
    return district


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def _check_themes(codes: Iterable[str]) -> list[str]:
    codes = sorted(set(codes))
    known = set(ViolationType.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError(
            _("Unknown violation type: %(codes)s.") % {"codes": "、".join(unknown)}
        )
    return codes


def _check_event(data: Mapping[str, Any]) -> None:
    if data.get("kind") not in EventKind.values:
        raise ValidationError(_("Choose the kind of event."))
    if not (data.get("title") or "").strip():
        raise ValidationError(_("The title is required."))
    if data.get("starts_at") is None:
        raise ValidationError(_("The date and time are required."))


def _move(current: str, target: str, table: Mapping[str, frozenset[str]], labels: Any) -> None:
    if target not in table.get(current, frozenset()):
        raise TransitionRefused(
            _("Not allowed: the record is %(state)s and cannot become %(target)s.")
            % {"state": labels(current).label, "target": labels(target).label}
        )


# ---------------------------------------------------------------------------------------------
# Events


def event_plan(
    *,
    actor: Any,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    estates: Sequence[Estate] = (),
    themes: Iterable[str] = (),
    place: str = "",
    organiser: Department | None = None,
    notes: str = "",
    district: District | None = None,
    is_demo: bool = False,
    at: dt.datetime | None = None,
) -> OutreachEvent:
    """Plan an event for target estates about themes (violation type codes)."""
    moment = _now(at)
    estates = list(dict.fromkeys(estates))
    district = district or _district_of(actor, estates)
    if actor is not None and not may_plan_for(actor, estates, district.pk):
        raise PermissionDenied(
            _("You may plan events only for estates of your own subdistrict.")
            if estates
            else _("Choose at least one target estate of your subdistrict.")
        )
    if any(e.district_id != district.pk for e in estates):
        raise ValidationError(_("Every target estate must be in the district."))
    data = {
        "kind": kind,
        "title": title.strip(),
        "starts_at": starts_at,
        "place": place.strip(),
        "organiser": organiser,
        "notes": notes.strip(),
    }
    _check_event(data)
    codes = _check_themes(themes)
    with transaction.atomic():
        event = OutreachEvent.objects.create(
            district=district,
            created_by=actor,
            created_at=moment,
            is_demo=is_demo,
            **data,
        )
        EventTarget.objects.bulk_create([EventTarget(event=event, estate=e) for e in estates])
        EventTheme.objects.bulk_create([EventTheme(event=event, violation_code=c) for c in codes])
        event_record(
            record=event,
            actor=actor,
            action="planned",
            to_state=EventStatus.PLANNED,
            at=moment,
            data={
                "kind": kind,
                "title": event.title,
                "estates": [e.name for e in estates],
                "themes": codes,
            },
        )
    return event


def _check_manage_event(actor: Any, event: OutreachEvent) -> None:
    if actor is not None and not may_manage_event(actor, event):
        raise PermissionDenied(_("You may not change this event."))


def event_update(
    *,
    actor: Any,
    event: OutreachEvent,
    estates: Sequence[Estate] | None = None,
    themes: Iterable[str] | None = None,
    at: dt.datetime | None = None,
    **changes: Any,
) -> OutreachEvent:
    """Change a planned event (its target estates and themes too)."""
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    moment = _now(at)
    _check_manage_event(actor, event)
    with transaction.atomic():
        locked = OutreachEvent.objects.select_for_update().get(pk=event.pk)
        if locked.status != EventStatus.PLANNED:
            raise TransitionRefused(_("Only a planned event can be changed."))
        data = {f: getattr(locked, f) for f in EVENT_FIELDS}
        data.update({k: v.strip() if isinstance(v, str) else v for k, v in changes.items()})
        _check_event(data)
        changed: dict[str, Any] = {
            f: [_jsonable(getattr(locked, f)), _jsonable(v)]
            for f, v in data.items()
            if getattr(locked, f) != v
        }
        if estates is not None:
            estates = list(dict.fromkeys(estates))
            if actor is not None and not may_plan_for(actor, estates, locked.district_id):
                raise PermissionDenied(
                    _("You may plan events only for estates of your own subdistrict.")
                )
            if any(e.district_id != locked.district_id for e in estates):
                raise ValidationError(_("Every target estate must be in the district."))
            before = set(locked.targets.values_list("estate_id", flat=True))
            after = {e.pk for e in estates}
            if before != after:
                locked.targets.exclude(estate_id__in=after).delete()
                EventTarget.objects.bulk_create(
                    [EventTarget(event=locked, estate=e) for e in estates if e.pk not in before]
                )
                changed["estates"] = [e.name for e in estates]
        if themes is not None:
            codes = _check_themes(themes)
            if codes != sorted(locked.theme_codes):
                locked.themes.all().delete()
                EventTheme.objects.bulk_create(
                    [EventTheme(event=locked, violation_code=c) for c in codes]
                )
                changed["themes"] = codes
        if not changed:
            return locked
        for field, value in data.items():
            setattr(locked, field, value)
        locked.save()
        event_record(record=locked, actor=actor, action="updated", at=moment, data=changed)
    return locked


def event_hold(
    *,
    actor: Any,
    event: OutreachEvent,
    attendance: int | None = None,
    per_estate: Mapping[int, int | None] | None = None,
    uploads: Sequence[UploadedFile] = (),
    note: str = "",
    at: dt.datetime | None = None,
) -> OutreachEvent:
    """Record that the event took place: attendance (in total, per target estate), materials.
    Without a total, the sum of the estates' attendance is the total."""
    moment = _now(at)
    _check_manage_event(actor, event)
    attachments_validate(uploads)
    with transaction.atomic():
        locked = OutreachEvent.objects.select_for_update().get(pk=event.pk)
        _move(locked.status, EventStatus.HELD, EVENT_TRANSITIONS, EventStatus)
        if locked.starts_at > moment:
            raise TransitionRefused(_("The event has not taken place yet."))
        per = {}
        targets = {t.estate_id: t for t in locked.targets.all()}
        for estate_id, value in (per_estate or {}).items():
            if estate_id not in targets:
                raise ValidationError(_("Attendance is recorded only for target estates."))
            if value is not None and value < 0:
                raise ValidationError(_("Attendance cannot be negative."))
            targets[estate_id].attendance = value
            per[estate_id] = value
        if per:
            EventTarget.objects.bulk_update(list(targets.values()), ["attendance"])
        known = [v for v in per.values() if v is not None]
        if attendance is None and known:
            attendance = sum(known)
        if attendance is not None and attendance < sum(known):
            raise ValidationError(
                _("The total attendance is smaller than the sum of the estates' attendance.")
            )
        locked.status = EventStatus.HELD
        locked.attendance = attendance
        locked.save(update_fields=["status", "attendance"])
        ev = event_record(
            record=locked,
            actor=actor,
            action="held",
            from_state=EventStatus.PLANNED,
            to_state=EventStatus.HELD,
            reason=note.strip(),
            at=moment,
            data={
                "attendance": attendance,
                "per_estate": {targets[k].estate.name: v for k, v in per.items()},
            },
        )
        if uploads:
            attachments_store(record=locked, event=ev, uploads=uploads, actor=actor, at=moment)
    return locked


def event_cancel(
    *, actor: Any, event: OutreachEvent, reason: str, at: dt.datetime | None = None
) -> OutreachEvent:
    moment = _now(at)
    _check_manage_event(actor, event)
    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling."))
    with transaction.atomic():
        locked = OutreachEvent.objects.select_for_update().get(pk=event.pk)
        _move(locked.status, EventStatus.CANCELLED, EVENT_TRANSITIONS, EventStatus)
        previous = locked.status
        locked.status = EventStatus.CANCELLED
        locked.save(update_fields=["status"])
        event_record(
            record=locked,
            actor=actor,
            action="cancelled",
            from_state=previous,
            to_state=EventStatus.CANCELLED,
            reason=reason.strip(),
            at=moment,
        )
    return locked


def event_materials_add(
    *,
    actor: Any,
    event: OutreachEvent,
    uploads: Sequence[UploadedFile],
    note: str = "",
    at: dt.datetime | None = None,
) -> OutreachEvent:
    """Add materials (slides, leaflets, photos, the video) to an event."""
    moment = _now(at)
    _check_manage_event(actor, event)
    if not uploads:
        raise ValidationError(_("Choose at least one file."))
    attachments_validate(uploads)
    with transaction.atomic():
        locked = OutreachEvent.objects.select_for_update().get(pk=event.pk)
        ev = event_record(
            record=locked,
            actor=actor,
            action="materials",
            reason=note.strip(),
            at=moment,
            data={"files": [u.name for u in uploads]},
        )
        attachments_store(record=locked, event=ev, uploads=uploads, actor=actor, at=moment)
    return locked


# ---------------------------------------------------------------------------------------------
# Trainings


def _invitations(
    training: Training, companies: Iterable[PropertyCompany]
) -> list[TrainingAttendance]:
    """One row for each company as such and one for each of its project managers."""
    companies = list(companies)
    managers: dict[int, list[ProjectManager]] = {}
    for m in ProjectManager.objects.filter(company__in=companies).order_by("name"):
        managers.setdefault(m.company_id, []).append(m)
    rows = []
    for company in companies:
        rows.append(TrainingAttendance(training=training, company=company))
        rows.extend(
            TrainingAttendance(training=training, company=company, manager=m)
            for m in managers.get(company.pk, [])
        )
    return rows


def _check_training(data: Mapping[str, Any], organisers: Sequence[Department]) -> None:
    if not (data.get("title") or "").strip():
        raise ValidationError(_("The title is required."))
    if data.get("starts_at") is None:
        raise ValidationError(_("The date and time are required."))
    if not organisers:
        raise ValidationError(_("Choose at least one organising unit."))


def training_plan(
    *,
    actor: Any,
    title: str,
    starts_at: dt.datetime,
    organisers: Sequence[Department],
    companies: Sequence[PropertyCompany],
    place: str = "",
    topic: str = "",
    notes: str = "",
    district: District | None = None,
    is_demo: bool = False,
    at: dt.datetime | None = None,
) -> Training:
    """Plan a session and invite companies (and so their project managers)."""
    moment = _now(at)
    organisers = list(dict.fromkeys(organisers))
    companies = list(dict.fromkeys(companies))
    if actor is not None:
        if not may_plan_trainings(actor):
            raise PermissionDenied(_("You may not plan trainings."))
        if actor.role == Role.LIAISON and actor.department_id not in {d.pk for d in organisers}:
            raise PermissionDenied(_("Your department must be one of the organisers."))
    district = district or _district_of(actor, [])
    data = {
        "title": title.strip(),
        "starts_at": starts_at,
        "place": place.strip(),
        "topic": topic.strip(),
        "notes": notes.strip(),
    }
    _check_training(data, organisers)
    if not companies:
        raise ValidationError(_("Invite at least one property company."))
    with transaction.atomic():
        training = Training.objects.create(
            district=district, created_by=actor, created_at=moment, is_demo=is_demo, **data
        )
        training.organisers.set(organisers)
        TrainingAttendance.objects.bulk_create(_invitations(training, companies))
        event_record(
            record=training,
            actor=actor,
            action="planned",
            to_state=TrainingStatus.PLANNED,
            at=moment,
            data={
                "title": training.title,
                "organisers": [str(d) for d in organisers],
                "companies": [c.name for c in companies],
            },
        )
    return training


def _check_manage_training(actor: Any, training: Training) -> None:
    if actor is not None and not may_manage_training(actor, training):
        raise PermissionDenied(_("You may not change this training session."))


def training_update(
    *,
    actor: Any,
    training: Training,
    organisers: Sequence[Department] | None = None,
    companies: Sequence[PropertyCompany] | None = None,
    at: dt.datetime | None = None,
    **changes: Any,
) -> Training:
    """Change a planned session; companies no longer invited lose their rows, new ones get
    theirs."""
    unknown = set(changes) - set(TRAINING_FIELDS)
    if unknown:
        raise TypeError(f"unknown training fields: {sorted(unknown)}")
    moment = _now(at)
    _check_manage_training(actor, training)
    with transaction.atomic():
        locked = Training.objects.select_for_update().get(pk=training.pk)
        if locked.status != TrainingStatus.PLANNED:
            raise TransitionRefused(_("Only a planned session can be changed."))
        data = {f: getattr(locked, f) for f in TRAINING_FIELDS}
        data.update({k: v.strip() if isinstance(v, str) else v for k, v in changes.items()})
        current_orgs = list(locked.organisers.all())
        new_orgs = list(dict.fromkeys(organisers)) if organisers is not None else current_orgs
        _check_training(data, new_orgs)
        if (
            actor is not None
            and actor.role == Role.LIAISON
            and actor.department_id not in {d.pk for d in new_orgs}
        ):
            raise PermissionDenied(_("Your department must be one of the organisers."))
        changed: dict[str, Any] = {
            f: [_jsonable(getattr(locked, f)), _jsonable(v)]
            for f, v in data.items()
            if getattr(locked, f) != v
        }
        if {d.pk for d in new_orgs} != {d.pk for d in current_orgs}:
            locked.organisers.set(new_orgs)
            changed["organisers"] = [str(d) for d in new_orgs]
        if companies is not None:
            if not companies:
                raise ValidationError(_("Invite at least one property company."))
            before = set(locked.attendances.values_list("company_id", flat=True))
            after = {c.pk for c in companies}
            if before != after:
                locked.attendances.exclude(company_id__in=after).delete()
                TrainingAttendance.objects.bulk_create(
                    _invitations(locked, [c for c in companies if c.pk not in before])
                )
                changed["companies"] = [c.name for c in companies]
        if not changed:
            return locked
        for field, value in data.items():
            setattr(locked, field, value)
        locked.save()
        event_record(record=locked, actor=actor, action="updated", at=moment, data=changed)
    return locked


def training_attendance_record(
    *,
    actor: Any,
    training: Training,
    marks: Mapping[int, str],
    notes: Mapping[int, str] | None = None,
    at: dt.datetime | None = None,
) -> Training:
    """Record who came (attendance row id → present / absent / excused). A planned session
    becomes held; a cancelled or future one is refused."""
    moment = _now(at)
    _check_manage_training(actor, training)
    notes = notes or {}
    allowed = {Presence.PRESENT, Presence.ABSENT, Presence.EXCUSED, Presence.INVITED}
    with transaction.atomic():
        locked = Training.objects.select_for_update().get(pk=training.pk)
        if locked.status == TrainingStatus.CANCELLED:
            raise TransitionRefused(_("The session was cancelled: no attendance to record."))
        if locked.starts_at > moment:
            raise TransitionRefused(_("The session has not taken place yet."))
        rows = {r.pk: r for r in locked.attendances.select_related("company", "manager")}
        changed: dict[str, str] = {}
        for pk, presence in marks.items():
            row = rows.get(pk)
            if row is None:
                raise ValidationError(_("Attendance is recorded only for those invited."))
            if presence not in allowed:
                raise ValidationError(_("Choose present, absent or excused."))
            note = (notes.get(pk) or "").strip()[:200]
            if row.presence != presence or row.note != note:
                row.presence = presence
                row.note = note
                who = row.manager.name if row.manager else row.company.name
                changed[who] = presence
        TrainingAttendance.objects.bulk_update(list(rows.values()), ["presence", "note"])
        from_state = locked.status
        if from_state == TrainingStatus.PLANNED:
            _move(from_state, TrainingStatus.HELD, TRAINING_TRANSITIONS, TrainingStatus)
            locked.status = TrainingStatus.HELD
            locked.save(update_fields=["status"])
        elif not changed:
            return locked
        event_record(
            record=locked,
            actor=actor,
            action="attendance",
            from_state=from_state if from_state != locked.status else "",
            to_state=locked.status if from_state != locked.status else "",
            at=moment,
            data={"changed": changed},
        )
    return locked


def training_cancel(
    *, actor: Any, training: Training, reason: str, at: dt.datetime | None = None
) -> Training:
    moment = _now(at)
    _check_manage_training(actor, training)
    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling."))
    with transaction.atomic():
        locked = Training.objects.select_for_update().get(pk=training.pk)
        _move(locked.status, TrainingStatus.CANCELLED, TRAINING_TRANSITIONS, TrainingStatus)
        previous = locked.status
        locked.status = TrainingStatus.CANCELLED
        locked.save(update_fields=["status"])
        event_record(
            record=locked,
            actor=actor,
            action="cancelled",
            from_state=previous,
            to_state=TrainingStatus.CANCELLED,
            reason=reason.strip(),
            at=moment,
        )
    return locked

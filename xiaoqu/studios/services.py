"""Writes of the community studio: members, activities and member reports. Every write takes
the acting user, checks who may make it and records an audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.audit.services import event_record
from xiaoqu.estates.models import Estate, Studio
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.intake.services import complaint_create
from xiaoqu.law.models import ViolationType

from .choices import ActivityKind, MemberKind, ReportKind
from .models import StudioActivity, StudioMember, StudioReport
from .permissions import may_manage, may_report

MEMBER_FIELDS = ("kind", "name", "organisation", "estate", "phone", "user", "joined_on")
ACTIVITY_FIELDS = ("kind", "title", "starts_at", "place", "estate", "notes", "outcome")


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _check_manage(actor: User | None, studio: Studio) -> None:
    if actor is not None and not may_manage(actor, studio):
        raise PermissionDenied(_("You may not manage this studio."))


def _check_estate(studio: Studio, estate: Estate | None) -> None:
    if estate is not None and not studio.estates.filter(pk=estate.pk).exists():
        raise ValidationError(
            _("%(estate)s is not one of the studio's estates.") % {"estate": estate.name}
        )


def _check_member(studio: Studio, data: dict[str, Any], member: StudioMember | None) -> None:
    if data.get("kind") not in MemberKind.values:
        raise ValidationError(_("Choose the kind of member."))
    if not (data.get("name") or "").strip():
        raise ValidationError(_("The member's name is required."))
    _check_estate(studio, data.get("estate"))
    user = data.get("user")
    if user is not None:
        if user.role != Role.STUDIO_MEMBER or user.studio_id != studio.pk:
            raise ValidationError(
                _("Only an account of a member of this studio can be linked (role studio member).")
            )
        taken = StudioMember.objects.filter(user=user)
        if member is not None:
            taken = taken.exclude(pk=member.pk)
        if taken.exists():
            raise ValidationError(
                _("The account %(user)s is already linked to another member.") % {"user": user}
            )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def member_create(
    *,
    actor: User | None,
    studio: Studio,
    kind: str,
    name: str,
    organisation: str = "",
    estate: Estate | None = None,
    phone: str = "",
    user: User | None = None,
    joined_on: dt.date | None = None,
    is_demo: bool = False,
    at: dt.datetime | None = None,
) -> StudioMember:
    moment = _now(at)
    _check_manage(actor, studio)
    data = {
        "kind": kind,
        "name": name.strip(),
        "organisation": organisation.strip(),
        "estate": estate,
        "phone": phone.strip(),
        "user": user,
        "joined_on": joined_on or timezone.localtime(moment).date(),
    }
    _check_member(studio, data, None)
    with transaction.atomic():
        member = StudioMember.objects.create(studio=studio, is_demo=is_demo, **data)
        event_record(
            record=member,
            actor=actor,
            action="created",
            to_state="active",
            at=moment,
            data={"studio": studio.name, "kind": kind, "name": member.name},
        )
    return member


def member_update(
    *, actor: User | None, member: StudioMember, at: dt.datetime | None = None, **changes: Any
) -> StudioMember:
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    moment = _now(at)
    _check_manage(actor, member.studio)
    with transaction.atomic():
        locked = StudioMember.objects.select_for_update().get(pk=member.pk)
        data = {f: getattr(locked, f) for f in MEMBER_FIELDS}
        data.update({k: v.strip() if isinstance(v, str) else v for k, v in changes.items()})
        _check_member(locked.studio, data, locked)
        changed = {
            f: [_jsonable(getattr(locked, f)), _jsonable(v)]
            for f, v in data.items()
            if getattr(locked, f) != v
        }
        if not changed:
            return locked
        for field, value in data.items():
            setattr(locked, field, value)
        locked.save()
        event_record(record=locked, actor=actor, action="updated", at=moment, data=changed)
    return locked


def member_deactivate(
    *, actor: User | None, member: StudioMember, reason: str = "", at: dt.datetime | None = None
) -> StudioMember:
    """The member leaves the studio: kept in the record, no longer listed as active."""
    moment = _now(at)
    _check_manage(actor, member.studio)
    with transaction.atomic():
        locked = StudioMember.objects.select_for_update().get(pk=member.pk)
        if not locked.active:
            raise ValidationError(_("The member is already inactive."))
        locked.active = False
        locked.left_on = timezone.localtime(moment).date()
        locked.save(update_fields=["active", "left_on"])
        event_record(
            record=locked,
            actor=actor,
            action="deactivated",
            from_state="active",
            to_state="inactive",
            reason=reason.strip(),
            at=moment,
        )
    return locked


def member_reactivate(
    *, actor: User | None, member: StudioMember, at: dt.datetime | None = None
) -> StudioMember:
    moment = _now(at)
    _check_manage(actor, member.studio)
    with transaction.atomic():
        locked = StudioMember.objects.select_for_update().get(pk=member.pk)
        if locked.active:
            raise ValidationError(_("The member is already active."))
        locked.active = True
        locked.left_on = None
        locked.save(update_fields=["active", "left_on"])
        event_record(
            record=locked,
            actor=actor,
            action="reactivated",
            from_state="inactive",
            to_state="active",
            at=moment,
        )
    return locked


def _check_activity(studio: Studio, data: dict[str, Any]) -> None:
    if data.get("kind") not in ActivityKind.values:
        raise ValidationError(_("Choose the kind of activity."))
    if not (data.get("title") or "").strip():
        raise ValidationError(_("The title is required."))
    if data.get("starts_at") is None:
        raise ValidationError(_("The start time is required."))
    _check_estate(studio, data.get("estate"))


def activity_create(
    *,
    actor: User | None,
    studio: Studio,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    estate: Estate | None = None,
    notes: str = "",
    outcome: str = "",
    participants: int | None = None,
    is_demo: bool = False,
    at: dt.datetime | None = None,
) -> StudioActivity:
    moment = _now(at)
    _check_manage(actor, studio)
    data = {
        "kind": kind,
        "title": title.strip(),
        "starts_at": starts_at,
        "place": place.strip(),
        "estate": estate,
        "notes": notes.strip(),
        "outcome": outcome.strip(),
    }
    _check_activity(studio, data)
    with transaction.atomic():
        activity = StudioActivity.objects.create(
            studio=studio, participants=participants, created_by=actor, is_demo=is_demo, **data
        )
        event_record(
            record=activity,
            actor=actor,
            action="created",
            at=moment,
            data={"studio": studio.name, "kind": kind, "title": activity.title},
        )
    return activity


def activity_update(
    *,
    actor: User | None,
    activity: StudioActivity,
    at: dt.datetime | None = None,
    **changes: Any,
) -> StudioActivity:
    allowed = set(ACTIVITY_FIELDS) | {"participants"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    moment = _now(at)
    _check_manage(actor, activity.studio)
    with transaction.atomic():
        locked = StudioActivity.objects.select_for_update().get(pk=activity.pk)
        data = {f: getattr(locked, f) for f in allowed}
        data.update({k: v.strip() if isinstance(v, str) else v for k, v in changes.items()})
        _check_activity(locked.studio, data)
        changed = {
            f: [_jsonable(getattr(locked, f)), _jsonable(v)]
            for f, v in data.items()
            if getattr(locked, f) != v
        }
        if not changed:
            return locked
        for field, value in data.items():
            setattr(locked, field, value)
        locked.save()
        action = "outcome_recorded" if set(changed) <= {"outcome", "participants"} else "updated"
        event_record(record=locked, actor=actor, action=action, at=moment, data=changed)
    return locked


def report_create(
    *,
    actor: User,
    estate: Estate,
    content: str,
    violation_type: ViolationType | None = None,
    address: str = "",
    kind: str = ReportKind.EARLY_SIGN,
    uploads: Sequence[UploadedFile] = (),
    received_at: dt.datetime | None = None,
    is_demo: bool = False,
    at: dt.datetime | None = None,
) -> StudioReport:
    """A studio member reports what they saw at one of the studio's estates. It enters the
    loop as a complaint of the studio channel (a lead is raised or the open matter counted)
    and is linked to the member, marked as an early sign or a violation under way."""
    if not may_report(actor):
        raise PermissionDenied(_("Only a member of a community studio can report here."))
    if kind not in ReportKind.values:
        raise ValidationError(_("Choose what kind of report it is."))
    studio = actor.studio
    assert studio is not None
    moment = _now(at)
    with transaction.atomic():
        complaint: Complaint = complaint_create(
            actor=actor,
            channel=Channel.STUDIO,
            content=content,
            estate=estate,
            violation_type=violation_type,
            address=address,
            reporter_name=actor.name or actor.username,
            reporter_phone=actor.phone,
            reporter_studio=studio,
            uploads=uploads,
            received_at=received_at,
            at=moment,
        )
        if is_demo:
            Complaint.objects.filter(pk=complaint.pk).update(is_demo=True)
            if complaint.lead_id is not None:
                Lead.objects.filter(pk=complaint.lead_id, is_demo=False).update(is_demo=True)
            complaint.is_demo = True
        member = StudioMember.objects.filter(user=actor, studio=studio).first()
        report = StudioReport.objects.create(
            studio=studio,
            complaint=complaint,
            reporter=actor,
            member=member,
            kind=kind,
            created_at=received_at or moment,
            is_demo=is_demo,
        )
    return report

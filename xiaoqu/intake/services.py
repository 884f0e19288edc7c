"""Writes of the complaint-to-verification loop. Every change goes through
`core.workflow.transition` (locked row, checked move, recomputed deadline, chained event)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.accounts.roles import is_dispatcher, is_officer_of, may_report, may_see_contacts
from xiaoqu.audit.services import (
    attachments_store,
    attachments_validate,
    event_record,
    notify,
    personal_data_access_record,
)
from xiaoqu.core.numbers import number_format, number_next
from xiaoqu.core.workflow import TransitionRefused, deadline_update, transition
from xiaoqu.departments.choices import DepartmentKind
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate
from xiaoqu.law.models import DeadlineRule, ViolationType
from xiaoqu.law.workdays import deadline_for, deadline_rule_in_force
from xiaoqu.regions.models import District, Subdistrict

from .choices import OPEN_LEAD_STATUSES, Channel, InspectionKind, LeadStatus, Outcome, PartyKind
from .models import Complaint, Inspection, Lead
from .workflow import LEAD_WORKFLOW


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def default_district() -> District:
    return District.objects.get(code=settings.XIAOQU_DEFAULT_DISTRICT)


# ---------------------------------------------------------------------------------------------
# Intake


def reply_rule_for(channel: str, *, on: dt.date) -> DeadlineRule:
    """A 12345 work order follows the hotline's rule; every other report the reply rule of the
    enforcement regulation (5 working days)."""
    code = "hotline_general" if channel == Channel.HOTLINE else "report_reply"
    return deadline_rule_in_force(code, on=on)


def open_lead_for(*, estate: Estate | None, violation_type: ViolationType | None) -> Lead | None:
    """The open matter a new complaint repeats: same estate, same violation type, still open."""
    if estate is None or violation_type is None:
        return None
    return (
        Lead.objects.filter(
            estate=estate, violation_type__code=violation_type.code, status__in=OPEN_LEAD_STATUSES
        )
        .order_by("received_at", "pk")
        .first()
    )


def lead_owners(lead: Lead) -> list[User]:
    """Who is told about a lead: its subdistrict's officers once dispatched, else the
    dispatchers of the district."""
    if lead.status != LeadStatus.PENDING_DISPATCH and lead.subdistrict_id is not None:
        officers = list(
            User.objects.filter(
                role=Role.OFFICER, subdistrict_id=lead.subdistrict_id, is_active=True
            )
        )
        if officers:
            return officers
    return list(
        User.objects.filter(role=Role.DISPATCHER, district_id=lead.district_id, is_active=True)
    )


def complaint_create(
    *,
    actor: User | None,
    channel: str,
    content: str,
    received_at: dt.datetime | None = None,
    external_no: str = "",
    address: str = "",
    estate: Estate | None = None,
    subdistrict: Subdistrict | None = None,
    violation_type: ViolationType | None = None,
    ongoing: bool = False,
    reporter_name: str = "",
    reporter_phone: str = "",
    anonymous: bool = False,
    reporter_company: Any = None,
    reporter_studio: Any = None,
    dissuaded_at: dt.datetime | None = None,
    dissuasion: str = "",
    district: District | None = None,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Complaint:
    """Record an incoming complaint, and attach it to the open matter it repeats or raise a
    new lead for it. Returns the complaint (its `lead` is set)."""
    moment = _now(at)
    received = received_at or moment
    content = content.strip()
    if not content:
        raise ValidationError(_("The content of the complaint is required."))
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel: %(channel)s.") % {"channel": channel})
    if actor is not None and not may_report(actor):
        raise ValidationError(_("Your role cannot enter complaints."))
    if received > moment + dt.timedelta(minutes=5):
        raise ValidationError(_("The time received cannot be in the future."))
    if estate is not None:
        subdistrict = estate.subdistrict or subdistrict
    if actor is not None and actor.role == Role.PROPERTY_STAFF:
        channel, reporter_company = Channel.PROPERTY_COMPANY, actor.property_company
        if estate is None or estate.property_company_id != actor.property_company_id:
            raise ValidationError(
                _("A property company reports about the estates it manages: choose one of them.")
            )
    if actor is not None and actor.role == Role.STUDIO_MEMBER:
        channel, reporter_studio = Channel.STUDIO, actor.studio
        studio = actor.studio
        if estate is None or studio is None or not studio.estates.filter(pk=estate.pk).exists():
            raise ValidationError(
                _("A community studio reports about the estates it covers: choose one of them.")
            )
    if actor is not None and actor.role in (Role.OFFICER, Role.SUBDISTRICT_MANAGER):
        if subdistrict is not None and subdistrict.pk != actor.subdistrict_id:
            raise ValidationError(_("You can only enter complaints about your own subdistrict."))
        subdistrict = subdistrict or actor.subdistrict
    external_no = external_no.strip()
    if external_no and Complaint.objects.filter(external_no=external_no).exists():
        raise ValidationError(
            _("Work order %(no)s has already been recorded.") % {"no": external_no}
        )
    attachments_validate(uploads)
    district = (
        district
        or (estate.district if estate else None)
        or (subdistrict.district if subdistrict else None)
        or default_district()
    )
    has_reporter = bool(
        reporter_phone.strip() or (reporter_name.strip() and not anonymous)
    ) or channel in (Channel.PROPERTY_COMPANY, Channel.STUDIO)
    with transaction.atomic():
        number = number_format(
            prefix="TS", year=received.year, value=number_next(name="complaint", year=received.year)
        )
        complaint = Complaint(
            number=number,
            channel=channel,
            external_no=external_no,
            received_at=received,
            content=content,
            address=address.strip(),
            district=district,
            subdistrict=subdistrict,
            estate=estate,
            violation_type=violation_type,
            ongoing=ongoing,
            reporter_name=reporter_name.strip(),
            reporter_phone=reporter_phone.strip(),
            anonymous=anonymous,
            reporter_company=reporter_company,
            reporter_studio=reporter_studio,
            dissuaded_at=dissuaded_at,
            dissuasion=dissuasion.strip(),
            entered_by=actor,
        )
        if has_reporter and channel != Channel.PATROL:
            rule = reply_rule_for(channel, on=timezone.localtime(received).date())
            complaint.reply_rule = rule
            complaint.reply_due_at = deadline_for(rule.code, received)
        complaint.save()
        received_event = event_record(
            record=complaint,
            actor=actor,
            action="received",
            to_state="received",
            at=moment,
            data={"channel": channel, "external_no": external_no},
        )
        if uploads:
            attachments_store(
                record=complaint, event=received_event, uploads=uploads, actor=actor, at=moment
            )
        from xiaoqu.triage.services import triage_after_lead, triage_complaint

        # Triage fills the estate and type left empty and may name the matter it repeats.
        triaged = triage_complaint(complaint, actor=actor, at=moment)
        estate, violation_type = complaint.estate, complaint.violation_type
        lead = (triaged.repeat_lead if triaged else None) or open_lead_for(
            estate=estate, violation_type=violation_type
        )
        created = lead is None
        if lead is not None:
            _attach_repeat(complaint=complaint, lead=lead, actor=actor, at=moment)
        else:
            lead = _lead_create(complaint=complaint, actor=actor, at=moment)
        complaint.lead = lead
        complaint.save(update_fields=["lead", "is_repeat"])
        triage_after_lead(complaint=complaint, triaged=triaged, created=created, at=moment)
        from xiaoqu.renovations.services import renovation_check_complaint

        # A renovation complaint naming a unit is checked against the renovation register.
        renovation_check_complaint(complaint=complaint, at=moment)
    return complaint


def _lead_create(*, complaint: Complaint, actor: User | None, at: dt.datetime) -> Lead:
    year = complaint.received_at.year
    lead = Lead(
        number=number_format(prefix="XS", year=year, value=number_next(name="lead", year=year)),
        district=complaint.district,
        subdistrict=complaint.subdistrict,
        estate=complaint.estate,
        address=complaint.address,
        violation_type=complaint.violation_type,
        summary=complaint.content[:2000],
        ongoing=complaint.ongoing,
        received_at=complaint.received_at,
        complaint_count=1,
    )
    deadline_update(workflow=LEAD_WORKFLOW, record=lead, at=at)
    lead.save()
    event_record(
        record=lead,
        actor=actor,
        action="created",
        to_state=lead.status,
        at=at,
        data={"complaint": complaint.number, "channel": complaint.channel},
    )
    event_record(
        record=complaint, actor=actor, action="lead_created", at=at, data={"lead": lead.number}
    )
    return lead


def _attach_repeat(
    *, complaint: Complaint, lead: Lead, actor: User | None, at: dt.datetime
) -> None:
    complaint.is_repeat = True

    def count(locked: Lead) -> dict[str, Any]:
        locked.complaint_count = F("complaint_count") + 1
        return {"complaint": complaint.number}

    locked, _event = transition(
        workflow=LEAD_WORKFLOW,
        record=lead,
        move="complaint_attached",
        actor=actor,
        apply=count,
        at=at,
    )
    locked.refresh_from_db(fields=["complaint_count"])
    event_record(
        record=complaint,
        actor=actor,
        action="linked",
        at=at,
        data={"lead": lead.number, "repeat": True},
    )
    notify(
        recipients=lead_owners(locked),
        text=_("Repeat complaint %(complaint)s about open lead %(lead)s (%(n)d complaints so far).")
        % {"complaint": complaint.number, "lead": lead.number, "n": locked.complaint_count},
        link=lead.get_absolute_url(),
        at=at,
    )


# ---------------------------------------------------------------------------------------------
# Dispatch


def enforcement_team(subdistrict: Subdistrict) -> Department:
    team = (
        Department.objects.filter(
            district_id=subdistrict.district_id,
            subdistrict=subdistrict,
            kind=DepartmentKind.ENFORCEMENT_TEAM,
            is_active=True,
        )
        .order_by("code")
        .first()
    )
    if team is None:
        raise TransitionRefused(
            _("%(subdistrict)s has no enforcement team in the department register.")
            % {"subdistrict": subdistrict}
        )
    return team


def lead_dispatch(
    *,
    lead: Lead,
    actor: User | None,
    subdistrict: Subdistrict | None = None,
    at: dt.datetime | None = None,
) -> Lead:
    """Send a lead to the enforcement team of its subdistrict (chosen here when unknown).
    Without an actor it is triage's automatic dispatch of a confidently triaged complaint."""
    moment = _now(at)
    target = subdistrict or lead.subdistrict
    if target is None:
        raise TransitionRefused(
            _("Choose the subdistrict before dispatching %(lead)s.") % {"lead": lead}
        )
    team = enforcement_team(target)

    def assign(locked: Lead) -> dict[str, Any]:
        locked.subdistrict, locked.team, locked.dispatched_at = target, team, moment
        # The lead's complaints follow it, so that its officers see and answer them.
        Complaint.objects.filter(lead=locked).update(subdistrict=target)
        return {"team": team.name, "subdistrict": target.name}

    move = "dispatch" if actor is not None else "auto_dispatch"
    locked, _event = transition(
        workflow=LEAD_WORKFLOW, record=lead, move=move, actor=actor, apply=assign, at=moment
    )
    notify(
        recipients=lead_owners(locked),
        text=_("New lead %(lead)s dispatched to your team.") % {"lead": locked.number},
        link=locked.get_absolute_url(),
        at=moment,
    )
    return locked


@dataclass
class BulkResult:
    done: list[Lead]
    refused: list[tuple[Lead, str]]


def leads_dispatch(
    *, leads: Iterable[Lead], actor: User, at: dt.datetime | None = None
) -> BulkResult:
    """Dispatch several leads; each is its own transaction, refusals are reported per lead."""
    result = BulkResult(done=[], refused=[])
    for lead in leads:
        try:
            result.done.append(lead_dispatch(lead=lead, actor=actor, at=at))
        except (TransitionRefused, ValidationError) as exc:
            result.refused.append((lead, _message(exc)))
    return result


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    return str(exc)


def lead_reassign(
    *, lead: Lead, actor: User, subdistrict: Subdistrict, at: dt.datetime | None = None
) -> Lead:
    moment = _now(at)
    team = enforcement_team(subdistrict)

    def assign(locked: Lead) -> dict[str, Any]:
        previous = locked.subdistrict.name if locked.subdistrict else ""
        locked.subdistrict, locked.team, locked.dispatched_at = subdistrict, team, moment
        Complaint.objects.filter(lead=locked).update(subdistrict=subdistrict)
        return {"team": team.name, "subdistrict": subdistrict.name, "previous": previous}

    locked, _event = transition(
        workflow=LEAD_WORKFLOW, record=lead, move="reassign", actor=actor, apply=assign, at=moment
    )
    notify(
        recipients=lead_owners(locked),
        text=_("Lead %(lead)s reassigned to your team.") % {"lead": locked.number},
        link=locked.get_absolute_url(),
        at=moment,
    )
    return locked


def lead_return(*, lead: Lead, actor: User, reason: str, at: dt.datetime | None = None) -> Lead:
    """The team sends the lead back to the dispatcher (not its area, wrong address …)."""
    moment = _now(at)

    def clear(locked: Lead) -> None:
        locked.team = None

    locked, _event = transition(
        workflow=LEAD_WORKFLOW,
        record=lead,
        move="return_to_dispatch",
        actor=actor,
        reason=reason,
        apply=clear,
        at=moment,
    )
    notify(
        recipients=lead_owners(locked),
        text=_("Lead %(lead)s was returned: %(reason)s")
        % {"lead": locked.number, "reason": reason},
        link=locked.get_absolute_url(),
        at=moment,
    )
    return locked


# ---------------------------------------------------------------------------------------------
# On site


@dataclass(frozen=True)
class Visit:
    """What an officer records on site."""

    inspected_at: dt.datetime
    place: str
    findings: str
    violation_found: bool
    party_kind: str = PartyKind.UNKNOWN
    party_name: str = ""
    party_uscc: str = ""


def _check_visit(visit: Visit, *, now: dt.datetime) -> None:
    problems = []
    if not visit.place.strip():
        problems.append(_("The place of the visit is required."))
    if not visit.findings.strip():
        problems.append(_("The findings are required."))
    if visit.inspected_at > now + dt.timedelta(minutes=5):
        problems.append(_("The time of the visit cannot be in the future."))
    if visit.party_kind not in PartyKind.values:
        problems.append(_("Unknown kind of party."))
    if visit.party_uscc:
        from xiaoqu.estates.validators import uscc_problem

        problem = uscc_problem(visit.party_uscc.strip().upper())
        if problem:
            problems.append(problem)
    if problems:
        raise ValidationError(problems)


def _inspection(locked: Lead, visit: Visit, kind: str, actor: User) -> Inspection:
    inspection = Inspection.objects.create(
        lead=locked,
        kind=kind,
        inspected_at=visit.inspected_at,
        place=visit.place.strip(),
        party_kind=visit.party_kind,
        party_name=visit.party_name.strip(),
        party_uscc=visit.party_uscc.strip().upper(),
        findings=visit.findings.strip(),
        violation_found=visit.violation_found,
        officer=actor,
    )
    if locked.on_site_at is None:
        locked.on_site_at = visit.inspected_at
    return inspection


def _visit_data(visit: Visit, kind: str) -> dict[str, Any]:
    return {
        "inspection": kind,
        "inspected_at": visit.inspected_at,
        "place": visit.place,
        "party_kind": visit.party_kind,
        "party_name": visit.party_name,
        "findings": visit.findings,
        "violation_found": visit.violation_found,
    }


def _visit_move(
    *,
    lead: Lead,
    actor: User,
    move: str,
    visit: Visit,
    kind: str,
    reason: str = "",
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None,
    before: Any = None,
) -> Lead:
    moment = _now(at)
    _check_visit(visit, now=moment)
    holder: dict[str, Inspection] = {}

    def apply(locked: Lead) -> dict[str, Any]:
        extra = before(locked) if before else None
        holder["inspection"] = _inspection(locked, visit, kind, actor)
        return {**_visit_data(visit, kind), **(extra or {})}

    locked, event = transition(
        workflow=LEAD_WORKFLOW,
        record=lead,
        move=move,
        actor=actor,
        reason=reason,
        apply=apply,
        uploads=uploads,
        at=moment,
    )
    Inspection.objects.filter(pk=holder["inspection"].pk).update(event=event)
    return locked


def lead_record_visit(
    *,
    lead: Lead,
    actor: User,
    visit: Visit,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Lead:
    """Record an on-site visit without deciding yet (the on-site clock stops here)."""
    return _visit_move(
        lead=lead,
        actor=actor,
        move="record_visit",
        visit=visit,
        kind=InspectionKind.VERIFICATION,
        uploads=uploads,
        at=at,
    )


def lead_close_no_violation(
    *,
    lead: Lead,
    actor: User,
    visit: Visit,
    reason: str,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Lead:
    moment = _now(at)

    def close(locked: Lead) -> None:
        locked.outcome, locked.closed_at = Outcome.NO_VIOLATION, moment

    return _visit_move(
        lead=lead,
        actor=actor,
        move="close_no_violation",
        visit=visit,
        reason=reason,
        kind=InspectionKind.VERIFICATION,
        uploads=uploads,
        at=moment,
        before=close,
    )


def lead_order_rectification(
    *,
    lead: Lead,
    actor: User,
    visit: Visit,
    rectify_by: dt.date,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Lead:
    moment = _now(at)
    if rectify_by <= timezone.localtime(moment).date():
        raise ValidationError(_("The rectification date must be after today."))

    def order(locked: Lead) -> dict[str, Any]:
        locked.rectification_due = rectify_by
        return {"rectify_by": rectify_by}

    return _visit_move(
        lead=lead,
        actor=actor,
        move="order_rectification",
        visit=visit,
        kind=InspectionKind.VERIFICATION,
        uploads=uploads,
        at=moment,
        before=order,
    )


def lead_reinspect(
    *,
    lead: Lead,
    actor: User,
    visit: Visit,
    corrected: bool,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Lead:
    """Re-inspection after the rectification date: corrected → closed; not corrected → filing."""
    moment = _now(at)

    def outcome(locked: Lead) -> None:
        if corrected:
            locked.outcome, locked.closed_at = Outcome.RECTIFIED, moment
        else:
            locked.outcome = Outcome.TO_FILING

    move = "reinspect_corrected" if corrected else "reinspect_not_corrected"
    return _visit_move(
        lead=lead,
        actor=actor,
        move=move,
        visit=visit,
        kind=InspectionKind.REINSPECTION,
        uploads=uploads,
        at=moment,
        before=outcome,
    )


def lead_hand_to_filing(
    *, lead: Lead, actor: User, reason: str, at: dt.datetime | None = None
) -> Lead:
    def outcome(locked: Lead) -> None:
        locked.outcome = Outcome.TO_FILING

    locked, _event = transition(
        workflow=LEAD_WORKFLOW,
        record=lead,
        move="hand_to_filing",
        actor=actor,
        reason=reason,
        apply=outcome,
        at=at,
    )
    return locked


def lead_merge(*, lead: Lead, into: Lead, actor: User, at: dt.datetime | None = None) -> Lead:
    """Close a lead as a repeat of another open lead; its complaints count on the other."""
    moment = _now(at)
    if into.pk == lead.pk or not into.is_open:
        raise TransitionRefused(_("A lead can only be merged into another open lead."))

    def close(locked: Lead) -> dict[str, Any]:
        locked.outcome, locked.closed_at, locked.repeat_of = Outcome.REPEAT, moment, into
        return {"into": into.number}

    with transaction.atomic():
        locked, _event = transition(
            workflow=LEAD_WORKFLOW,
            record=lead,
            move="merge_as_repeat",
            actor=actor,
            apply=close,
            at=moment,
        )

        def count(target: Lead) -> dict[str, Any]:
            target.complaint_count = F("complaint_count") + locked.complaint_count
            return {"merged": locked.number}

        transition(
            workflow=LEAD_WORKFLOW,
            record=into,
            move="complaint_attached",
            actor=actor,
            apply=count,
            at=moment,
        )
        Complaint.objects.filter(lead=locked).update(is_repeat=True)
    return locked


def lead_reopen(*, lead: Lead, actor: User, reason: str, at: dt.datetime | None = None) -> Lead:
    """Reopen a closed lead (counts as rework)."""

    moment = _now(at)

    def reopen(locked: Lead) -> dict[str, Any]:
        previous = locked.outcome
        locked.reopen_count += 1
        locked.reopened_at = moment  # the verification clock starts again from here
        locked.outcome, locked.closed_at = "", None
        if locked.team_id is None and locked.subdistrict is not None:
            locked.team = enforcement_team(locked.subdistrict)
        return {"previous_outcome": previous}

    locked, _event = transition(
        workflow=LEAD_WORKFLOW,
        record=lead,
        move="reopen",
        actor=actor,
        reason=reason,
        apply=reopen,
        at=moment,
    )
    return locked


# ---------------------------------------------------------------------------------------------
# The reporter


def complaint_reply(
    *, complaint: Complaint, actor: User, text: str, at: dt.datetime | None = None
) -> Complaint:
    """Record the reply given to the reporter (by phone, message or letter)."""
    moment = _now(at)
    text = text.strip()
    if not text:
        raise ValidationError(_("Write what the reporter was told."))
    lead_subdistrict = complaint.lead.subdistrict_id if complaint.lead else complaint.subdistrict_id
    if not (is_dispatcher(actor) or is_officer_of(actor, lead_subdistrict)):
        raise TransitionRefused(
            _("Only the dispatcher or an officer of the subdistrict can record the reply.")
        )
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.replied_at is not None:
            raise TransitionRefused(
                _("The reply to %(complaint)s has already been recorded.") % {"complaint": locked}
            )
        locked.replied_at, locked.reply_text = moment, text
        locked.save(update_fields=["replied_at", "reply_text"])
        on_time = locked.reply_due_at is None or moment <= locked.reply_due_at
        event_record(
            record=locked,
            actor=actor,
            action="replied",
            at=moment,
            reason=text,
            data={"on_time": on_time},
        )
    return locked


def complaint_contact_reveal(
    *, complaint: Complaint, user: User, ip_address: str | None = None
) -> str:
    """The reporter's full phone number, for those who must call back; every view is recorded."""
    subdistrict_id = complaint.lead.subdistrict_id if complaint.lead else complaint.subdistrict_id
    if not complaint.reporter_phone:
        raise TransitionRefused(
            _("No phone number was given for %(complaint)s.") % {"complaint": complaint}
        )
    if not may_see_contacts(user, subdistrict_id):
        raise TransitionRefused(
            _("Your role does not call reporters back: the number stays masked.")
        )
    personal_data_access_record(
        user=user, record=complaint, field="reporter_phone", ip_address=ip_address
    )
    return complaint.reporter_phone

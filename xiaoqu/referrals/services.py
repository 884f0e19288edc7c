"""Writes of referrals and assistance requests, and their consequences on the lead."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.audit.services import attachments_store, attachments_validate, event_record, notify
from xiaoqu.core.numbers import number_format, number_next
from xiaoqu.core.workflow import TransitionRefused, deadline_update, transition
from xiaoqu.departments.models import Department
from xiaoqu.intake.choices import Outcome
from xiaoqu.intake.models import Lead
from xiaoqu.intake.services import enforcement_team, lead_owners
from xiaoqu.intake.workflow import LEAD_WORKFLOW

from .choices import AssistanceKind
from .models import AssistanceRequest, Referral
from .workflow import ASSISTANCE_WORKFLOW, REFERRAL_WORKFLOW


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def liaisons(department: Department) -> list[User]:
    return list(User.objects.filter(role=Role.LIAISON, department=department, is_active=True))


def referral_target_code(department: Department) -> str:
    """The referral target (catalog code) a department answers for, if any."""
    from xiaoqu.law.models import ReferralTarget

    target = (
        ReferralTarget.objects.effective().filter(department=department).order_by("code").first()
    )
    return target.code if target else ""


def _check_department(department: Department, lead: Lead) -> None:
    if not department.is_active or department.district_id != lead.district_id:
        raise ValidationError(_("Choose an active department of the lead's district."))


# ---------------------------------------------------------------------------------------------
# Referrals


def _referral_create(
    *,
    lead: Lead,
    department: Department,
    matter: str,
    target_code: str,
    actor: User,
    at: dt.datetime,
    uploads: Sequence[UploadedFile] = (),
) -> Referral:
    year = at.year
    referral = Referral(
        number=number_format(
            prefix="YJ", year=year, value=number_next(name="referral", year=year), width=5
        ),
        lead=lead,
        department=department,
        target_code=target_code,
        matter=matter.strip(),
        sent_by=actor,
        sent_at=at,
    )
    deadline_update(workflow=REFERRAL_WORKFLOW, record=referral, at=at)
    referral.save()
    event = event_record(
        record=referral,
        actor=actor,
        action="sent",
        to_state=referral.status,
        at=at,
        data={"lead": lead.number, "department": department.name},
    )
    if uploads:
        attachments_store(record=referral, event=event, uploads=uploads, actor=actor, at=at)
    notify(
        recipients=liaisons(department),
        text=_("New referral %(number)s from the enforcement bureau.")
        % {"number": referral.number},
        link=referral.get_absolute_url(),
        at=at,
    )
    return referral


def lead_refer(
    *,
    lead: Lead,
    actor: User,
    department: Department,
    matter: str,
    target_code: str = "",
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Referral:
    """Not ours: refer the matter to the competent department (移交)."""
    moment = _now(at)
    if not matter.strip():
        raise ValidationError(_("Describe the matter referred."))
    _check_department(department, lead)
    attachments_validate(uploads)
    holder: dict[str, Referral] = {}
    with transaction.atomic():

        def refer(locked: Lead) -> dict[str, Any]:
            holder["referral"] = _referral_create(
                lead=locked,
                department=department,
                matter=matter,
                target_code=target_code,
                actor=actor,
                at=moment,
                uploads=uploads,
            )
            return {"referral": holder["referral"].number, "department": department.name}

        transition(
            workflow=LEAD_WORKFLOW, record=lead, move="refer", actor=actor, apply=refer, at=moment
        )
    return holder["referral"]


def referral_receive(*, referral: Referral, actor: User, at: dt.datetime | None = None) -> Referral:
    moment = _now(at)

    def receive(locked: Referral) -> None:
        locked.received_at = moment

    locked, _event = transition(
        workflow=REFERRAL_WORKFLOW,
        record=referral,
        move="receive",
        actor=actor,
        apply=receive,
        at=moment,
    )
    return locked


def referral_answer(
    *,
    referral: Referral,
    actor: User,
    answer: str,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Referral:
    """The department's result; the lead is closed as referred."""
    moment = _now(at)
    if not answer.strip():
        raise ValidationError(_("Write the result of the department's handling."))
    with transaction.atomic():

        def answered(locked: Referral) -> None:
            locked.answer, locked.answered_at = answer.strip(), moment

        locked, _event = transition(
            workflow=REFERRAL_WORKFLOW,
            record=referral,
            move="answer",
            actor=actor,
            apply=answered,
            uploads=uploads,
            at=moment,
        )

        def close(lead: Lead) -> dict[str, Any]:
            lead.outcome, lead.closed_at = Outcome.REFERRED, moment
            return {"referral": locked.number}

        lead, _e = transition(
            workflow=LEAD_WORKFLOW,
            record=locked.lead,
            move="referral_answered",
            actor=actor,
            apply=close,
            at=moment,
        )
    notify(
        recipients=lead_owners(lead),
        text=_("%(department)s answered referral %(number)s.")
        % {"department": locked.department.name, "number": locked.number},
        link=locked.get_absolute_url(),
        at=moment,
    )
    return locked


def referral_return(
    *, referral: Referral, actor: User, reason: str, at: dt.datetime | None = None
) -> Referral:
    """The department says the matter is not its own; the bureau decides what next."""
    moment = _now(at)

    def returned(locked: Referral) -> None:
        locked.returned_at, locked.return_reason = moment, reason.strip()

    locked, _event = transition(
        workflow=REFERRAL_WORKFLOW,
        record=referral,
        move="return",
        actor=actor,
        reason=reason,
        apply=returned,
        at=moment,
    )
    dispatchers = User.objects.filter(
        role=Role.DISPATCHER, district_id=locked.lead.district_id, is_active=True
    )
    notify(
        recipients=dispatchers,
        text=_("%(department)s returned referral %(number)s: %(reason)s")
        % {"department": locked.department.name, "number": locked.number, "reason": reason},
        link=locked.get_absolute_url(),
        at=moment,
    )
    return locked


def referral_resend(
    *, referral: Referral, actor: User, reason: str, at: dt.datetime | None = None
) -> Referral:
    """The bureau insists: the same department again, with the bureau's reasons."""
    moment = _now(at)

    def resend(locked: Referral) -> None:
        locked.sent_at, locked.received_at, locked.returned_at = moment, None, None

    locked, _event = transition(
        workflow=REFERRAL_WORKFLOW,
        record=referral,
        move="resend",
        actor=actor,
        reason=reason,
        apply=resend,
        at=moment,
    )
    notify(
        recipients=liaisons(locked.department),
        text=_("Referral %(number)s sent again: %(reason)s")
        % {"number": locked.number, "reason": reason},
        link=locked.get_absolute_url(),
        at=moment,
    )
    return locked


def referral_withdraw(
    *, referral: Referral, actor: User, reason: str, at: dt.datetime | None = None
) -> Referral:
    """The bureau takes the matter back: the lead returns to verification by the team."""
    moment = _now(at)
    with transaction.atomic():
        locked, _event = transition(
            workflow=REFERRAL_WORKFLOW,
            record=referral,
            move="withdraw",
            actor=actor,
            reason=reason,
            at=moment,
        )
        lead = locked.lead
        if lead.subdistrict_id is None:
            # Referred straight from intake, before any dispatch: back to the dispatcher.
            lead, _e = transition(
                workflow=LEAD_WORKFLOW,
                record=lead,
                move="referral_taken_back_to_dispatch",
                actor=actor,
                reason=reason,
                data={"referral": locked.number},
                at=moment,
            )
        else:
            subdistrict = lead.subdistrict

            def back_to_team(target: Lead) -> dict[str, Any]:
                if target.team_id is None:
                    target.team, target.dispatched_at = enforcement_team(subdistrict), moment
                return {"referral": locked.number}

            lead, _e = transition(
                workflow=LEAD_WORKFLOW,
                record=lead,
                move="referral_taken_back",
                actor=actor,
                reason=reason,
                apply=back_to_team,
                at=moment,
            )
    notify(
        recipients=lead_owners(lead),
        text=_("Lead %(lead)s came back from referral: %(reason)s")
        % {"lead": lead.number, "reason": reason},
        link=lead.get_absolute_url(),
        at=moment,
    )
    return locked


def referral_redirect(
    *,
    referral: Referral,
    actor: User,
    department: Department,
    matter: str = "",
    at: dt.datetime | None = None,
) -> Referral:
    """Refer the returned matter to another department; returns the new referral."""
    moment = _now(at)
    if department.pk == referral.department_id:
        raise ValidationError(_("Choose another department, or send the referral again."))
    _check_department(department, referral.lead)
    with transaction.atomic():
        locked, _event = transition(
            workflow=REFERRAL_WORKFLOW,
            record=referral,
            move="redirect",
            actor=actor,
            data={"department": department.name},
            at=moment,
        )
        new = _referral_create(
            lead=locked.lead,
            department=department,
            matter=matter or locked.matter,
            target_code=referral_target_code(department),
            actor=actor,
            at=moment,
        )
        with transaction.atomic():
            lead = Lead.objects.select_for_update().get(pk=locked.lead_id)
            event_record(
                record=lead,
                actor=actor,
                action="referral_redirected",
                at=moment,
                data={"from": locked.number, "to": new.number, "department": department.name},
            )
    return new


# ---------------------------------------------------------------------------------------------
# Assistance requests


def lead_request_assistance(
    *,
    lead: Lead,
    actor: User,
    department: Department,
    kind: str,
    request: str,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> AssistanceRequest:
    """Ask another department for an act (协助通知书): it must answer in writing within the rule's limit."""
    moment = _now(at)
    if kind not in AssistanceKind.values:
        raise ValidationError(_("Unknown kind of assistance."))
    if not request.strip():
        raise ValidationError(_("Write what is asked of the department."))
    _check_department(department, lead)
    attachments_validate(uploads)
    holder: dict[str, AssistanceRequest] = {}
    with transaction.atomic():

        def ask(locked: Lead) -> dict[str, Any]:
            year = moment.year
            item = AssistanceRequest(
                number=number_format(
                    prefix="XZ", year=year, value=number_next(name="assistance", year=year), width=5
                ),
                lead=locked,
                department=department,
                kind=kind,
                request=request.strip(),
                sent_by=actor,
                sent_at=moment,
            )
            deadline_update(workflow=ASSISTANCE_WORKFLOW, record=item, at=moment)
            item.save()
            event = event_record(
                record=item,
                actor=actor,
                action="sent",
                to_state=item.status,
                at=moment,
                data={"lead": locked.number, "department": department.name, "kind": kind},
            )
            if uploads:
                attachments_store(record=item, event=event, uploads=uploads, actor=actor, at=moment)
            holder["request"] = item
            return {"assistance": item.number, "department": department.name}

        transition(
            workflow=LEAD_WORKFLOW,
            record=lead,
            move="request_assistance",
            actor=actor,
            apply=ask,
            at=moment,
        )
    item = holder["request"]
    notify(
        recipients=liaisons(department),
        text=_("Assistance request %(number)s from the enforcement bureau.")
        % {"number": item.number},
        link=item.get_absolute_url(),
        at=moment,
    )
    return item


def assistance_receive(
    *, request: AssistanceRequest, actor: User, at: dt.datetime | None = None
) -> AssistanceRequest:
    moment = _now(at)

    def receive(locked: AssistanceRequest) -> None:
        locked.received_at = moment

    locked, _event = transition(
        workflow=ASSISTANCE_WORKFLOW,
        record=request,
        move="receive",
        actor=actor,
        apply=receive,
        at=moment,
    )
    return locked


def assistance_answer(
    *,
    request: AssistanceRequest,
    actor: User,
    answer: str,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> AssistanceRequest:
    """The department's written answer; the lead goes back to the officer."""
    moment = _now(at)
    if not answer.strip():
        raise ValidationError(_("Write the department's answer."))
    with transaction.atomic():

        def answered(locked: AssistanceRequest) -> None:
            locked.answer, locked.answered_at = answer.strip(), moment
            if locked.received_at is None:
                locked.received_at = moment

        locked, _event = transition(
            workflow=ASSISTANCE_WORKFLOW,
            record=request,
            move="answer",
            actor=actor,
            apply=answered,
            uploads=uploads,
            at=moment,
        )
        lead, _e = transition(
            workflow=LEAD_WORKFLOW,
            record=locked.lead,
            move="assistance_answered",
            actor=actor,
            data={"assistance": locked.number},
            at=moment,
        )
    notify(
        recipients=lead_owners(lead),
        text=_("%(department)s answered assistance request %(number)s.")
        % {"department": locked.department.name, "number": locked.number},
        link=lead.get_absolute_url(),
        at=moment,
    )
    return locked


def assistance_cancel(
    *, request: AssistanceRequest, actor: User, reason: str, at: dt.datetime | None = None
) -> AssistanceRequest:
    moment = _now(at)
    with transaction.atomic():
        locked, _event = transition(
            workflow=ASSISTANCE_WORKFLOW,
            record=request,
            move="cancel",
            actor=actor,
            reason=reason,
            at=moment,
        )
        transition(
            workflow=LEAD_WORKFLOW,
            record=locked.lead,
            move="assistance_cancelled",
            actor=actor,
            reason=reason,
            data={"assistance": locked.number},
            at=moment,
        )
    notify(
        recipients=liaisons(locked.department),
        text=_("Assistance request %(number)s was cancelled.") % {"number": locked.number},
        link=locked.get_absolute_url(),
        at=moment,
    )
    return locked


__all__ = [
    "TransitionRefused",
    "assistance_answer",
    "assistance_cancel",
    "assistance_receive",
    "lead_refer",
    "lead_request_assistance",
    "referral_answer",
    "referral_receive",
    "referral_redirect",
    "referral_resend",
    "referral_return",
    "referral_withdraw",
]

"""Supervision (督办): deadline extensions approved with a reason, the overdue sweep with its
escalation and urge notices (催办), and manual urging by a supervisor.

The sweep follows Healthchecks: the stored deadlines are read by a command that a timer runs
every few minutes; each item is marked in its own transaction with its row locked and the
guard re-checked, so that two sweeps running at once never mark anything twice."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.accounts.roles import is_supervisor
from xiaoqu.audit.services import event_record, notify
from xiaoqu.cases.choices import OPEN_CASE_STATUSES
from xiaoqu.cases.models import Case
from xiaoqu.cases.workflow import CASE_WORKFLOW
from xiaoqu.core.workflow import TransitionRefused, Workflow, deadline_update, transition
from xiaoqu.intake.choices import OPEN_LEAD_STATUSES, LeadStatus
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.intake.services import lead_owners
from xiaoqu.intake.workflow import LEAD_WORKFLOW
from xiaoqu.law.models import DeadlineRule
from xiaoqu.meetings.choices import OPEN_ACTION_ITEM_STATUSES  # meetings: action items
from xiaoqu.meetings.models import ActionItem  # meetings: action items
from xiaoqu.meetings.workflow import ACTION_ITEM_WORKFLOW  # meetings: action items
from xiaoqu.referrals.choices import (
    OPEN_ASSISTANCE_STATUSES,
    OPEN_REFERRAL_STATUSES,
    ReferralStatus,
)
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.referrals.services import liaisons
from xiaoqu.referrals.workflow import ASSISTANCE_WORKFLOW, REFERRAL_WORKFLOW

from .choices import ExtensionStatus, UrgeKind
from .models import ExtensionRequest, UrgeNotice

logger = logging.getLogger(__name__)

# The workflow records the sweep watches, with the statuses in which their deadline runs.
SWEPT: tuple[tuple[Workflow, frozenset[str]], ...] = (
    (LEAD_WORKFLOW, frozenset(OPEN_LEAD_STATUSES)),
    (REFERRAL_WORKFLOW, frozenset(OPEN_REFERRAL_STATUSES)),
    (ASSISTANCE_WORKFLOW, frozenset(OPEN_ASSISTANCE_STATUSES)),
    (CASE_WORKFLOW, frozenset(OPEN_CASE_STATUSES)),
    # meetings: the action items (督办事项) decided at consultation meetings
    (ACTION_ITEM_WORKFLOW, frozenset(OPEN_ACTION_ITEM_STATUSES)),
)


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime("%Y-%m-%d %H:%M")


def lateness(delta: dt.timedelta) -> str:
    """How late, in words: days when a day or more, else hours, else minutes."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes >= 24 * 60:
        days = minutes // (24 * 60)
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if minutes >= 60:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def supervisors(district_id: int | None) -> list[User]:
    """Whom overdue items are escalated to: the district's dispatchers and bureau leaders."""
    return list(
        User.objects.filter(
            role__in=(Role.DISPATCHER, Role.LEADER), district_id=district_id, is_active=True
        )
    )


def _dispatchers(district_id: int | None) -> list[User]:
    return list(User.objects.filter(role=Role.DISPATCHER, district_id=district_id, is_active=True))


# ---------------------------------------------------------------------------------------------
# Who answers for a record


@dataclass(frozen=True)
class Responsible:
    district_id: int
    subdistrict_id: int | None
    department_id: int | None
    users: list[User]
    label: str  # the unit, for the texts


class People:
    """Who is told, looked up once per unit (a sweep tells the same units many times)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, ...], list[User]] = {}

    def _get(self, key: tuple[Any, ...], load: Any) -> list[User]:
        if key not in self._cache:
            self._cache[key] = list(load())
        return self._cache[key]

    def lead_owners(self, lead: Lead) -> list[User]:
        key = ("lead", lead.status == LeadStatus.PENDING_DISPATCH, lead.subdistrict_id)
        return self._get((*key, lead.district_id), lambda: lead_owners(lead))

    def liaisons(self, department: Any) -> list[User]:
        return self._get(("liaisons", department.pk), lambda: liaisons(department))

    def dispatchers(self, district_id: int | None) -> list[User]:
        return self._get(("dispatchers", district_id), lambda: _dispatchers(district_id))

    def supervisors(self, district_id: int | None) -> list[User]:
        return self._get(("supervisors", district_id), lambda: supervisors(district_id))

    def action_item_unit(self, item: ActionItem) -> list[User]:  # meetings: action items
        from xiaoqu.meetings.services import unit_users

        key = ("action_item_unit", item.department_id, item.subdistrict_id)
        return self._get(
            key, lambda: unit_users(department=item.department, subdistrict=item.subdistrict)
        )


def responsible_for(record: Any, people: People | None = None) -> Responsible:
    """The unit that must act on `record` now, and its users."""
    people = people or People()
    if isinstance(record, Lead):
        return Responsible(
            record.district_id,
            record.subdistrict_id,
            None,
            people.lead_owners(record),
            str(record.subdistrict or _("the command centre")),
        )
    if isinstance(record, Case):
        # the case's subdistrict team (the officers of its lead's subdistrict)
        return Responsible(
            record.district_id,
            record.subdistrict_id,
            None,
            people.lead_owners(record.lead),
            str(record.subdistrict),
        )
    if isinstance(record, Referral | AssistanceRequest):
        lead = record.lead
        if isinstance(record, Referral) and record.status == ReferralStatus.RETURNED:
            # A returned referral waits for the bureau's decision, not the department's.
            return Responsible(
                lead.district_id,
                lead.subdistrict_id,
                None,
                people.dispatchers(lead.district_id),
                str(_("the command centre")),
            )
        return Responsible(
            lead.district_id,
            lead.subdistrict_id,
            record.department_id,
            people.liaisons(record.department),
            record.department.name,
        )
    if isinstance(record, ActionItem):  # meetings: the unit the action item is assigned to
        return Responsible(
            record.district_id,
            record.subdistrict_id,
            record.department_id,
            people.action_item_unit(record),
            str(record.owner),
        )
    if isinstance(record, Complaint):
        if record.lead is not None:
            return Responsible(
                record.district_id,
                record.lead.subdistrict_id or record.subdistrict_id,
                None,
                people.lead_owners(record.lead),
                str(record.lead.subdistrict or _("the command centre")),
            )
        return Responsible(
            record.district_id,
            record.subdistrict_id,
            None,
            people.dispatchers(record.district_id),
            str(_("the command centre")),
        )
    raise TypeError(f"not a supervised record: {record!r}")


def _kind_label(record: Any) -> str:
    if isinstance(record, Complaint):
        return str(_("the reply to the reporter of complaint"))
    return str(record._meta.verbose_name)


def _urge_notice_create(
    *,
    record: Any,
    kind: str,
    text: str,
    due_at: dt.datetime,
    rule: DeadlineRule | None,
    who: Responsible,
    actor: User | None,
    at: dt.datetime,
) -> UrgeNotice:
    return UrgeNotice.objects.create(
        record_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
        record_id=record.pk,
        record_number=record.number,
        kind=kind,
        district_id=who.district_id,
        subdistrict_id=who.subdistrict_id,
        department_id=who.department_id,
        rule=rule,
        text=text,
        due_at=due_at,
        issued_at=at,
        issued_by=actor,
    )


# ---------------------------------------------------------------------------------------------
# The sweep


@dataclass
class SweepResult:
    at: dt.datetime
    leads: list[str] = field(default_factory=list)
    referrals: list[str] = field(default_factory=list)
    assistance: list[str] = field(default_factory=list)
    complaints: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    action_items: list[str] = field(default_factory=list)  # meetings: action items
    notified: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def marked(self) -> int:
        return (
            len(self.leads)
            + len(self.referrals)
            + len(self.assistance)
            + len(self.complaints)
            + len(self.cases)
            + len(self.action_items)
        )


class _NotDue(Exception):
    """The guard no longer holds under the lock: another sweep marked it, or it moved on."""


def _overdue_texts(
    record: Any, who: Responsible, due_at: dt.datetime, at: dt.datetime
) -> tuple[str, str, str]:
    rule: DeadlineRule | None = getattr(record, "due_rule", None) or getattr(
        record, "reply_rule", None
    )
    basis = (
        f"{rule.description}（{rule.source_display}）"
        if rule is not None
        else str(getattr(record, "due_note", "") or _("deadline"))
    )
    values = {
        "what": _kind_label(record),
        "number": record.number,
        "due": _local(due_at),
        "basis": basis,
        "late": lateness(at - due_at),
        "unit": who.label,
    }
    notice = capfirst(
        _("%(what)s %(number)s was due %(due)s under %(basis)s and is %(late)s late.") % values
    )
    to_unit = _("Overdue: %(what)s %(number)s, due %(due)s, %(late)s late. Please act now.") % (
        values
    )
    escalated = (
        _(
            "Escalated: %(what)s %(number)s is overdue (due %(due)s, %(late)s late); responsible: "
            "%(unit)s."
        )
        % values
    )
    return notice, to_unit, escalated


def _mark_workflow_record(
    *,
    workflow: Workflow,
    pk: int,
    open_statuses: frozenset[str],
    at: dt.datetime,
    people: People,
) -> tuple[Any, int] | None:
    """Mark one workflow record overdue; None when the guard fails under the lock."""
    with transaction.atomic():

        def mark(locked: Any) -> dict[str, Any]:
            # The deadline is recomputed first so that a stale stored one is never reported.
            deadline_update(workflow=workflow, record=locked, at=at)
            if (
                getattr(locked, workflow.status_field) not in open_statuses
                or locked.due_at is None
                or locked.due_at >= at
                or locked.overdue_at is not None
            ):
                raise _NotDue
            locked.overdue_at = at
            locked.escalated_at = at
            return {
                "due_at": locked.due_at,
                "rule": locked.due_rule.code if locked.due_rule_id else "",
                "late_minutes": int((at - locked.due_at).total_seconds() // 60),
            }

        try:
            locked, _event = transition(
                workflow=workflow,
                record=workflow.model(pk=pk),
                move="overdue",
                actor=None,
                apply=mark,
                at=at,
            )
        except _NotDue:
            return None
        who = responsible_for(locked, people)
        notice, to_unit, escalated = _overdue_texts(locked, who, locked.due_at, at)
        _urge_notice_create(
            record=locked,
            kind=UrgeKind.OVERDUE,
            text=notice,
            due_at=locked.due_at,
            rule=locked.due_rule,
            who=who,
            actor=None,
            at=at,
        )
        link = locked.get_absolute_url()
        sent = notify(recipients=who.users, text=to_unit, link=link, at=at)
        told = {u.pk for u in who.users}
        sent += notify(
            recipients=[u for u in people.supervisors(who.district_id) if u.pk not in told],
            text=escalated,
            link=link,
            at=at,
        )
    return locked, sent


def _mark_complaint(*, pk: int, at: dt.datetime, people: People) -> tuple[Complaint, int] | None:
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=pk)
        if (
            locked.reply_due_at is None
            or locked.reply_due_at >= at
            or locked.replied_at is not None
            or locked.reply_overdue_at is not None
        ):
            return None
        locked.reply_overdue_at = at
        locked.save(update_fields=["reply_overdue_at"])
        event_record(
            record=locked,
            actor=None,
            action="overdue",
            at=at,
            data={
                "what": "reply",
                "due_at": locked.reply_due_at,
                "rule": locked.reply_rule.code if locked.reply_rule_id else "",
                "late_minutes": int((at - locked.reply_due_at).total_seconds() // 60),
            },
        )
        who = responsible_for(locked, people)
        notice, to_unit, escalated = _overdue_texts(locked, who, locked.reply_due_at, at)
        _urge_notice_create(
            record=locked,
            kind=UrgeKind.OVERDUE,
            text=notice,
            due_at=locked.reply_due_at,
            rule=locked.reply_rule,
            who=who,
            actor=None,
            at=at,
        )
        link = locked.get_absolute_url()
        sent = notify(recipients=who.users, text=to_unit, link=link, at=at)
        told = {u.pk for u in who.users}
        sent += notify(
            recipients=[u for u in people.supervisors(who.district_id) if u.pk not in told],
            text=escalated,
            link=link,
            at=at,
        )
    return locked, sent


def overdue_candidates(
    model: type[models.Model], open_statuses: Iterable[str], at: dt.datetime
) -> list[int]:
    """Open records past their stored deadline and not marked yet, oldest deadline first."""
    return list(
        model._default_manager.filter(
            status__in=list(open_statuses), due_at__lt=at, overdue_at__isnull=True
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )


def reply_overdue_candidates(at: dt.datetime) -> list[int]:
    return list(
        Complaint.objects.filter(
            reply_due_at__lt=at, replied_at__isnull=True, reply_overdue_at__isnull=True
        )
        .order_by("reply_due_at", "pk")
        .values_list("pk", flat=True)
    )


def sweep(*, at: dt.datetime | None = None) -> SweepResult:
    """Mark every open item past its deadline as overdue, once: an "overdue" event, an urge
    notice to the responsible unit, notifications to its users, escalation to the district's
    dispatchers and bureau leaders. Safe to run concurrently."""
    moment = _now(at)
    result = SweepResult(at=moment)
    people = People()
    buckets = {
        LEAD_WORKFLOW.name: result.leads,
        REFERRAL_WORKFLOW.name: result.referrals,
        ASSISTANCE_WORKFLOW.name: result.assistance,
        CASE_WORKFLOW.name: result.cases,
        ACTION_ITEM_WORKFLOW.name: result.action_items,  # meetings: action items
    }
    for workflow, statuses in SWEPT:
        for pk in overdue_candidates(workflow.model, statuses, moment):
            try:
                done = _mark_workflow_record(
                    workflow=workflow, pk=pk, open_statuses=statuses, at=moment, people=people
                )
            except Exception as exc:  # one broken record must not stop the sweep
                logger.exception("sweep: %s #%s", workflow.name, pk)
                result.errors.append(f"{workflow.model._meta.verbose_name} #{pk}: {exc}")
                continue
            if done is not None:
                buckets[workflow.name].append(done[0].number)
                result.notified += done[1]
    for pk in reply_overdue_candidates(moment):
        try:
            complaint_done = _mark_complaint(pk=pk, at=moment, people=people)
        except Exception as exc:
            logger.exception("sweep: complaint #%s", pk)
            result.errors.append(f"{Complaint._meta.verbose_name} #{pk}: {exc}")
            continue
        if complaint_done is not None:
            result.complaints.append(complaint_done[0].number)
            result.notified += complaint_done[1]
    return result


def action_items_sweep(*, at: dt.datetime | None = None) -> SweepResult:
    """meetings: mark only the overdue action items of meetings, as `sweep` does (the meetings
    demo replays its months with it; `sweep` covers them with everything else)."""
    moment = _now(at)
    result = SweepResult(at=moment)
    people = People()
    statuses = frozenset(OPEN_ACTION_ITEM_STATUSES)
    for pk in overdue_candidates(ActionItem, statuses, moment):
        done = _mark_workflow_record(
            workflow=ACTION_ITEM_WORKFLOW, pk=pk, open_statuses=statuses, at=moment, people=people
        )
        if done is not None:
            result.action_items.append(done[0].number)
            result.notified += done[1]
    return result


# ---------------------------------------------------------------------------------------------
# Manual urging


def _workflow_of(record: Any) -> Workflow | None:
    return {
        Lead: LEAD_WORKFLOW,
        Referral: REFERRAL_WORKFLOW,
        AssistanceRequest: ASSISTANCE_WORKFLOW,
        Case: CASE_WORKFLOW,
        ActionItem: ACTION_ITEM_WORKFLOW,  # meetings: action items
    }.get(type(record))


def urge(*, record: Any, actor: User, text: str, at: dt.datetime | None = None) -> UrgeNotice:
    """A supervisor urges the unit responsible for an open lead, referral, assistance request
    or an unanswered complaint: an "urged" event, an urge notice and notifications."""
    moment = _now(at)
    text = text.strip()
    if not is_supervisor(actor):
        raise TransitionRefused(_("Only a dispatcher or a bureau leader can urge."))
    if not text:
        raise ValidationError(_("Write what the urge notice asks for."))
    model = type(record)
    if not model.objects.restrict(actor).filter(pk=record.pk).exists():
        raise TransitionRefused(_("%(record)s is outside your jurisdiction.") % {"record": record})
    workflow = _workflow_of(record)
    with transaction.atomic():
        if workflow is not None:
            statuses = {w.name: s for w, s in SWEPT}[workflow.name]

            def check(locked: Any) -> dict[str, Any]:
                if getattr(locked, workflow.status_field) not in statuses:
                    raise TransitionRefused(
                        _("%(record)s is finished: there is nothing to urge.") % {"record": locked}
                    )
                return {"due_at": locked.due_at}

            locked, _event = transition(
                workflow=workflow,
                record=record,
                move="urged",
                actor=actor,
                reason=text,
                apply=check,
                at=moment,
            )
            due_at, rule = locked.due_at, locked.due_rule
        elif isinstance(record, Complaint):
            locked = Complaint.objects.select_for_update().get(pk=record.pk)
            if locked.replied_at is not None:
                raise TransitionRefused(
                    _("The reporter of %(record)s has been answered: there is nothing to urge.")
                    % {"record": locked}
                )
            event_record(
                record=locked,
                actor=actor,
                action="urged",
                reason=text,
                data={"due_at": locked.reply_due_at},
                at=moment,
            )
            due_at, rule = locked.reply_due_at, locked.reply_rule
        else:
            raise TypeError(f"not a supervised record: {record!r}")
        who = responsible_for(locked)
        notice = _urge_notice_create(
            record=locked,
            kind=UrgeKind.MANUAL,
            text=text,
            due_at=due_at or moment,
            rule=rule,
            who=who,
            actor=actor,
            at=moment,
        )
        notify(
            recipients=[u for u in who.users if u.pk != actor.pk],
            text=_("Urged by %(actor)s: %(number)s: %(text)s")
            % {"actor": actor, "number": locked.number, "text": text},
            link=locked.get_absolute_url(),
            at=moment,
        )
    return notice


# ---------------------------------------------------------------------------------------------
# Extensions


def extension_allowance(lead: Lead) -> int | None:
    """Working days of extension the lead's current rule still allows (None: no extension)."""
    rule = lead.due_rule
    if rule is None or not rule.extension:
        return None
    return max(rule.extension - lead.extension_days, 0)


def extension_request(
    *, lead: Lead, actor: User, days: int, reason: str, at: dt.datetime | None = None
) -> ExtensionRequest:
    """An officer of the lead's subdistrict asks for more time. Refused with a
    ValidationError when `days` is below 1 or beyond what the rule allows in total, and with
    TransitionRefused when the move is not allowed now (or a request is already pending)."""
    moment = _now(at)
    if days < 1:
        raise ValidationError(_("Ask for at least one working day."))
    holder: dict[str, ExtensionRequest] = {}

    def ask(locked: Lead) -> dict[str, Any]:
        left = extension_allowance(locked)
        if left is None:
            raise TransitionRefused(
                _("The deadline rule of %(lead)s allows no extension.") % {"lead": locked}
            )
        if ExtensionRequest.objects.filter(lead=locked, status=ExtensionStatus.PENDING).exists():
            raise TransitionRefused(
                _("An extension of %(lead)s is already awaiting approval.") % {"lead": locked}
            )
        if days > left:
            assert locked.due_rule is not None
            raise ValidationError(
                _(
                    "The rule allows %(total)d working days of extension in all; %(used)d are "
                    "approved already, so at most %(left)d can be asked for."
                )
                % {"total": locked.due_rule.extension, "used": locked.extension_days, "left": left}
            )
        holder["request"] = ExtensionRequest.objects.create(
            lead=locked, days=days, reason=reason.strip(), requested_by=actor, requested_at=moment
        )
        return {"days": days, "extension": holder["request"].pk}

    with transaction.atomic():
        locked, _event = transition(
            workflow=LEAD_WORKFLOW,
            record=lead,
            move="request_extension",
            actor=actor,
            reason=reason.strip(),
            apply=ask,
            at=moment,
        )
        request = holder["request"]
        notify(
            recipients=supervisors(locked.district_id),
            text=_("%(actor)s asks for %(days)d more working days on lead %(lead)s: %(reason)s")
            % {"actor": actor, "days": days, "lead": locked.number, "reason": reason.strip()},
            link=locked.get_absolute_url(),
            at=moment,
        )
    return request


def extension_decide(
    *,
    extension: ExtensionRequest,
    actor: User,
    approve: bool,
    note: str,
    at: dt.datetime | None = None,
) -> ExtensionRequest:
    """A dispatcher or bureau leader approves (the lead's deadline is recomputed with the
    added working days) or rejects (a reason is required) an extension request."""
    moment = _now(at)
    note = note.strip()
    if not is_supervisor(actor):
        raise TransitionRefused(
            _("Only a dispatcher or a bureau leader can decide on an extension.")
        )
    if not ExtensionRequest.objects.restrict(actor).filter(pk=extension.pk).exists():
        raise TransitionRefused(
            _("%(record)s is outside your jurisdiction.") % {"record": extension.lead}
        )
    if not approve and not note:
        raise ValidationError(_("Give the reason for refusing the extension."))
    with transaction.atomic():
        locked = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
        if locked.status != ExtensionStatus.PENDING:
            raise TransitionRefused(
                _("This extension request was already decided: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        data = {"extension": locked.pk, "days": locked.days, "requested_reason": locked.reason}
        if approve:

            def extend(lead: Lead) -> dict[str, Any]:
                left = extension_allowance(lead)
                if left is None or locked.days > left:
                    raise TransitionRefused(
                        _("The rule no longer allows %(days)d more working days on %(lead)s.")
                        % {"days": locked.days, "lead": lead}
                    )
                previous = lead.due_at
                lead.extension_days += locked.days
                return {"previous_due_at": previous}

            lead, _event = transition(
                workflow=LEAD_WORKFLOW,
                record=locked.lead,
                move="extend",
                actor=actor,
                reason=note or locked.reason,
                data=data,
                apply=extend,
                at=moment,
            )
        else:
            lead, _event = transition(
                workflow=LEAD_WORKFLOW,
                record=locked.lead,
                move="extension_rejected",
                actor=actor,
                reason=note,
                data=data,
                at=moment,
            )
        locked.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        locked.decided_by, locked.decided_at, locked.decision_note = actor, moment, note
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if approve:
            text = _(
                "Your extension of %(days)d working days on lead %(lead)s was approved; "
                "now due %(due)s."
            ) % {
                "days": locked.days,
                "lead": lead.number,
                "due": _local(lead.due_at) if lead.due_at else "—",
            }
        else:
            text = _("Your extension on lead %(lead)s was refused: %(note)s") % {
                "lead": lead.number,
                "note": note,
            }
        notify(recipients=[locked.requested_by], text=text, link=lead.get_absolute_url(), at=moment)
    return locked


__all__ = [
    "SweepResult",
    "action_items_sweep",
    "extension_allowance",
    "extension_decide",
    "extension_request",
    "responsible_for",
    "supervisors",
    "sweep",
    "urge",
]

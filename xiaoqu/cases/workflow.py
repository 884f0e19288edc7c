"""The transition table of a penalty case and how its next deadline is computed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.roles import is_dispatcher, is_officer_of
from xiaoqu.core.workflow import NO_DEADLINE, Due, Move, Workflow
from xiaoqu.law.workdays import deadline_rule_in_force

from .choices import CaseStatus as S
from .models import Case


def _officer(actor: Any, case: Any) -> bool:
    return is_officer_of(actor, case.subdistrict_id)


def _officer_or_dispatcher(actor: Any, case: Any) -> bool:
    return is_officer_of(actor, case.subdistrict_id) or is_dispatcher(actor)


def is_reviewer(actor: Any) -> bool:
    """Legal review (法制审核): the bureau's legal staff or the justice bureau's liaison."""
    if actor is None or not actor.is_authenticated:
        return False
    if actor.is_superuser or actor.role == Role.LEGAL:
        return True
    return actor.role == Role.LIAISON and getattr(actor.department, "code", "") == "justice"


def _reviewer(actor: Any, case: Any) -> bool:
    return is_reviewer(actor)


def is_approver(actor: Any) -> bool:
    """Approves extensions of the decision deadline and reopenings: the bureau's leaders."""
    return bool(
        actor is not None
        and actor.is_authenticated
        and (actor.is_superuser or actor.role == Role.LEADER)
    )


def _approver(actor: Any, case: Any) -> bool:
    return is_approver(actor)


def _system(actor: Any, case: Any) -> bool:
    return True


OFFICER = _("an enforcement officer of the case's subdistrict")
OFFICER_OR_DISPATCHER = _("an enforcement officer of the case's subdistrict or the dispatcher")
REVIEWER = _("legal staff (the bureau's legal section or the justice bureau)")
APPROVER = _("a bureau leader")

BEFORE_DECISION = frozenset({S.INVESTIGATING, S.UNDER_REVIEW, S.NOTIFIED, S.HEARING})

MOVES = (
    Move(
        "add_evidence",
        _("Add evidence"),
        BEFORE_DECISION,
        None,
        _officer,
        OFFICER,
        style="secondary",
    ),
    Move(
        "resolve_preservation",
        _("Deal with preserved evidence"),
        BEFORE_DECISION | {S.DECIDED},
        None,
        _officer,
        OFFICER,
        style="secondary",
    ),
    Move(
        "request_review",
        _("Ask for legal review"),
        frozenset({S.INVESTIGATING}),
        S.UNDER_REVIEW,
        _officer,
        OFFICER,
    ),
    Move(
        "approve_review",
        _("Approve (legal review)"),
        frozenset({S.UNDER_REVIEW}),
        S.INVESTIGATING,
        _reviewer,
        REVIEWER,
        style="success",
    ),
    Move(
        "return_review",
        _("Return with reasons (legal review)"),
        frozenset({S.UNDER_REVIEW}),
        S.INVESTIGATING,
        _reviewer,
        REVIEWER,
        needs_reason=True,
        style="danger",
    ),
    Move(
        "issue_notice",
        _("Serve the advance notice"),
        frozenset({S.INVESTIGATING}),
        S.NOTIFIED,
        _officer,
        OFFICER,
        style="warning",
    ),
    Move(
        "record_statement",
        _("Record the statement and defence"),
        frozenset({S.NOTIFIED, S.HEARING}),
        None,
        _officer,
        OFFICER,
        style="secondary",
    ),
    Move(
        "record_waiver",
        _("Record a written waiver"),
        frozenset({S.NOTIFIED}),
        None,
        _officer,
        OFFICER,
        style="secondary",
    ),
    Move(
        "request_hearing",
        _("Record a hearing request"),
        frozenset({S.NOTIFIED}),
        S.HEARING,
        _officer,
        OFFICER,
    ),
    Move(
        "schedule_hearing",
        _("Schedule and notify the hearing"),
        frozenset({S.HEARING}),
        None,
        _officer,
        OFFICER,
    ),
    Move(
        "record_hearing", _("Record the hearing"), frozenset({S.HEARING}), None, _officer, OFFICER
    ),
    Move(
        "renotify",
        _("Serve a new advance notice"),
        frozenset({S.NOTIFIED, S.HEARING}),
        S.NOTIFIED,
        _officer,
        OFFICER,
        needs_reason=True,
        style="secondary",
    ),
    Move(
        "decide",
        _("Make the penalty decision"),
        frozenset({S.NOTIFIED, S.HEARING}),
        S.DECIDED,
        _officer,
        OFFICER,
        style="danger",
    ),
    Move(
        "serve_decision",
        _("Record service of the decision"),
        frozenset({S.DECIDED}),
        S.EXECUTING,
        _officer,
        OFFICER,
    ),
    Move(
        "record_execution",
        _("Record execution"),
        frozenset({S.EXECUTING}),
        None,
        _officer_or_dispatcher,
        OFFICER_OR_DISPATCHER,
        style="secondary",
    ),
    Move(
        "close",
        _("Close the case"),
        frozenset({S.EXECUTING}),
        S.CLOSED,
        _officer,
        OFFICER,
        style="success",
    ),
    Move(
        "withdraw",
        _("Close without penalty"),
        frozenset({S.INVESTIGATING}),
        S.CLOSED,
        _officer,
        OFFICER,
        needs_reason=True,
        style="secondary",
    ),
    Move(
        "request_extension",
        _("Ask to extend the decision deadline"),
        BEFORE_DECISION,
        None,
        _officer,
        OFFICER,
        needs_reason=True,
        style="secondary",
    ),
    Move(
        "approve_extension",
        _("Approve the extension"),
        BEFORE_DECISION,
        None,
        _approver,
        APPROVER,
        needs_reason=True,
        style="secondary",
    ),
    Move(
        "reject_extension",
        _("Refuse the extension"),
        BEFORE_DECISION,
        None,
        _approver,
        APPROVER,
        needs_reason=True,
        style="secondary",
    ),
    Move(
        "request_reopen",
        _("Ask to reopen"),
        frozenset({S.CLOSED}),
        None,
        _officer_or_dispatcher,
        OFFICER_OR_DISPATCHER,
        needs_reason=True,
        style="secondary",
    ),
    Move(
        "reopen",
        _("Reopen (approved)"),
        frozenset({S.CLOSED}),
        S.INVESTIGATING,
        _approver,
        APPROVER,
        needs_reason=True,
        style="secondary",
    ),
    Move("filed", _("Filed"), frozenset(S.values), None, _system, OFFICER, internal=True),
    Move(
        "decide_on_the_spot",
        _("Decided on the spot (simplified procedure)"),
        frozenset({S.INVESTIGATING}),
        S.DECIDED,
        _system,
        OFFICER,
        internal=True,
    ),
    Move("overdue", _("Overdue"), frozenset(S.values), None, _system, OFFICER, internal=True),
    Move("urged", _("Urged"), frozenset(S.values), None, _system, OFFICER, internal=True),
)


def case_deadline(case: Case, at: dt.datetime) -> Due:
    """The earliest deadline running: preserved evidence (art. 56), then by stage: the decision
    (art. 60), the statement period (art. 44/64), the hearing, service (art. 61), payment (art. 67)."""
    candidates: list[Due] = []
    preserved = (
        [e for e in case.evidence.all() if e.preservation_due and not e.preservation_done_at]
        if case.pk
        else []
    )
    if preserved and case.status != S.CLOSED:
        earliest = min(e.preservation_due for e in preserved)
        rule = deadline_rule_in_force("evidence_preservation", on=at.date())
        candidates.append(Due(earliest, rule, str(_("preserved evidence to be dealt with"))))
    rule_decision = deadline_rule_in_force("decision_after_filing", on=case.filed_at.date())
    decision = Due(case.decision_due_at, rule_decision, str(_("decision deadline")))
    if case.status in (S.INVESTIGATING, S.UNDER_REVIEW):
        candidates.append(decision)
    elif case.status == S.NOTIFIED:
        if case.statement_until and not case.waived_at and case.statement_until > at:
            rule = deadline_rule_in_force("hearing_request", on=case.statement_until.date())
            candidates.append(
                Due(case.statement_until, rule, str(_("statement and hearing request period ends")))
            )
        candidates.append(decision)
    elif case.status == S.HEARING:
        if case.hearing_at and not case.hearing_held_at:
            candidates.append(Due(case.hearing_at, None, str(_("hearing"))))
        candidates.append(decision)
    elif case.status == S.DECIDED and case.decided_at:
        from xiaoqu.law.workdays import deadline_for

        rule = deadline_rule_in_force("decision_service", on=case.decided_at.date())
        candidates.append(
            Due(
                deadline_for("decision_service", case.decided_at),
                rule,
                str(_("service of the decision")),
            )
        )
    elif case.status == S.EXECUTING and case.payment_due and (case.fine or 0) > case.paid_amount:
        rule = deadline_rule_in_force("fine_payment", on=case.payment_due.date())
        candidates.append(Due(case.payment_due, rule, str(_("payment of the fine"))))
    if not candidates:
        return NO_DEADLINE
    return min(candidates, key=lambda d: d.at)  # type: ignore[arg-type, return-value]


CASE_WORKFLOW = Workflow(name="case", model=Case, states=S, moves=MOVES, deadline=case_deadline)

"""The transition tables of referrals (移交) and assistance requests (协助通知书)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.accounts.roles import is_dispatcher, is_liaison_of, is_officer_of
from xiaoqu.core.workflow import NO_DEADLINE, Due, Move, Workflow
from xiaoqu.law.workdays import WorkCalendar, deadline_rule_in_force

from .choices import AssistanceStatus as A
from .choices import ReferralStatus as R
from .models import AssistanceRequest, Referral


def _liaison(actor: Any, record: Any) -> bool:
    return is_liaison_of(actor, record.department_id)


def _dispatcher(actor: Any, record: Any) -> bool:
    return is_dispatcher(actor)


def _requester(actor: Any, record: Any) -> bool:
    return is_dispatcher(actor) or is_officer_of(actor, record.lead.subdistrict_id)


def _system(actor: Any, record: Any) -> bool:
    return True


LIAISON = _("the liaison of the department it was sent to")
DISPATCHER = _("the dispatcher")
REQUESTER = _("the officer who asked or the dispatcher")

REFERRAL_MOVES = (
    Move("receive", _("Confirm receipt"), frozenset({R.SENT}), R.RECEIVED, _liaison, LIAISON),
    Move(
        "answer",
        _("Answer with the result"),
        frozenset({R.RECEIVED}),
        R.ANSWERED,
        _liaison,
        LIAISON,
        style="success",
    ),
    Move(
        "return",
        _("Return: not ours"),
        frozenset({R.SENT, R.RECEIVED}),
        R.RETURNED,
        _liaison,
        LIAISON,
        needs_reason=True,
        style="danger",
    ),
    Move(
        "resend",
        _("Send again with the bureau's reasons"),
        frozenset({R.RETURNED}),
        R.SENT,
        _dispatcher,
        DISPATCHER,
        needs_reason=True,
    ),
    Move(
        "withdraw",
        _("Take back"),
        frozenset({R.RETURNED}),
        R.WITHDRAWN,
        _dispatcher,
        DISPATCHER,
        needs_reason=True,
        style="secondary",
    ),
    Move(
        "redirect",
        _("Refer to another department"),
        frozenset({R.RETURNED}),
        R.WITHDRAWN,
        _dispatcher,
        DISPATCHER,
        style="secondary",
    ),
    Move("overdue", _("Overdue"), frozenset(R.values), None, _system, DISPATCHER, internal=True),
    Move("urged", _("Urged"), frozenset(R.values), None, _system, DISPATCHER, internal=True),
)

ASSISTANCE_MOVES = (
    Move("receive", _("Confirm receipt"), frozenset({A.SENT}), A.RECEIVED, _liaison, LIAISON),
    Move(
        "answer",
        _("Answer in writing"),
        frozenset({A.SENT, A.RECEIVED}),
        A.ANSWERED,
        _liaison,
        LIAISON,
        style="success",
    ),
    Move(
        "cancel",
        _("Cancel the request"),
        frozenset({A.SENT, A.RECEIVED}),
        A.CANCELLED,
        _requester,
        REQUESTER,
        needs_reason=True,
        style="secondary",
    ),
    Move("overdue", _("Overdue"), frozenset(A.values), None, _system, DISPATCHER, internal=True),
    Move("urged", _("Urged"), frozenset(A.values), None, _system, DISPATCHER, internal=True),
)


def _due(code: str, start: dt.datetime) -> Due:
    day = timezone.localtime(start, timezone.get_default_timezone()).date()
    rule = deadline_rule_in_force(code, on=day)
    return Due(WorkCalendar(since=day).due(rule, start), rule)


def referral_deadline(referral: Referral, at: dt.datetime) -> Due:
    """The department's feedback runs from the sending; a returned referral must be decided
    (sent again, taken back or redirected) like a transfer: within 3 working days."""
    if referral.status in (R.SENT, R.RECEIVED):
        return _due("referral_feedback", referral.sent_at)
    if referral.status == R.RETURNED and referral.returned_at is not None:
        return _due("transfer_not_ours", referral.returned_at)
    return NO_DEADLINE


def assistance_deadline(request: AssistanceRequest, at: dt.datetime) -> Due:
    if request.status in (A.SENT, A.RECEIVED):
        return _due("assistance_reply", request.sent_at)
    return NO_DEADLINE


REFERRAL_WORKFLOW = Workflow(
    name="referral", model=Referral, states=R, moves=REFERRAL_MOVES, deadline=referral_deadline
)
ASSISTANCE_WORKFLOW = Workflow(
    name="assistance",
    model=AssistanceRequest,
    states=A,
    moves=ASSISTANCE_MOVES,
    deadline=assistance_deadline,
)

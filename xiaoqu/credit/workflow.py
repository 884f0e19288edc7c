"""The transition table of a demerit proposal and its deadline: the housing bureau's answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.accounts.roles import is_liaison_of
from xiaoqu.core.workflow import NO_DEADLINE, Due, Move, Workflow
from xiaoqu.law.models import DeadlineRule
from xiaoqu.law.workdays import WorkCalendar, deadline_rule_in_force

from .choices import ProposalStatus as P
from .models import DemeritProposal

ANSWER_RULE = "demerit_answer"


def _liaison(actor: Any, proposal: Any) -> bool:
    return is_liaison_of(actor, proposal.department_id)


def _system(actor: Any, proposal: Any) -> bool:
    return True  # internal moves: made by the sweep and other services


LIAISON = _("the liaison of the housing bureau it was proposed to")

MOVES = (
    Move(
        "confirm",
        _("Confirm the demerit"),
        frozenset({P.PROPOSED}),
        P.CONFIRMED,
        _liaison,
        LIAISON,
        style="danger",
    ),
    Move(
        "reject",
        _("Reject with reasons"),
        frozenset({P.PROPOSED}),
        P.REJECTED,
        _liaison,
        LIAISON,
        needs_reason=True,
        style="secondary",
    ),
    Move("overdue", _("Overdue"), frozenset(P.values), None, _system, LIAISON, internal=True),
)


def demerit_deadline(proposal: DemeritProposal, at: dt.datetime) -> Due:
    """The housing bureau answers within the catalog's rule, counted from the proposal.
    Without the rule in the catalog no deadline runs."""
    if proposal.status != P.PROPOSED:
        return NO_DEADLINE
    day = timezone.localtime(proposal.proposed_at, timezone.get_default_timezone()).date()
    try:
        rule = deadline_rule_in_force(ANSWER_RULE, on=day)
    except DeadlineRule.DoesNotExist:
        return NO_DEADLINE
    return Due(WorkCalendar(since=day).due(rule, proposal.proposed_at), rule)


DEMERIT_WORKFLOW = Workflow(
    name="demerit", model=DemeritProposal, states=P, moves=MOVES, deadline=demerit_deadline
)

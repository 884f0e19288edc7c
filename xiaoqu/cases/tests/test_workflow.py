"""Every allowed and every forbidden transition of a case: for each move, each state and each
persona of the `world`, `Workflow.refusal()` agrees with the table written out below (which
restates the rules independently of CASE_WORKFLOW)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.tests.factories import UserFactory
from xiaoqu.cases.choices import CaseStatus as S
from xiaoqu.cases.models import Case
from xiaoqu.cases.services import review_request
from xiaoqu.cases.tests.factories import filed
from xiaoqu.cases.workflow import CASE_WORKFLOW
from xiaoqu.conftest import World
from xiaoqu.departments.tests.factories import DepartmentFactory

ALL = frozenset(S.values)
BEFORE_DECISION = frozenset({S.INVESTIGATING, S.UNDER_REVIEW, S.NOTIFIED, S.HEARING})
PERSONAS = [
    "admin",
    "dispatcher",
    "leader",
    "legal",
    "officer_a",
    "officer_b",
    "manager_a",
    "liaison",
    "clerk_a",
    "clerk_b",
    "member_a",
]
OFFICER = frozenset({"officer_a"})  # the case is in subdistrict 甲
DISPATCHERS = frozenset({"admin", "dispatcher", "leader"})
REVIEWERS = frozenset({"legal"})  # the world's liaison is the housing bureau's, not justice's
APPROVERS = frozenset({"leader"})
SYSTEM = frozenset(PERSONAS)  # internal moves: made by services, for any actor

# move -> (states it is allowed from, personas allowed, state it leads to or None: unchanged)
TABLE: dict[str, tuple[frozenset[str], frozenset[str], str | None]] = {
    "add_evidence": (BEFORE_DECISION, OFFICER, None),
    "resolve_preservation": (BEFORE_DECISION | {S.DECIDED}, OFFICER, None),
    "request_review": (frozenset({S.INVESTIGATING}), OFFICER, S.UNDER_REVIEW),
    "approve_review": (frozenset({S.UNDER_REVIEW}), REVIEWERS, S.INVESTIGATING),
    "return_review": (frozenset({S.UNDER_REVIEW}), REVIEWERS, S.INVESTIGATING),
    "issue_notice": (frozenset({S.INVESTIGATING}), OFFICER, S.NOTIFIED),
    "record_statement": (frozenset({S.NOTIFIED, S.HEARING}), OFFICER, None),
    "record_waiver": (frozenset({S.NOTIFIED}), OFFICER, None),
    "request_hearing": (frozenset({S.NOTIFIED}), OFFICER, S.HEARING),
    "schedule_hearing": (frozenset({S.HEARING}), OFFICER, None),
    "record_hearing": (frozenset({S.HEARING}), OFFICER, None),
    "renotify": (frozenset({S.NOTIFIED, S.HEARING}), OFFICER, S.NOTIFIED),
    "decide": (frozenset({S.NOTIFIED, S.HEARING}), OFFICER, S.DECIDED),
    "serve_decision": (frozenset({S.DECIDED}), OFFICER, S.EXECUTING),
    "record_execution": (frozenset({S.EXECUTING}), OFFICER | DISPATCHERS, None),
    "close": (frozenset({S.EXECUTING}), OFFICER, S.CLOSED),
    "withdraw": (frozenset({S.INVESTIGATING}), OFFICER, S.CLOSED),
    "request_extension": (BEFORE_DECISION, OFFICER, None),
    "approve_extension": (BEFORE_DECISION, APPROVERS, None),
    "reject_extension": (BEFORE_DECISION, APPROVERS, None),
    "request_reopen": (frozenset({S.CLOSED}), OFFICER | DISPATCHERS, None),
    "reopen": (frozenset({S.CLOSED}), APPROVERS, S.INVESTIGATING),
    "filed": (ALL, SYSTEM, None),
    "decide_on_the_spot": (frozenset({S.INVESTIGATING}), SYSTEM, S.DECIDED),
    "overdue": (ALL, SYSTEM, None),
    "urged": (ALL, SYSTEM, None),
}
INTERNAL = {name for name, (_s, who, _t) in TABLE.items() if who is SYSTEM}


def test_the_table_covers_every_move():
    assert set(TABLE) == set(CASE_WORKFLOW.moves)
    for name, (sources, _who, target) in TABLE.items():
        move = CASE_WORKFLOW.moves[name]
        assert move.sources == sources, name
        assert move.target == target, name
        assert move.internal == (name in INTERNAL), name


@pytest.fixture
def case(catalog: World) -> Case:
    return filed(catalog)


@pytest.mark.parametrize("move", sorted(TABLE))
def test_every_transition_is_allowed_or_refused_with_a_reason(
    catalog: World, case: Case, move: str
):
    sources, allowed, _target = TABLE[move]
    for state in S.values:
        case.status = state
        for persona in PERSONAS:
            user: Any = getattr(catalog, persona)
            refusal = CASE_WORKFLOW.refusal(case, user, move)
            expected = state in sources and persona in allowed
            if expected:
                assert refusal is None, (move, state, persona, refusal)
            else:
                assert refusal, (move, state, persona)


def test_the_buttons_offered_are_exactly_the_allowed_moves(catalog: World, case: Case):
    for state in S.values:
        case.status = state
        for persona in PERSONAS:
            offered = {m.name for m in CASE_WORKFLOW.available(case, getattr(catalog, persona))}
            expected = {
                name
                for name, (sources, allowed, _t) in TABLE.items()
                if name not in INTERNAL and state in sources and persona in allowed
            }
            assert offered == expected, (state, persona)


def test_refusals_say_why(catalog: World, case: Case):
    with translation.override("en"):
        case.status = S.CLOSED
        assert "is not possible while" in str(
            CASE_WORKFLOW.refusal(case, catalog.officer_a, "add_evidence")
        )
        case.status = S.INVESTIGATING
        assert "Only an enforcement officer of the case's subdistrict" in str(
            CASE_WORKFLOW.refusal(case, catalog.dispatcher, "issue_notice")
        )
        assert "outside your jurisdiction" in str(
            CASE_WORKFLOW.refusal(case, catalog.officer_b, "issue_notice")
        )
        case.status = S.UNDER_REVIEW
        assert "Only legal staff" in str(
            CASE_WORKFLOW.refusal(case, catalog.officer_a, "approve_review")
        )
        case.status = S.CLOSED
        assert "Only a bureau leader" in str(
            CASE_WORKFLOW.refusal(case, catalog.dispatcher, "reopen")
        )
        assert "no such step" in str(CASE_WORKFLOW.refusal(case, catalog.officer_a, "jump"))


def test_the_justice_liaison_can_review(catalog: World, case: Case):
    justice = UserFactory.create(
        role=Role.LIAISON,
        district=catalog.district,
        department=DepartmentFactory.create(district=catalog.district, code="justice"),
    )
    case = review_request(case=case, actor=catalog.officer_a, penalty="fine", fine=8000)
    assert case.review_department == justice.department
    assert CASE_WORKFLOW.refusal(case, justice, "approve_review") is None
    # another department's liaison still sees nothing of the case
    assert CASE_WORKFLOW.refusal(case, catalog.liaison, "approve_review") is not None

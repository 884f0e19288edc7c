"""Every allowed and every forbidden transition of a demerit proposal: moves × states × the
roles of `world`, against a table written out here by hand."""

from __future__ import annotations

import pytest
from django.utils import translation

from xiaoqu.audit.services import audit_verify, record_events
from xiaoqu.conftest import World
from xiaoqu.core.workflow import TransitionRefused, transition
from xiaoqu.credit.choices import ProposalStatus as P
from xiaoqu.credit.models import DemeritProposal
from xiaoqu.credit.workflow import DEMERIT_WORKFLOW

from .factories import at, proposal_at

ROLES = (
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
)
LIAISON = {"liaison"}  # of the housing bureau the proposal was sent to

# move -> (states it may start from, roles that may make it, state it leads to)
TABLE: dict[str, tuple[set[str], set[str], str]] = {
    "confirm": ({P.PROPOSED}, LIAISON, P.CONFIRMED),
    "reject": ({P.PROPOSED}, LIAISON, P.REJECTED),
}
CASES = [(move, state, role) for move in TABLE for state in P.values for role in ROLES]


def test_the_table_covers_every_move():
    assert set(TABLE) == {m for m, x in DEMERIT_WORKFLOW.moves.items() if not x.internal}
    assert {m for m, x in DEMERIT_WORKFLOW.moves.items() if x.internal} == {"overdue"}


@pytest.fixture
def proposal(credit: World) -> DemeritProposal:
    return proposal_at(credit, at(2026, 3, 2, 9))  # 甲花园, subdistrict 甲, company 甲


def test_every_transition(credit: World, proposal: DemeritProposal):
    """Each case goes through `transition` on the database: an allowed move changes the
    state and writes an event; a forbidden one is refused with a reason and changes nothing."""
    mismatches = []
    for move, state, role in CASES:
        DemeritProposal.objects.filter(pk=proposal.pk).update(status=state)
        before = record_events(proposal).count()
        sources, roles, target = TABLE[move]
        expected = state in sources and role in roles
        actor = getattr(credit, role)
        try:
            locked, event = transition(
                workflow=DEMERIT_WORKFLOW, record=proposal, move=move, actor=actor, reason="理由"
            )
        except TransitionRefused as exc:
            allowed = False
            assert exc.reason, (move, state, role)
            assert record_events(proposal).count() == before
            assert DemeritProposal.objects.get(pk=proposal.pk).status == state
        else:
            allowed = True
            assert locked.status == target
            assert event.action == move and event.from_state == state and event.to_state == target
            assert event.actor == actor and event.reason == "理由"
        if allowed != expected:
            mismatches.append((move, state, role, allowed))
    assert mismatches == []
    assert audit_verify()[2] == []


def test_available_moves_match_the_table(credit: World, proposal: DemeritProposal):
    for move, state, role in CASES:
        proposal.status = state
        names = {m.name for m in DEMERIT_WORKFLOW.available(proposal, getattr(credit, role))}
        sources, roles, _target = TABLE[move]
        assert (move in names) == (state in sources and role in roles), (move, state, role)


def test_the_overdue_mark_is_internal(credit: World, proposal: DemeritProposal):
    for state in P.values:
        DemeritProposal.objects.filter(pk=proposal.pk).update(status=state)
        locked, event = transition(
            workflow=DEMERIT_WORKFLOW, record=proposal, move="overdue", actor=None
        )
        assert locked.status == state and event.actor is None
    for role in ROLES:
        names = {m.name for m in DEMERIT_WORKFLOW.available(proposal, getattr(credit, role))}
        assert "overdue" not in names


def test_a_liaison_of_another_district_department_is_refused(credit: World, proposal):
    from xiaoqu.accounts.choices import Role
    from xiaoqu.accounts.tests.factories import UserFactory
    from xiaoqu.departments.tests.factories import DepartmentFactory

    police = UserFactory.create(
        role=Role.LIAISON,
        district=credit.district,
        department=DepartmentFactory.create(district=credit.district, code="police"),
    )
    with translation.override("en"), pytest.raises(TransitionRefused, match="jurisdiction"):
        transition(workflow=DEMERIT_WORKFLOW, record=proposal, move="confirm", actor=police)


def test_refusals_say_why(credit: World, proposal: DemeritProposal):
    with translation.override("en"):
        with pytest.raises(TransitionRefused, match="Only the liaison of the housing bureau"):
            transition(
                workflow=DEMERIT_WORKFLOW, record=proposal, move="confirm", actor=credit.dispatcher
            )
        with pytest.raises(TransitionRefused, match="needs a reason"):
            transition(
                workflow=DEMERIT_WORKFLOW, record=proposal, move="reject", actor=credit.liaison
            )
        DemeritProposal.objects.filter(pk=proposal.pk).update(status=P.CONFIRMED)
        with pytest.raises(TransitionRefused, match="only when it is"):
            transition(
                workflow=DEMERIT_WORKFLOW, record=proposal, move="confirm", actor=credit.liaison
            )

"""Every allowed and every forbidden transition of the referral and assistance workflows:
moves × states × the roles of `world`, against a table written out here by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from xiaoqu.audit.services import audit_verify, record_events
from xiaoqu.conftest import World
from xiaoqu.core.workflow import TransitionRefused, transition
from xiaoqu.referrals.choices import AssistanceStatus, ReferralStatus
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.referrals.workflow import ASSISTANCE_WORKFLOW, REFERRAL_WORKFLOW
from xiaoqu.supervision.tests.factories import assistance_at, at, referral_at

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
COMMAND = {"admin", "dispatcher", "leader"}  # the bureau's command centre
LIAISON = {"liaison"}  # of the department the record was sent to (区房管局)
REQUESTER = COMMAND | {"officer_a"}  # the record's lead is in subdistrict 甲

R = ReferralStatus
A = AssistanceStatus
# move -> (states it may start from, roles that may make it)
REFERRAL_TABLE: dict[str, tuple[set[str], set[str]]] = {
    "receive": ({R.SENT}, LIAISON),
    "answer": ({R.RECEIVED}, LIAISON),
    "return": ({R.SENT, R.RECEIVED}, LIAISON),
    "resend": ({R.RETURNED}, COMMAND),
    "withdraw": ({R.RETURNED}, COMMAND),
    "redirect": ({R.RETURNED}, COMMAND),
}
ASSISTANCE_TABLE: dict[str, tuple[set[str], set[str]]] = {
    "receive": ({A.SENT}, LIAISON),
    "answer": ({A.SENT, A.RECEIVED}, LIAISON),
    "cancel": ({A.SENT, A.RECEIVED}, REQUESTER),
}
CASES = [
    ("referral", move, state, role)
    for move in REFERRAL_TABLE
    for state in R.values
    for role in ROLES
] + [
    ("assistance", move, state, role)
    for move in ASSISTANCE_TABLE
    for state in A.values
    for role in ROLES
]


def test_the_tables_cover_every_move():
    assert set(REFERRAL_TABLE) == {m for m, x in REFERRAL_WORKFLOW.moves.items() if not x.internal}
    assert set(ASSISTANCE_TABLE) == {
        m for m, x in ASSISTANCE_WORKFLOW.moves.items() if not x.internal
    }


@pytest.fixture
def records(catalog: World) -> dict[str, Any]:
    return {
        "referral": referral_at(catalog, at(2026, 4, 8, 10)),
        "assistance": assistance_at(catalog, at(2026, 4, 8, 10)),
    }


def test_every_transition(catalog: World, records: dict[str, Any]):
    """Each case is made through `transition` on the database: the allowed ones move the
    record and write an event, the forbidden ones are refused with a reason and change
    nothing."""
    mismatches = []
    for kind, move, state, role in CASES:
        workflow = REFERRAL_WORKFLOW if kind == "referral" else ASSISTANCE_WORKFLOW
        table = REFERRAL_TABLE if kind == "referral" else ASSISTANCE_TABLE
        model: Any = Referral if kind == "referral" else AssistanceRequest
        record = records[kind]
        model.objects.filter(pk=record.pk).update(status=state)
        before = record_events(record).count()
        sources, roles = table[move]
        expected = state in sources and role in roles
        actor = getattr(catalog, role)
        try:
            locked, event = transition(
                workflow=workflow, record=record, move=move, actor=actor, reason="理由"
            )
        except TransitionRefused as exc:
            allowed = False
            assert exc.reason, (kind, move, state, role)
            assert record_events(record).count() == before
            assert model.objects.get(pk=record.pk).status == state
        else:
            allowed = True
            target = workflow.moves[move].target
            assert locked.status == (target or state)
            assert event.action == move and event.from_state == state
            assert event.actor == actor and event.reason == "理由"
        if allowed != expected:
            mismatches.append((kind, move, state, role, allowed))
    assert mismatches == []
    assert audit_verify()[2] == []


def test_available_moves_match_the_table(catalog: World, records: dict[str, Any]):
    for kind, move, state, role in CASES:
        workflow = REFERRAL_WORKFLOW if kind == "referral" else ASSISTANCE_WORKFLOW
        table = REFERRAL_TABLE if kind == "referral" else ASSISTANCE_TABLE
        record = records[kind]
        record.status = state
        names = {m.name for m in workflow.available(record, getattr(catalog, role))}
        sources, roles = table[move]
        assert (move in names) == (state in sources and role in roles), (kind, move, state, role)


@pytest.mark.parametrize("kind", ["referral", "assistance"])
def test_internal_moves_are_possible_from_every_state_and_never_offered(
    catalog: World, records: dict[str, Any], kind: str
):
    workflow = REFERRAL_WORKFLOW if kind == "referral" else ASSISTANCE_WORKFLOW
    model: Any = Referral if kind == "referral" else AssistanceRequest
    record = records[kind]
    for state in workflow.states.values:
        model.objects.filter(pk=record.pk).update(status=state)
        for move in ("overdue", "urged"):
            locked, event = transition(workflow=workflow, record=record, move=move, actor=None)
            assert locked.status == state and event.actor is None
    for role in ROLES:
        names = {m.name for m in workflow.available(record, getattr(catalog, role))}
        assert not names & {"overdue", "urged"}


def test_refusals_say_why(catalog: World, records: dict[str, Any]):
    referral = records["referral"]
    with translation.override("en"):
        with pytest.raises(TransitionRefused, match="Only the liaison"):
            transition(
                workflow=REFERRAL_WORKFLOW,
                record=referral,
                move="receive",
                actor=catalog.dispatcher,
            )
        with pytest.raises(TransitionRefused, match="possible only when"):
            transition(
                workflow=REFERRAL_WORKFLOW, record=referral, move="answer", actor=catalog.liaison
            )
        with pytest.raises(TransitionRefused, match="needs a reason"):
            transition(
                workflow=REFERRAL_WORKFLOW, record=referral, move="return", actor=catalog.liaison
            )
        with pytest.raises(TransitionRefused, match="outside your jurisdiction"):
            transition(
                workflow=REFERRAL_WORKFLOW, record=referral, move="receive", actor=catalog.officer_b
            )

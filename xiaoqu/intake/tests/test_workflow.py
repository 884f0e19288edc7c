"""Every allowed and every forbidden transition of a lead: for each move, each state and each
persona of the `world`, `Workflow.refusal()` agrees with the table written out below (which
restates the rules independently of LEAD_WORKFLOW)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from xiaoqu.conftest import World
from xiaoqu.intake import services
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.choices import LeadStatus as S
from xiaoqu.intake.models import Lead
from xiaoqu.intake.workflow import LEAD_WORKFLOW

ALL = frozenset(S.values)
VERIFYING = frozenset({S.PENDING_DISPATCH, S.DISPATCHED, S.AWAITING_ASSISTANCE})
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
DISPATCHERS = frozenset({"admin", "dispatcher", "leader"})
OFFICER = frozenset({"officer_a"})  # the lead is in subdistrict 甲
OFFICER_OR_DISPATCHER = OFFICER | DISPATCHERS
SYSTEM = frozenset(PERSONAS)  # internal moves: made by other services, for any actor

# move -> (states it is allowed from, personas allowed, state it leads to or None: unchanged)
TABLE: dict[str, tuple[frozenset[str], frozenset[str], str | None]] = {
    "dispatch": (frozenset({S.PENDING_DISPATCH}), DISPATCHERS, S.DISPATCHED),
    "auto_dispatch": (frozenset({S.PENDING_DISPATCH}), SYSTEM, S.DISPATCHED),
    "reassign": (frozenset({S.DISPATCHED}), DISPATCHERS, S.DISPATCHED),
    "return_to_dispatch": (frozenset({S.DISPATCHED}), OFFICER, S.PENDING_DISPATCH),
    "record_visit": (frozenset({S.DISPATCHED, S.AWAITING_ASSISTANCE}), OFFICER, None),
    "close_no_violation": (frozenset({S.DISPATCHED}), OFFICER, S.CLOSED),
    "order_rectification": (frozenset({S.DISPATCHED}), OFFICER, S.RECTIFYING),
    "reinspect_corrected": (frozenset({S.RECTIFYING}), OFFICER, S.CLOSED),
    "reinspect_not_corrected": (frozenset({S.RECTIFYING}), OFFICER, S.TO_FILING),
    "hand_to_filing": (frozenset({S.DISPATCHED}), OFFICER, S.TO_FILING),
    "refer": (frozenset({S.PENDING_DISPATCH, S.DISPATCHED}), OFFICER_OR_DISPATCHER, S.REFERRED),
    "request_assistance": (frozenset({S.DISPATCHED}), OFFICER, S.AWAITING_ASSISTANCE),
    "merge_as_repeat": (frozenset({S.PENDING_DISPATCH, S.DISPATCHED}), DISPATCHERS, S.CLOSED),
    "reopen": (frozenset({S.CLOSED}), DISPATCHERS, S.DISPATCHED),
    "request_extension": (VERIFYING, OFFICER, None),
    "extend": (VERIFYING, SYSTEM, None),
    "extension_rejected": (ALL, SYSTEM, None),
    "assistance_answered": (frozenset({S.AWAITING_ASSISTANCE}), SYSTEM, S.DISPATCHED),
    "assistance_cancelled": (frozenset({S.AWAITING_ASSISTANCE}), SYSTEM, S.DISPATCHED),
    "referral_answered": (frozenset({S.REFERRED}), SYSTEM, S.CLOSED),
    "referral_taken_back": (frozenset({S.REFERRED}), SYSTEM, S.DISPATCHED),
    "referral_taken_back_to_dispatch": (frozenset({S.REFERRED}), SYSTEM, S.PENDING_DISPATCH),
    "complaint_attached": (ALL, SYSTEM, None),
    "overdue": (ALL, SYSTEM, None),
    "urged": (ALL, SYSTEM, None),
}
INTERNAL = {name for name, (_s, who, _t) in TABLE.items() if who is SYSTEM}


def test_the_table_covers_every_move():
    assert set(TABLE) == set(LEAD_WORKFLOW.moves)
    for name, (sources, _who, target) in TABLE.items():
        move = LEAD_WORKFLOW.moves[name]
        assert move.sources == sources, name
        assert move.target == target, name
        assert move.internal == (name in INTERNAL), name


@pytest.fixture
def lead(catalog: World) -> Lead:
    complaint = services.complaint_create(
        actor=catalog.dispatcher,
        channel=Channel.HOTLINE,
        content="楼道堆物",
        estate=catalog.estate_a,
    )
    assert complaint.lead is not None
    return complaint.lead


@pytest.mark.parametrize("move", sorted(TABLE))
def test_every_transition_is_allowed_or_refused_with_a_reason(
    catalog: World, lead: Lead, move: str
):
    sources, allowed, _target = TABLE[move]
    lead.subdistrict = catalog.sd_a
    for state in S.values:
        lead.status = state
        for persona in PERSONAS:
            user: Any = getattr(catalog, persona)
            refusal = LEAD_WORKFLOW.refusal(lead, user, move)
            expected = state in sources and persona in allowed
            if expected:
                assert refusal is None, (move, state, persona, refusal)
            else:
                assert refusal, (move, state, persona)


def test_the_buttons_offered_are_exactly_the_allowed_moves(catalog: World, lead: Lead):
    for state in S.values:
        lead.status = state
        for persona in PERSONAS:
            offered = {m.name for m in LEAD_WORKFLOW.available(lead, getattr(catalog, persona))}
            expected = {
                name
                for name, (sources, allowed, _t) in TABLE.items()
                if name not in INTERNAL and state in sources and persona in allowed
            }
            assert offered == expected, (state, persona)


def test_refusals_say_why(catalog: World, lead: Lead):
    lead.subdistrict = catalog.sd_a
    with translation.override("en"):
        lead.status = S.CLOSED
        assert "is not possible while" in str(
            LEAD_WORKFLOW.refusal(lead, catalog.officer_a, "record_visit")
        )
        lead.status = S.DISPATCHED
        assert "Only an enforcement officer of the lead's subdistrict" in str(
            LEAD_WORKFLOW.refusal(lead, catalog.dispatcher, "record_visit")
        )
        assert "outside your jurisdiction" in str(
            LEAD_WORKFLOW.refusal(lead, catalog.officer_b, "record_visit")
        )
        assert "no such step" in str(LEAD_WORKFLOW.refusal(lead, catalog.officer_a, "jump"))

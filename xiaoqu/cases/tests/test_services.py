"""The penalty procedure through its services: a full case, and every legal guard refused
with its article."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from xiaoqu.audit.services import record_events
from xiaoqu.cases import services
from xiaoqu.cases.choices import (
    CaseStatus,
    ClosureKind,
    EvidenceKind,
    ExecutionKind,
    PartyKind,
    PenaltyKind,
)
from xiaoqu.conftest import World
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import LeadStatus
from xiaoqu.law.models import ViolationType

SH = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


def verified_lead(
    world: World, code: str = "common_area_occupation", when: dt.datetime | None = None
) -> Any:
    when = when or at(2026, 3, 2, 9)
    complaint = intake.complaint_create(
        actor=world.dispatcher,
        channel="hotline",
        content="楼道被占用堆物",
        estate=world.estate_a,
        violation_type=ViolationType.objects.effective().get(code=code),
        reporter_phone="13800001111",
        received_at=when,
        at=when,
    )
    assert complaint.lead is not None
    lead = intake.lead_dispatch(
        lead=complaint.lead, actor=world.dispatcher, at=when + dt.timedelta(hours=1)
    )
    visit = intake.Visit(
        inspected_at=when + dt.timedelta(hours=3),
        place="3号楼",
        findings="楼道堆物属实",
        violation_found=True,
    )
    return intake.lead_record_visit(
        lead=lead, actor=world.officer_a, visit=visit, at=when + dt.timedelta(hours=4)
    )


def filed(world: World, **kw: Any) -> Any:
    lead = verified_lead(world)
    return services.case_file(
        lead=lead,
        actor=world.officer_a,
        party_kind=PartyKind.PERSON,
        party_name="张某",
        facts="张某在3号楼楼道堆放杂物，经责令未改正。",
        at=at(2026, 3, 3),
        **kw,
    )


def test_a_case_from_filing_to_closure(catalog: World):
    case = filed(catalog)
    assert case.status == CaseStatus.INVESTIGATING and case.lead.status == LeadStatus.TO_FILING
    assert case.decision_due_at.date() == dt.date(2026, 6, 1)  # 90 days after 3 March (art. 60)
    services.evidence_add(
        case=case,
        actor=catalog.officer_a,
        kind=EvidenceKind.INQUIRY,
        description="询问笔录",
        at=at(2026, 3, 4),
    )
    case = services.notice_issue(
        case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=2000, at=at(2026, 3, 5)
    )
    assert case.status == CaseStatus.NOTIFIED and not case.hearing_right
    case = services.statement_record(
        case=case, actor=catalog.officer_a, statement="当事人称已清理一部分", at=at(2026, 3, 6)
    )
    case = services.case_decide(
        case=case,
        actor=catalog.officer_a,
        penalty=PenaltyKind.FINE,
        fine=1500,
        decision_text="决定罚款1500元",
        at=at(2026, 3, 16),
    )
    assert case.status == CaseStatus.DECIDED and "2026" in case.decision_number
    case = services.decision_serve(case=case, actor=catalog.officer_a, at=at(2026, 3, 17))
    assert case.status == CaseStatus.EXECUTING and case.payment_due is not None
    with pytest.raises(TransitionRefused):  # unpaid
        services.case_close(case=case, actor=catalog.officer_a, report="结案", at=at(2026, 3, 20))
    services.execution_record(
        case=case,
        actor=catalog.officer_a,
        kind=ExecutionKind.PAYMENT,
        amount=1500,
        at=at(2026, 3, 20),
    )
    case.refresh_from_db()
    case = services.case_close(
        case=case, actor=catalog.officer_a, report="罚款已缴清，结案", at=at(2026, 3, 21)
    )
    assert case.status == CaseStatus.CLOSED and case.closure_kind == ClosureKind.EXECUTED
    actions = [e.action for e in record_events(case)]
    assert actions == [
        "filed",
        "add_evidence",
        "issue_notice",
        "record_statement",
        "decide",
        "serve_decision",
        "record_execution",
        "close",
    ]


def test_no_decision_before_notice_or_within_the_statement_period(catalog: World):
    case = filed(catalog)
    with pytest.raises(TransitionRefused):  # not even allowed from investigating
        services.case_decide(
            case=case,
            actor=catalog.officer_a,
            penalty=PenaltyKind.FINE,
            fine=1000,
            decision_text="x",
            at=at(2026, 3, 4),
        )
    case = services.notice_issue(
        case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=2000, at=at(2026, 3, 5)
    )
    with pytest.raises(TransitionRefused, match="第六十二条"):
        services.case_decide(
            case=case,
            actor=catalog.officer_a,
            penalty=PenaltyKind.FINE,
            fine=2000,
            decision_text="x",
            at=at(2026, 3, 6),
        )
    case = services.waiver_record(case=case, actor=catalog.officer_a, at=at(2026, 3, 6, 11))
    case = services.case_decide(
        case=case,
        actor=catalog.officer_a,
        penalty=PenaltyKind.FINE,
        fine=2000,
        decision_text="决定",
        at=at(2026, 3, 6, 12),
    )
    assert case.status == CaseStatus.DECIDED


def test_no_heavier_penalty_than_the_notice(catalog: World):
    case = filed(catalog)
    case = services.notice_issue(
        case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=2000, at=at(2026, 3, 5)
    )
    services.statement_record(
        case=case, actor=catalog.officer_a, statement="陈述", at=at(2026, 3, 6)
    )
    with pytest.raises(TransitionRefused, match="第四十五条"):
        services.case_decide(
            case=case,
            actor=catalog.officer_a,
            penalty=PenaltyKind.FINE,
            fine=3000,
            decision_text="x",
            at=at(2026, 3, 20),
        )


def test_simplified_procedure_limit(catalog: World):
    lead = verified_lead(catalog)
    with pytest.raises(TransitionRefused, match="第五十一条"):
        services.case_simplified(
            lead=lead,
            actor=catalog.officer_a,
            party_kind=PartyKind.PERSON,
            party_name="李某",
            facts="当场发现",
            penalty=PenaltyKind.FINE,
            fine=500,
            at=at(2026, 3, 3),
        )
    case = services.case_simplified(
        lead=lead,
        actor=catalog.officer_a,
        party_kind=PartyKind.PERSON,
        party_name="李某",
        facts="当场发现",
        penalty=PenaltyKind.FINE,
        fine=200,
        at=at(2026, 3, 3),
    )
    assert case.status == CaseStatus.EXECUTING and case.fine == Decimal("200.00")


def test_decision_after_90_days_needs_an_approved_extension(catalog: World):
    case = filed(catalog)
    case = services.notice_issue(
        case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=2000, at=at(2026, 5, 20)
    )
    with pytest.raises(TransitionRefused, match="第六十条"):
        services.case_decide(
            case=case,
            actor=catalog.officer_a,
            penalty=PenaltyKind.FINE,
            fine=2000,
            decision_text="x",
            at=at(2026, 6, 5),
        )
    with pytest.raises(TransitionRefused):  # an officer cannot approve
        services.extension_approve(
            case=case, actor=catalog.officer_a, days=30, reason="案情复杂", at=at(2026, 5, 25)
        )
    case = services.extension_approve(
        case=case, actor=catalog.leader, days=30, reason="案情复杂，需结构鉴定", at=at(2026, 5, 25)
    )
    case = services.case_decide(
        case=case,
        actor=catalog.officer_a,
        penalty=PenaltyKind.FINE,
        fine=2000,
        decision_text="决定",
        at=at(2026, 6, 5),
    )
    assert case.status == CaseStatus.DECIDED


def test_fine_out_of_range_needs_a_reason(catalog: World):
    case = filed(catalog)
    case = services.notice_issue(
        case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=500, at=at(2026, 3, 5)
    )
    # the catalog's range for common_area_occupation starts at 1,000 yuan
    with pytest.raises(ValidationError):
        services.case_decide(
            case=case,
            actor=catalog.officer_a,
            penalty=PenaltyKind.FINE,
            fine=500,
            decision_text="x",
            at=at(2026, 3, 20),
        )
    case = services.case_decide(
        case=case,
        actor=catalog.officer_a,
        penalty=PenaltyKind.FINE,
        fine=500,
        decision_text="决定",
        out_of_range_reason="当事人主动消除危害后果，依法减轻处罚",
        at=at(2026, 3, 20),
    )
    assert case.out_of_range_reason


def test_major_decision_needs_legal_review(catalog: World):
    case = filed(catalog)
    with pytest.raises(TransitionRefused):
        services.notice_issue(
            case=case,
            actor=catalog.officer_a,
            penalty=PenaltyKind.FINE,
            fine=8000,
            at=at(2026, 3, 5),
        )
    case = services.review_request(
        case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=8000, at=at(2026, 3, 5)
    )
    with pytest.raises(TransitionRefused):  # not a reviewer
        services.review_decide(
            case=case, actor=catalog.officer_a, approve=True, opinion="同意", at=at(2026, 3, 6)
        )
    case = services.review_decide(
        case=case, actor=catalog.legal, approve=True, opinion="事实清楚，同意", at=at(2026, 3, 6)
    )
    case = services.notice_issue(
        case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=8000, at=at(2026, 3, 7)
    )
    assert case.hearing_right  # 8,000 yuan for a person is a large fine (art. 63)


def test_hearing_request_within_five_days_and_notified_seven_days_ahead(catalog: World):
    case = filed(catalog)
    case = services.review_request(
        case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=8000, at=at(2026, 3, 5)
    )
    case = services.review_decide(
        case=case, actor=catalog.legal, approve=True, opinion="同意", at=at(2026, 3, 6)
    )
    case = services.notice_issue(
        case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=8000, at=at(2026, 3, 9)
    )
    with pytest.raises(TransitionRefused, match="第六十四条"):
        services.hearing_request(
            case=case, actor=catalog.officer_a, requested_at=at(2026, 3, 20), at=at(2026, 3, 20)
        )
    case = services.hearing_request(
        case=case, actor=catalog.officer_a, requested_at=at(2026, 3, 11), at=at(2026, 3, 11)
    )
    with pytest.raises(TransitionRefused, match="第六十四条"):
        services.hearing_schedule(
            case=case,
            actor=catalog.officer_a,
            hearing_at=at(2026, 3, 13),
            place="执法队会议室",
            at=at(2026, 3, 11),
        )
    case = services.hearing_schedule(
        case=case,
        actor=catalog.officer_a,
        hearing_at=at(2026, 3, 24, 14),
        place="执法队会议室",
        at=at(2026, 3, 11),
    )
    with pytest.raises(TransitionRefused):  # the hearing has not been held
        services.case_decide(
            case=case,
            actor=catalog.officer_a,
            penalty=PenaltyKind.FINE,
            fine=8000,
            decision_text="x",
            at=at(2026, 3, 23),
        )
    case = services.hearing_record(
        case=case,
        actor=catalog.officer_a,
        record="听证笔录",
        held_at=at(2026, 3, 24, 14),
        at=at(2026, 3, 24, 16),
    )
    case = services.case_decide(
        case=case,
        actor=catalog.officer_a,
        penalty=PenaltyKind.FINE,
        fine=6000,
        decision_text="决定",
        at=at(2026, 3, 25),
    )
    assert case.status == CaseStatus.DECIDED


@pytest.mark.parametrize(
    ("fine", "paid", "day", "expected"),
    [
        (Decimal("1000"), Decimal("0"), dt.date(2026, 4, 1), Decimal("0")),  # on the due day
        (Decimal("1000"), Decimal("0"), dt.date(2026, 4, 2), Decimal("30.00")),  # one day late
        (Decimal("1000"), Decimal("0"), dt.date(2026, 4, 11), Decimal("300.00")),  # ten days
        (Decimal("1000"), Decimal("0"), dt.date(2026, 9, 1), Decimal("1000")),  # capped at the fine
        (
            Decimal("1000"),
            Decimal("400"),
            dt.date(2026, 4, 3),
            Decimal("36.00"),
        ),  # on what is unpaid
    ],
)
def test_late_fee(fine: Decimal, paid: Decimal, day: dt.date, expected: Decimal):
    fee = services.late_fee(fine=fine, payment_due=at(2026, 4, 1, 23, 59), paid_amount=paid, on=day)
    assert fee == expected


def test_preserved_evidence_runs_its_seven_days(catalog: World):
    case = filed(catalog)
    item = services.evidence_add(
        case=case,
        actor=catalog.officer_a,
        kind=EvidenceKind.PRESERVATION,
        description="先行登记保存电动车1辆",
        collected_at=at(2026, 3, 4),
        at=at(2026, 3, 4),
    )
    case.refresh_from_db()
    assert item.preservation_due is not None and case.due_at == item.preservation_due
    services.preservation_resolve(
        evidence=item, actor=catalog.officer_a, outcome="已返还当事人", at=at(2026, 3, 6)
    )
    case.refresh_from_db()
    assert case.due_at == case.decision_due_at


def test_organisations_need_a_valid_credit_code(catalog: World):
    lead = verified_lead(catalog)
    with pytest.raises(ValidationError):
        services.case_file(
            lead=lead,
            actor=catalog.officer_a,
            party_kind=PartyKind.ORGANISATION,
            party_name="某公司",
            party_uscc="91310107MA1ABCDEF0",
            facts="事实",
        )


def test_a_late_payment_still_owes_the_late_fee(catalog: World):
    case = filed(catalog)
    case = services.notice_issue(
        case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=1500, at=at(2026, 3, 5)
    )
    case = services.waiver_record(case=case, actor=catalog.officer_a, at=at(2026, 3, 5, 11))
    case = services.case_decide(
        case=case,
        actor=catalog.officer_a,
        penalty=PenaltyKind.FINE,
        fine=1500,
        decision_text="决定",
        at=at(2026, 3, 5, 12),
    )
    case = services.decision_serve(case=case, actor=catalog.officer_a, at=at(2026, 3, 5, 12))
    assert case.payment_due is not None
    due_day = case.payment_due.date()
    paid_on = due_day + dt.timedelta(days=9)
    services.execution_record(
        case=case,
        actor=catalog.officer_a,
        kind=ExecutionKind.PAYMENT,
        amount=1500,
        at=at(paid_on.year, paid_on.month, paid_on.day, 10),
    )
    case.refresh_from_db()
    # the fine paid 9 days late: 1,500 × 3 % × 9 = 405 yuan still owed (art. 72)
    assert services.case_late_fee(case, on=paid_on) == Decimal("405.00")
    assert services.amount_due(case, on=paid_on) == Decimal("405.00")
    with pytest.raises(TransitionRefused, match="第七十二条"):
        services.case_close(
            case=case,
            actor=catalog.officer_a,
            report="结案",
            at=at(paid_on.year, paid_on.month, paid_on.day, 11),
        )
    services.execution_record(
        case=case,
        actor=catalog.officer_a,
        kind=ExecutionKind.PAYMENT,
        amount=405,
        at=at(paid_on.year, paid_on.month, paid_on.day, 12),
    )
    case.refresh_from_db()
    assert services.amount_due(case, on=paid_on) == 0
    case = services.case_close(
        case=case,
        actor=catalog.officer_a,
        report="罚款及加处罚款已缴清",
        at=at(paid_on.year, paid_on.month, paid_on.day, 13),
    )
    assert case.status == CaseStatus.CLOSED


def test_the_simplified_decision_is_an_event_and_numbers_are_official(catalog: World):
    lead = verified_lead(catalog)
    case = services.case_simplified(
        lead=lead,
        actor=catalog.officer_a,
        party_kind=PartyKind.PERSON,
        party_name="李某",
        facts="当场发现",
        penalty=PenaltyKind.FINE,
        fine=100,
        at=at(2026, 3, 3),
    )
    assert [e.action for e in record_events(case)] == [
        "filed",
        "decide_on_the_spot",
        "serve_decision",
    ]
    assert case.decision_number == "普城管罚字〔2026〕第0001号"


def test_an_extension_can_be_refused_and_a_reopening_asked(catalog: World):
    case = filed(catalog)
    case = services.extension_request(
        case=case, actor=catalog.officer_a, days=30, reason="需鉴定", at=at(2026, 3, 4)
    )
    case = services.extension_reject(
        case=case, actor=catalog.leader, reason="期限内可以完成", at=at(2026, 3, 5)
    )
    assert case.extension_days == 0
    case = services.case_withdraw(
        case=case, actor=catalog.officer_a, reason="事实不清", at=at(2026, 3, 6)
    )
    case = services.reopen_request(
        case=case, actor=catalog.officer_a, reason="发现新证据", at=at(2026, 3, 9)
    )
    assert case.status == CaseStatus.CLOSED
    case = services.case_reopen(
        case=case, actor=catalog.leader, reason="同意重新调查", at=at(2026, 3, 10)
    )
    assert case.status == CaseStatus.INVESTIGATING and case.reopen_count == 1

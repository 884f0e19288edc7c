"""Supervision through its services: extensions within and beyond the rule, the overdue
sweep (marks once, escalates, urge notices, complaints' replies) and manual urging."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from xiaoqu.audit.models import Notification
from xiaoqu.audit.services import audit_verify, record_events
from xiaoqu.cases.models import Case
from xiaoqu.conftest import World
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.intake import services as intake
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.referrals import services as referrals
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.supervision import services
from xiaoqu.supervision.choices import ExtensionStatus, UrgeKind
from xiaoqu.supervision.models import UrgeNotice

from .factories import assistance_at, at, complaint_at, dispatched_lead, referral_at


def actions(record) -> list[str]:
    return [e.action for e in record_events(record)]


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("text", flat=True))


# ---------------------------------------------------------------------------------------------
# Extensions


def test_extension_approved_recomputes_the_deadline_across_holidays(catalog: World):
    # Wednesday 8 April 2026: 15 working days (Qingming is over) end on Wednesday 29 April.
    lead = dispatched_lead(catalog, at(2026, 4, 8, 10))
    assert lead.due_at == at(2026, 4, 29, 23, 59).replace(second=59)
    request = services.extension_request(
        lead=lead,
        actor=catalog.officer_a,
        days=5,
        reason="当事人外出，需再次上门",
        at=at(2026, 4, 20),
    )
    assert request.status == ExtensionStatus.PENDING and request.days == 5
    lead.refresh_from_db()
    assert lead.due_at == at(2026, 4, 29, 23, 59).replace(second=59)  # not before approval
    assert actions(lead)[-1] == "request_extension"
    assert any("5" in t for t in inbox(catalog.dispatcher))

    with translation.override("en"):
        decided = services.extension_decide(
            extension=request, actor=catalog.leader, approve=True, note="同意", at=at(2026, 4, 21)
        )
    assert decided.status == ExtensionStatus.APPROVED and decided.decided_by == catalog.leader
    lead.refresh_from_db()
    assert lead.extension_days == 5
    # 30 April, then Labour Day 1–5 May, 6, 7, 8 May and the make-up Saturday 9 May
    assert lead.due_at == at(2026, 5, 9, 23, 59).replace(second=59)
    assert "5" in lead.due_note
    event = record_events(lead).last()
    assert event is not None
    assert event.action == "extend" and event.reason == "同意" and event.data["days"] == 5
    assert inbox(catalog.officer_a)[0].startswith("Your extension")  # the requester
    assert audit_verify()[2] == []


def test_extension_beyond_the_rule_is_refused(catalog: World):
    lead = dispatched_lead(catalog, at(2026, 4, 8, 10))
    with pytest.raises(ValidationError):
        services.extension_request(lead=lead, actor=catalog.officer_a, days=0, reason="x")
    with pytest.raises(ValidationError), translation.override("en"):
        services.extension_request(lead=lead, actor=catalog.officer_a, days=11, reason="x")
    first = services.extension_request(lead=lead, actor=catalog.officer_a, days=6, reason="一")
    # one request at a time
    with pytest.raises(TransitionRefused, match="awaiting approval"), translation.override("en"):
        services.extension_request(lead=lead, actor=catalog.officer_a, days=1, reason="二")
    services.extension_decide(extension=first, actor=catalog.dispatcher, approve=True, note="")
    # 10 working days in all: 6 approved, 4 left
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        services.extension_request(lead=lead, actor=catalog.officer_a, days=5, reason="三")
    assert "at most 4" in str(exc.value)
    second = services.extension_request(lead=lead, actor=catalog.officer_a, days=4, reason="三")
    services.extension_decide(extension=second, actor=catalog.dispatcher, approve=True, note="")
    lead.refresh_from_db()
    assert lead.extension_days == 10
    with pytest.raises(ValidationError):
        services.extension_request(lead=lead, actor=catalog.officer_a, days=1, reason="四")


def test_extension_rejected_keeps_the_deadline_and_records_the_reason(catalog: World):
    lead = dispatched_lead(catalog, at(2026, 4, 8, 10))
    due = lead.due_at
    request = services.extension_request(lead=lead, actor=catalog.officer_a, days=3, reason="忙")
    with pytest.raises(ValidationError):  # a refusal needs its reason
        services.extension_decide(
            extension=request, actor=catalog.dispatcher, approve=False, note=""
        )
    services.extension_decide(
        extension=request, actor=catalog.dispatcher, approve=False, note="理由不充分"
    )
    lead.refresh_from_db()
    request.refresh_from_db()
    assert lead.due_at == due and lead.extension_days == 0
    assert request.status == ExtensionStatus.REJECTED and request.decision_note == "理由不充分"
    event = record_events(lead).last()
    assert event is not None and event.action == "extension_rejected"
    assert event.reason == "理由不充分"
    assert any("理由不充分" in t for t in inbox(catalog.officer_a))
    # decided once only
    with pytest.raises(TransitionRefused):
        services.extension_decide(
            extension=request, actor=catalog.dispatcher, approve=True, note=""
        )


def test_who_may_ask_and_decide(catalog: World):
    lead = dispatched_lead(catalog, at(2026, 4, 8, 10))
    for user in (catalog.officer_b, catalog.dispatcher, catalog.liaison, catalog.manager_a):
        with pytest.raises(TransitionRefused):
            services.extension_request(lead=lead, actor=user, days=2, reason="x")
    request = services.extension_request(lead=lead, actor=catalog.officer_a, days=2, reason="x")
    for user in (catalog.officer_a, catalog.officer_b, catalog.legal, catalog.liaison):
        with pytest.raises(TransitionRefused):
            services.extension_decide(extension=request, actor=user, approve=True, note="")


def test_no_extension_where_the_rule_has_none(catalog: World):
    # illegal construction before anyone was on site runs on the 24-hour rule
    lead = dispatched_lead(catalog, at(2026, 4, 8, 10), code="illegal_construction")
    assert lead.due_rule is not None and lead.due_rule.code == "illegal_construction_on_site"
    with pytest.raises(TransitionRefused):
        services.extension_request(lead=lead, actor=catalog.officer_a, days=1, reason="x")


def test_approval_after_the_lead_moved_on_is_refused(catalog: World):
    lead = dispatched_lead(catalog, at(2026, 4, 8, 10))
    request = services.extension_request(lead=lead, actor=catalog.officer_a, days=2, reason="x")
    intake.lead_close_no_violation(
        lead=lead,
        actor=catalog.officer_a,
        visit=intake.Visit(
            inspected_at=at(2026, 4, 9, 10),
            place="楼道",
            findings="已清理",
            violation_found=False,
        ),
        reason="无违法",
        at=at(2026, 4, 9, 11),
    )
    with pytest.raises(TransitionRefused):
        services.extension_decide(
            extension=request, actor=catalog.dispatcher, approve=True, note=""
        )
    request.refresh_from_db()
    assert request.status == ExtensionStatus.PENDING
    # it can still be turned down
    services.extension_decide(
        extension=request, actor=catalog.dispatcher, approve=False, note="已结案"
    )


# ---------------------------------------------------------------------------------------------
# The sweep


def test_sweep_marks_an_overdue_lead_once_and_escalates(catalog: World):
    lead = dispatched_lead(catalog, at(2026, 4, 8, 10))
    assert services.sweep(at=at(2026, 4, 29, 23)).leads == []  # not yet due
    result = services.sweep(at=at(2026, 5, 6, 9))
    assert result.leads == [lead.number]
    lead.refresh_from_db()
    assert lead.overdue_at == at(2026, 5, 6, 9) and lead.escalated_at == at(2026, 5, 6, 9)
    assert actions(lead)[-1] == "overdue"
    event = record_events(lead).last()
    assert event is not None and event.actor is None
    assert event.data["rule"] == "clue_verification"
    notice = UrgeNotice.objects.get(record_number=lead.number)
    assert notice.kind == UrgeKind.OVERDUE and notice.subdistrict == catalog.sd_a
    assert notice.rule == lead.due_rule and notice.due_at == lead.due_at
    assert notice.department is None and notice.issued_by is None
    again = services.sweep(at=at(2026, 5, 6, 9))
    # the responsible officers, then the district's dispatchers and leaders
    assert any(lead.number in t for t in inbox(catalog.officer_a))
    assert any(lead.number in t for t in inbox(catalog.dispatcher))
    assert any(lead.number in t for t in inbox(catalog.leader))
    assert not inbox(catalog.officer_b) and not inbox(catalog.legal)
    # a second run marks nothing twice
    assert again.marked == 0
    assert services.sweep(at=at(2026, 5, 8)).leads == []
    assert actions(lead).count("overdue") == 1
    assert UrgeNotice.objects.filter(record_number=lead.number).count() == 1
    assert audit_verify()[2] == []


def test_sweep_marks_complaint_replies(catalog: World):
    complaint = complaint_at(catalog, at(2026, 4, 8, 10))
    # 12345: 5 working days → 15 April
    assert complaint.reply_due_at == at(2026, 4, 15, 23, 59).replace(second=59)
    result = services.sweep(at=at(2026, 4, 16, 8))
    assert result.complaints == [complaint.number] and result.leads == []
    complaint.refresh_from_db()
    assert complaint.reply_overdue_at == at(2026, 4, 16, 8)
    assert actions(complaint)[-1] == "overdue"
    notice = UrgeNotice.objects.get(record_number=complaint.number)
    assert notice.rule == complaint.reply_rule and notice.kind == UrgeKind.OVERDUE
    assert services.sweep(at=at(2026, 4, 17)).complaints == []
    # a replied complaint is never marked
    other = complaint_at(catalog, at(2026, 4, 8, 11), estate=catalog.estate_b)
    assert other.lead is not None
    intake.complaint_reply(
        complaint=other, actor=catalog.dispatcher, text="已告知", at=at(2026, 4, 9)
    )
    assert other.number not in services.sweep(at=at(2026, 4, 20)).complaints


def test_sweep_marks_referrals_and_assistance_and_tells_the_department(catalog: World):
    referral = referral_at(catalog, at(2026, 4, 8, 10))
    assistance = assistance_at(catalog, at(2026, 4, 8, 10), estate=catalog.estate_b)
    # assistance: 10 calendar days → 18 April is a Saturday → Monday 20 April
    assert assistance.due_at == at(2026, 4, 20, 23, 59).replace(second=59)
    result = services.sweep(at=at(2026, 4, 21, 9))
    assert result.assistance == [assistance.number] and result.referrals == []
    notice = UrgeNotice.objects.get(record_number=assistance.number)
    assert notice.department == catalog.housing and notice.subdistrict == catalog.sd_b
    assert any(assistance.number in t for t in inbox(catalog.liaison))
    # referral feedback: 15 working days → 29 April
    result = services.sweep(at=at(2026, 4, 30, 9))
    assert result.referrals == [referral.number]
    referral.refresh_from_db()
    assert referral.overdue_at == at(2026, 4, 30, 9)
    assert any(referral.number in t for t in inbox(catalog.liaison))
    assert any(referral.number in t for t in inbox(catalog.leader))


def test_a_new_deadline_clears_the_mark_and_can_be_marked_again(catalog: World):
    referral = referral_at(catalog, at(2026, 4, 8, 10))
    services.sweep(at=at(2026, 4, 30, 9))
    referrals.referral_return(
        referral=referral, actor=catalog.liaison, reason="不属于本部门", at=at(2026, 4, 30, 10)
    )
    referral.refresh_from_db()
    assert referral.overdue_at is None  # the bureau's 3 working days now run
    result = services.sweep(at=at(2026, 5, 12, 9))
    assert result.referrals == [referral.number]
    notice = UrgeNotice.objects.filter(record_number=referral.number).first()
    assert notice is not None and notice.department is None  # the bureau's own delay
    assert any(referral.number in t for t in inbox(catalog.dispatcher))


def test_a_finished_item_is_not_marked(catalog: World):
    assistance = assistance_at(catalog, at(2026, 4, 8, 10))
    referrals.assistance_answer(
        request=assistance, actor=catalog.liaison, answer="已核实", at=at(2026, 4, 10)
    )
    result = services.sweep(at=at(2026, 6, 1))
    assert assistance.number not in result.assistance
    assert AssistanceRequest.objects.get(pk=assistance.pk).overdue_at is None


# ---------------------------------------------------------------------------------------------
# Manual urging


def test_a_supervisor_urges(catalog: World):
    lead = dispatched_lead(catalog, at(2026, 4, 8, 10))
    notice = services.urge(
        record=lead, actor=catalog.leader, text="请于今日内完成核查", at=at(2026, 4, 20)
    )
    assert notice.kind == UrgeKind.MANUAL and notice.issued_by == catalog.leader
    assert notice.text == "请于今日内完成核查" and notice.subdistrict == catalog.sd_a
    event = record_events(lead).last()
    assert event is not None and event.action == "urged" and event.actor == catalog.leader
    assert any("请于今日内完成核查" in t for t in inbox(catalog.officer_a))

    referral = referral_at(catalog, at(2026, 4, 8, 10), estate=catalog.estate_b)
    services.urge(record=referral, actor=catalog.dispatcher, text="请尽快反馈")
    assert any("请尽快反馈" in t for t in inbox(catalog.liaison))
    complaint = Complaint.objects.get(lead=referral.lead)
    services.urge(record=complaint, actor=catalog.dispatcher, text="请回复举报人")
    assert actions(complaint)[-1] == "urged"
    assert audit_verify()[2] == []


def test_urging_is_for_supervisors_and_open_items(catalog: World):
    lead = dispatched_lead(catalog, at(2026, 4, 8, 10))
    for user in (catalog.officer_a, catalog.liaison, catalog.legal, catalog.clerk_a):
        with pytest.raises(TransitionRefused):
            services.urge(record=lead, actor=user, text="x")
    with pytest.raises(ValidationError):
        services.urge(record=lead, actor=catalog.dispatcher, text=" ")
    assistance = assistance_at(catalog, at(2026, 4, 8, 10), estate=catalog.estate_a2)
    referrals.assistance_answer(request=assistance, actor=catalog.liaison, answer="已核实")
    with pytest.raises(TransitionRefused):
        services.urge(record=assistance, actor=catalog.dispatcher, text="x")
    assert not UrgeNotice.objects.filter(record_number=assistance.number).exists()


def test_models_of_the_sweep():
    # every swept model is a workflow record with the internal moves the sweep makes
    for workflow, _statuses in services.SWEPT:
        assert {"overdue", "urged"} <= set(workflow.moves)
        assert workflow.moves["overdue"].internal
    from xiaoqu.meetings.models import ActionItem  # meetings: action items are swept too

    assert {w.model for w, _s in services.SWEPT} == {
        Lead,
        Referral,
        AssistanceRequest,
        Case,
        ActionItem,
    }


def test_the_sweep_marks_overdue_cases(catalog: World):
    from xiaoqu.cases.tests.test_services import at, filed

    case = filed(catalog)  # filed 3 March 2026: the decision is due 1 June (art. 60)
    result = services.sweep(at=at(2026, 6, 2, 9))
    assert case.number in result.cases
    case.refresh_from_db()
    assert case.overdue_at is not None
    assert UrgeNotice.objects.filter(record_number=case.number).exists()
    assert services.sweep(at=at(2026, 6, 2, 10)).cases == []  # once

"""The complaint-to-verification loop through its services: intake, repeats, dispatch,
on-site outcomes, deadlines from the catalog, and refusals with reasons."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from xiaoqu.audit.models import Notification
from xiaoqu.audit.services import record_events
from xiaoqu.conftest import World
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.intake import services
from xiaoqu.intake.choices import Channel, LeadStatus, Outcome
from xiaoqu.law.models import ViolationType

SH = ZoneInfo("Asia/Shanghai")


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=SH)


def vt(code: str) -> ViolationType:
    return ViolationType.objects.effective().get(code=code)


def complaint(
    world: World,
    *,
    code: str = "common_area_occupation",
    when: dt.datetime | None = None,
    **kw: Any,
) -> Any:
    return services.complaint_create(
        actor=world.dispatcher,
        channel=kw.pop("channel", Channel.HOTLINE),
        content=kw.pop("content", "楼道堆放杂物"),
        estate=kw.pop("estate", world.estate_a),
        violation_type=vt(code),
        reporter_name="王先生",
        reporter_phone="13812341234",
        received_at=when,
        at=when,
        **kw,
    )


def visit(when: dt.datetime, found: bool = True) -> services.Visit:
    return services.Visit(
        inspected_at=when, place="3号楼楼道", findings="现场堆放纸箱", violation_found=found
    )


def test_intake_raises_a_lead_with_deadlines_from_the_catalog(catalog: World):
    # Thursday 2026-02-12, before the Spring Festival (15–23 Feb) and its make-up Saturdays
    c = complaint(catalog, when=at(2026, 2, 12, 10))
    lead = c.lead
    assert lead.status == LeadStatus.PENDING_DISPATCH and lead.subdistrict == catalog.sd_a
    assert lead.due_rule.code == "clue_verification"
    # 15 working days: 13 Feb, 14 (make-up Sat), 24–27, 28 (make-up Sat), 2–6 Mar, 9–11 Mar
    assert lead.due_at == at(2026, 3, 11, 23, 59, 59)
    # the 12345 reply: 5 working days: 13, 14, 24, 25, 26 Feb
    assert c.reply_rule.code == "hotline_general"
    assert c.reply_due_at == at(2026, 2, 26, 23, 59, 59)
    assert [e.action for e in record_events(lead)] == ["created"]


def test_illegal_construction_on_site_rule(catalog: World):
    c = complaint(catalog, code="illegal_construction", when=at(2026, 5, 6, 9), ongoing=True)
    assert c.lead.due_rule.code == "illegal_construction_on_site"
    assert c.lead.due_at == at(2026, 5, 6, 11)  # 2 hours while construction goes on
    c2 = complaint(
        catalog, code="illegal_construction", when=at(2026, 5, 6, 9), estate=catalog.estate_a2
    )
    assert c2.lead.due_at == at(2026, 5, 7, 9)  # 24 hours
    assert c2.lead is not None
    lead = services.lead_dispatch(lead=c2.lead, actor=catalog.dispatcher, at=at(2026, 5, 6, 9, 30))
    assert lead.due_rule is not None
    lead = services.lead_record_visit(
        lead=lead, actor=catalog.officer_a, visit=visit(at(2026, 5, 6, 15)), at=at(2026, 5, 6, 16)
    )
    assert (
        lead.due_rule is not None and lead.due_rule.code == "clue_verification"
    )  # on site: the verification clock runs


def test_repeat_complaint_attaches_to_the_open_lead(catalog: World):
    first = complaint(catalog, when=at(2026, 3, 2, 9))
    second = complaint(catalog, when=at(2026, 3, 3, 9), content="又堆满了")
    assert second.lead == first.lead and second.is_repeat
    first.lead.refresh_from_db()
    assert first.lead.complaint_count == 2
    assert Notification.objects.filter(
        recipient=catalog.dispatcher, text__contains=second.number
    ).exists()
    other = complaint(catalog, when=at(2026, 3, 3, 9), estate=catalog.estate_a2)
    assert other.lead != first.lead


def test_dispatch_and_close_without_violation(catalog: World):
    c = complaint(catalog, when=at(2026, 3, 2, 9))
    lead = services.lead_dispatch(lead=c.lead, actor=catalog.dispatcher, at=at(2026, 3, 2, 10))
    assert lead.status == LeadStatus.DISPATCHED
    assert lead.team is not None and lead.team.subdistrict == catalog.sd_a
    assert Notification.objects.filter(recipient=catalog.officer_a).exists()
    lead = services.lead_close_no_violation(
        lead=lead,
        actor=catalog.officer_a,
        visit=visit(at(2026, 3, 3, 9), found=False),
        reason="现场无堆物",
        at=at(2026, 3, 3, 10),
    )
    assert (
        lead.status == LeadStatus.CLOSED
        and lead.outcome == Outcome.NO_VIOLATION
        and lead.due_at is None
    )
    assert [e.action for e in record_events(lead)] == ["created", "dispatch", "close_no_violation"]
    assert lead.inspections.get().event is not None


def test_rectification_then_reinspection(catalog: World):
    c = complaint(catalog, when=at(2026, 3, 2, 9))
    lead = services.lead_dispatch(lead=c.lead, actor=catalog.dispatcher, at=at(2026, 3, 2, 10))
    lead = services.lead_order_rectification(
        lead=lead,
        actor=catalog.officer_a,
        visit=visit(at(2026, 3, 3, 9)),
        rectify_by=dt.date(2026, 3, 10),
        at=at(2026, 3, 3, 10),
    )
    assert lead.status == LeadStatus.RECTIFYING
    assert lead.due_at == at(2026, 3, 13, 23, 59, 59)  # 3 working days after the 10th
    lead = services.lead_reinspect(
        lead=lead,
        actor=catalog.officer_a,
        visit=visit(at(2026, 3, 11, 9)),
        corrected=False,
        at=at(2026, 3, 11, 10),
    )
    assert lead.status == LeadStatus.TO_FILING


def test_refusals_carry_their_reason(catalog: World):
    c = complaint(catalog, when=at(2026, 3, 2, 9))
    with (
        translation.override("en"),
        pytest.raises(TransitionRefused, match=r"Only the dispatcher can"),
    ):
        services.lead_dispatch(lead=c.lead, actor=catalog.officer_a, at=at(2026, 3, 2, 10))
    with pytest.raises(TransitionRefused):
        services.lead_close_no_violation(
            lead=c.lead,
            actor=catalog.officer_a,
            visit=visit(at(2026, 3, 2, 11)),
            reason="x",
            at=at(2026, 3, 2, 12),
        )
    lead = services.lead_dispatch(lead=c.lead, actor=catalog.dispatcher, at=at(2026, 3, 2, 10))
    with pytest.raises(TransitionRefused):  # another subdistrict's officer
        services.lead_close_no_violation(
            lead=lead,
            actor=catalog.officer_b,
            visit=visit(at(2026, 3, 2, 11)),
            reason="x",
            at=at(2026, 3, 2, 12),
        )
    with pytest.raises(ValidationError):
        services.lead_order_rectification(
            lead=lead,
            actor=catalog.officer_a,
            visit=visit(at(2026, 3, 2, 11)),
            rectify_by=dt.date(2026, 3, 1),
            at=at(2026, 3, 2, 12),
        )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DISPATCHED and lead.event_count == 2  # nothing half-written


def test_complaints_follow_their_lead_to_the_subdistrict_it_is_dispatched_to(catalog: World):
    c = services.complaint_create(
        actor=catalog.dispatcher,
        channel=Channel.HOTLINE,
        content="路边违章搭建",
        reporter_phone="13900001111",
    )
    assert c.subdistrict is None and c.lead is not None
    services.lead_dispatch(lead=c.lead, actor=catalog.dispatcher, subdistrict=catalog.sd_b)
    c.refresh_from_db()
    assert c.subdistrict == catalog.sd_b
    lead = services.lead_reassign(lead=c.lead, actor=catalog.dispatcher, subdistrict=catalog.sd_a)
    c.refresh_from_db()
    assert c.subdistrict == catalog.sd_a and lead.subdistrict == catalog.sd_a


def test_a_studio_reports_only_about_its_estates(catalog: World):
    with pytest.raises(ValidationError):
        services.complaint_create(
            actor=catalog.member_a,
            channel=Channel.STUDIO,
            content="楼道堆物",
            estate=catalog.estate_b,
        )
    ok = services.complaint_create(
        actor=catalog.member_a, channel=Channel.STUDIO, content="楼道堆物", estate=catalog.estate_a
    )
    assert ok.reporter_studio == catalog.studio_a


def test_no_reveal_without_a_phone(catalog: World):
    c = services.complaint_create(
        actor=catalog.dispatcher, channel=Channel.HOTLINE, content="匿名反映", anonymous=True
    )
    with pytest.raises(TransitionRefused):
        services.complaint_contact_reveal(complaint=c, user=catalog.dispatcher)


def test_a_reopened_lead_gets_a_new_clock(catalog: World):
    c = complaint(catalog, when=at(2026, 3, 2, 9))
    lead = services.lead_dispatch(lead=c.lead, actor=catalog.dispatcher, at=at(2026, 3, 2, 10))
    lead = services.lead_close_no_violation(
        lead=lead,
        actor=catalog.officer_a,
        visit=visit(at(2026, 3, 3, 9), found=False),
        reason="无",
        at=at(2026, 3, 3, 10),
    )
    lead = services.lead_reopen(
        lead=lead, actor=catalog.dispatcher, reason="举报人再次反映", at=at(2026, 6, 1, 9)
    )
    assert lead.status == LeadStatus.DISPATCHED and lead.reopen_count == 1
    assert lead.due_at is not None and lead.due_at > at(
        2026, 6, 1, 9
    )  # 15 working days from the reopening


def test_rectification_deadline_leaves_time_to_reinspect(catalog: World):
    c = complaint(catalog, when=at(2026, 3, 2, 9))
    lead = services.lead_dispatch(lead=c.lead, actor=catalog.dispatcher, at=at(2026, 3, 2, 10))
    lead = services.lead_order_rectification(
        lead=lead,
        actor=catalog.officer_a,
        visit=visit(at(2026, 3, 3, 9)),
        rectify_by=dt.date(2026, 4, 30),
        at=at(2026, 3, 3, 10),
    )
    # re-inspection within 3 working days after 30 April: 1–5 May is Labour Day, 6, 7, 8 May
    assert lead.due_rule is not None and lead.due_rule.code == "reinspection"
    assert lead.due_at == at(2026, 5, 8, 23, 59, 59)

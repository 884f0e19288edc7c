"""Records at every stage where a document exists, made through the real services at chosen
times (the year of the act decides the year of the number)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as new_document

from xiaoqu.cases import services as cases
from xiaoqu.cases.choices import ExecutionKind, PartyKind, PenaltyKind
from xiaoqu.cases.models import Case
from xiaoqu.conftest import World
from xiaoqu.intake import services as intake
from xiaoqu.intake.models import Lead
from xiaoqu.law.models import ViolationType
from xiaoqu.referrals import services as referrals
from xiaoqu.referrals.models import AssistanceRequest, Referral

SH = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


def officer_for(world: World, estate: Any) -> Any:
    return world.officer_b if estate == world.estate_b else world.officer_a


def dispatched_lead(
    world: World, when: dt.datetime, *, estate: Any = None, code: str = "common_area_occupation"
) -> Lead:
    complaint = intake.complaint_create(
        actor=world.dispatcher,
        channel="hotline",
        content="3号楼楼道被占用堆物",
        address="甲路100弄3号楼",
        estate=estate or world.estate_a,
        violation_type=ViolationType.objects.effective().get(code=code),
        reporter_phone="13800001111",
        received_at=when,
        at=when,
    )
    assert complaint.lead is not None
    return intake.lead_dispatch(
        lead=complaint.lead, actor=world.dispatcher, at=when + dt.timedelta(hours=1)
    )


def visit(when: dt.datetime, **kw: Any) -> intake.Visit:
    return intake.Visit(
        inspected_at=when,
        place=kw.pop("place", "3号楼楼道"),
        findings=kw.pop("findings", "楼道堆放纸箱和旧家具，占用共用部位"),
        violation_found=True,
        party_kind=kw.pop("party_kind", PartyKind.PERSON),
        party_name=kw.pop("party_name", "张某"),
        **kw,
    )


def rectifying_lead(world: World, when: dt.datetime, *, estate: Any = None) -> Lead:
    """A lead whose verification ordered rectification by seven days later."""
    estate = estate or world.estate_a
    lead = dispatched_lead(world, when - dt.timedelta(hours=3), estate=estate)
    return intake.lead_order_rectification(
        lead=lead,
        actor=officer_for(world, estate),
        visit=visit(when - dt.timedelta(minutes=30)),
        rectify_by=(when + dt.timedelta(days=7)).date(),
        at=when,
    )


def filed(world: World, when: dt.datetime, *, estate: Any = None, **party: Any) -> Case:
    estate = estate or world.estate_a
    officer = officer_for(world, estate)
    lead = dispatched_lead(world, when - dt.timedelta(days=1), estate=estate)
    lead = intake.lead_record_visit(
        lead=lead, actor=officer, visit=visit(when - dt.timedelta(hours=20)), at=when
    )
    return cases.case_file(
        lead=lead,
        actor=officer,
        party_kind=party.pop("party_kind", PartyKind.PERSON),
        party_name=party.pop("party_name", "张某"),
        party_id_number=party.pop("party_id_number", "310107198001011234"),
        party_address=party.pop("party_address", "甲路100弄3号101室"),
        facts=party.pop("facts", "张某在3号楼楼道堆放纸箱和旧家具，占用共用部位，经责令未改正"),
        at=when,
        **party,
    )


def notified(world: World, when: dt.datetime, *, fine: int = 2000, **kw: Any) -> Case:
    """Filed on `when`, notice of a fine served two days later (no hearing right)."""
    case = filed(world, when, **kw)
    return cases.notice_issue(
        case=case,
        actor=officer_for(world, case.estate),
        penalty=PenaltyKind.FINE,
        fine=fine,
        at=when + dt.timedelta(days=2),
    )


def with_hearing(world: World, when: dt.datetime, **kw: Any) -> Case:
    """A large fine: legal review, notice with the right to a hearing, hearing scheduled."""
    case = filed(world, when, **kw)
    officer = officer_for(world, case.estate)
    case = cases.review_request(
        case=case, actor=officer, penalty=PenaltyKind.FINE, fine=8000, at=when + dt.timedelta(1)
    )
    case = cases.review_decide(
        case=case, actor=world.legal, approve=True, opinion="同意", at=when + dt.timedelta(2)
    )
    case = cases.notice_issue(
        case=case, actor=officer, penalty=PenaltyKind.FINE, fine=8000, at=when + dt.timedelta(3)
    )
    case = cases.hearing_request(case=case, actor=officer, at=when + dt.timedelta(4))
    return cases.hearing_schedule(
        case=case,
        actor=officer,
        hearing_at=when + dt.timedelta(days=15, hours=4),
        place="甲街道城管执法中队会议室",
        at=when + dt.timedelta(days=5),
    )


def decided(world: World, when: dt.datetime, *, fine: int = 1500, **kw: Any) -> Case:
    case = notified(world, when, fine=max(fine, 2000), **kw)
    officer = officer_for(world, case.estate)
    cases.evidence_add(
        case=case,
        actor=officer,
        kind="inquiry",
        description="对张某的询问笔录",
        at=when + dt.timedelta(days=1),
    )
    case = Case.objects.get(pk=case.pk)
    case = cases.statement_record(
        case=case, actor=officer, statement="当事人称已清理一部分", at=when + dt.timedelta(days=3)
    )
    return cases.case_decide(
        case=case,
        actor=officer,
        penalty=PenaltyKind.FINE,
        fine=fine,
        decision_text="鉴于当事人已清理部分堆物，依法从轻处罚",
        at=when + dt.timedelta(days=14),
    )


def closed(world: World, when: dt.datetime, **kw: Any) -> Case:
    case = decided(world, when, **kw)
    officer = officer_for(world, case.estate)
    case = cases.decision_serve(case=case, actor=officer, at=when + dt.timedelta(days=15))
    cases.execution_record(
        case=case,
        actor=officer,
        kind=ExecutionKind.PAYMENT,
        amount=case.fine,
        at=when + dt.timedelta(days=20),
    )
    case.refresh_from_db()
    return cases.case_close(
        case=case,
        actor=officer,
        report="罚款已缴清，楼道堆物已清除，结案",
        at=when + dt.timedelta(days=21),
    )


def referral(world: World, when: dt.datetime, *, estate: Any = None) -> Referral:
    estate = estate or world.estate_a
    lead = dispatched_lead(world, when, estate=estate, code="property_negligence")
    return referrals.lead_refer(
        lead=lead,
        actor=officer_for(world, estate),
        department=world.housing,
        matter="物业服务企业未按合同清运楼道堆物",
        at=when + dt.timedelta(hours=2),
    )


def assistance(world: World, when: dt.datetime, *, estate: Any = None) -> AssistanceRequest:
    estate = estate or world.estate_a
    lead = dispatched_lead(world, when, estate=estate, code="group_rental")
    return referrals.lead_request_assistance(
        lead=lead,
        actor=officer_for(world, estate),
        department=world.housing,
        kind="registry_lookup",
        request="请提供3号楼101室的房屋权属登记信息",
        at=when + dt.timedelta(hours=2),
    )


def docx_upload(*paragraphs: str, name: str = "模板.docx") -> SimpleUploadedFile:
    """A .docx with one paragraph per argument, as an administrator would upload it."""
    doc = new_document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")

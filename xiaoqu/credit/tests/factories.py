"""Decided cases and demerit proposals at chosen times, made through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from xiaoqu.cases import services as cases
from xiaoqu.cases.choices import PartyKind, PenaltyKind
from xiaoqu.cases.models import Case
from xiaoqu.conftest import World
from xiaoqu.credit.models import DemeritProposal
from xiaoqu.credit.services import demerit_propose_for_case
from xiaoqu.estates.models import Estate
from xiaoqu.intake import services as intake
from xiaoqu.intake.models import Lead
from xiaoqu.law.models import ViolationType

SH = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


def officer_for(world: World, estate: Estate) -> Any:
    return world.officer_a if estate.subdistrict_id == world.sd_a.pk else world.officer_b


def verified_lead(
    world: World,
    *,
    estate: Estate,
    code: str = "common_area_occupation",
    when: dt.datetime,
    channel: str = "hotline",
    reporter: Any = None,
) -> Lead:
    """A complaint about `estate` received at `when`, dispatched and verified on site."""
    complaint = intake.complaint_create(
        actor=reporter or world.dispatcher,
        channel=channel,
        content="楼道被占用堆物",
        estate=estate,
        violation_type=ViolationType.objects.effective(when.date()).get(code=code),
        reporter_phone="13800001111" if reporter is None else "",
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
        findings="违法行为属实",
        violation_found=True,
    )
    return intake.lead_record_visit(
        lead=lead, actor=officer_for(world, estate), visit=visit, at=when + dt.timedelta(hours=4)
    )


def company_report(
    world: World, *, estate: Estate, code: str, when: dt.datetime, clerk: Any = None
) -> Any:
    """The estate's property company reports the violation it discovered (发现、劝阻、报告)."""
    clerk = clerk or world.clerk_a
    return intake.complaint_create(
        actor=clerk,
        channel="property_company",
        content="业主擅自占用楼道，劝阻无效，特此报告",
        estate=estate,
        violation_type=ViolationType.objects.effective(when.date()).get(code=code),
        dissuaded_at=when - dt.timedelta(hours=2),
        dissuasion="上门劝阻",
        received_at=when,
        at=when,
    )


def decided_case(
    world: World,
    *,
    estate: Estate | None = None,
    code: str = "common_area_occupation",
    when: dt.datetime | None = None,
    penalty: str = PenaltyKind.FINE,
    fine: int | None = 1500,
    lead: Lead | None = None,
) -> Case:
    """A case about `estate` filed a day after `when` and decided a week later (the party
    waived its statement in writing)."""
    estate = estate or world.estate_a
    when = when or at(2026, 3, 2, 9)
    officer = officer_for(world, estate)
    lead = lead or verified_lead(world, estate=estate, code=code, when=when)
    organisation = code == "property_negligence"
    company = estate.property_company
    case = cases.case_file(
        lead=lead,
        actor=officer,
        party_kind=PartyKind.ORGANISATION if organisation else PartyKind.PERSON,
        party_name=company.name if organisation and company else "张某",
        party_uscc=company.uscc if organisation and company else "",
        facts="违法事实",
        at=when + dt.timedelta(days=1),
    )
    amount = fine if penalty in (PenaltyKind.FINE, PenaltyKind.FINE_AND_RESTORE) else None
    case = cases.notice_issue(
        case=case,
        actor=officer,
        penalty=penalty,
        fine=amount,
        at=when + dt.timedelta(days=2),
    )
    case = cases.waiver_record(case=case, actor=officer, at=when + dt.timedelta(days=3))
    return cases.case_decide(
        case=case,
        actor=officer,
        penalty=penalty,
        fine=amount,
        decision_text="决定",
        at=when + dt.timedelta(days=8),
    )


def proposal_at(world: World, when: dt.datetime, **kw: Any) -> DemeritProposal:
    """A case decided a week after `when` and its demerit proposal."""
    case = decided_case(world, when=when, **kw)
    assert case.decided_at is not None
    proposal = demerit_propose_for_case(case=case, at=case.decided_at)
    assert proposal is not None
    return proposal


def settled_report(world: World, *, estate: Estate, code: str, when: dt.datetime) -> Any:
    """A company's report whose matter was settled on site the next day (no case)."""
    report = company_report(world, estate=estate, code=code, when=when)
    assert report.lead is not None
    lead = intake.lead_dispatch(
        lead=report.lead, actor=world.dispatcher, at=when + dt.timedelta(hours=1)
    )
    intake.lead_close_no_violation(
        lead=lead,
        actor=officer_for(world, estate),
        visit=intake.Visit(
            inspected_at=when + dt.timedelta(days=1),
            place="楼道",
            findings="经物业劝阻已清理",
            violation_found=False,
        ),
        reason="已劝阻改正",
        at=when + dt.timedelta(days=1, hours=1),
    )
    return report

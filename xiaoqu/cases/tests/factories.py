"""Cases for the page, API and browser tests, made through the real services at the present
time (the pages compute deadlines from now)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xiaoqu.cases import services
from xiaoqu.cases.choices import PartyKind, PenaltyKind
from xiaoqu.cases.models import Case
from xiaoqu.conftest import World
from xiaoqu.intake import services as intake
from xiaoqu.intake.models import Lead
from xiaoqu.law.models import ViolationType


def vt(code: str = "common_area_occupation") -> ViolationType:
    return ViolationType.objects.effective().get(code=code)


def verified_lead(
    world: World,
    *,
    estate: Any = None,
    code: str = "common_area_occupation",
    officer: Any = None,
    content: str = "楼道被占用堆物",
) -> Lead:
    """A lead dispatched to its subdistrict and verified on site an hour ago."""
    estate = estate or world.estate_a
    officer = officer or (world.officer_b if estate == world.estate_b else world.officer_a)
    complaint = intake.complaint_create(
        actor=world.dispatcher,
        channel="hotline",
        content=content,
        estate=estate,
        violation_type=vt(code),
        reporter_phone="13800001111",
    )
    assert complaint.lead is not None
    lead = intake.lead_dispatch(lead=complaint.lead, actor=world.dispatcher)
    return intake.lead_record_visit(
        lead=lead,
        actor=officer,
        visit=intake.Visit(
            inspected_at=timezone.now() - dt.timedelta(hours=1),
            place="3号楼楼道",
            findings="楼道堆放纸箱和旧家具属实",
            violation_found=True,
            party_kind=PartyKind.PERSON,
            party_name="张某",
        ),
    )


def filed(world: World, *, estate: Any = None, **kw: Any) -> Case:
    estate = estate or world.estate_a
    officer = world.officer_b if estate == world.estate_b else world.officer_a
    lead = verified_lead(world, estate=estate, officer=officer)
    return services.case_file(
        lead=lead,
        actor=officer,
        party_kind=kw.pop("party_kind", PartyKind.PERSON),
        party_name=kw.pop("party_name", "张某"),
        facts=kw.pop("facts", "张某在3号楼楼道堆放杂物，经责令未改正。"),
        party_id_number=kw.pop("party_id_number", "310107198001011234"),
        **kw,
    )


def notified(world: World, *, fine: int = 2000, **kw: Any) -> Case:
    case = filed(world, **kw)
    return services.notice_issue(
        case=case, actor=world.officer_a, penalty=PenaltyKind.FINE, fine=fine
    )


def decided(world: World, *, fine: int = 1500, **kw: Any) -> Case:
    case = notified(world, fine=max(fine, 2000), **kw)
    case = services.waiver_record(case=case, actor=world.officer_a)
    return services.case_decide(
        case=case,
        actor=world.officer_a,
        penalty=PenaltyKind.FINE,
        fine=fine,
        decision_text="决定罚款",
    )


def executing(world: World, **kw: Any) -> Case:
    case = decided(world, **kw)
    return services.decision_serve(case=case, actor=world.officer_a)

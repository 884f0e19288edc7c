"""Closed cases to make exemplary cases of, built through the real services, with known
personal data in every field and in the free texts of the complaint, the lead and the case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xiaoqu.cases import services as cases
from xiaoqu.cases.choices import ExecutionKind, PartyKind, PenaltyKind
from xiaoqu.cases.models import Case
from xiaoqu.cases.tests.factories import vt
from xiaoqu.conftest import World
from xiaoqu.estates.validators import uscc_check_char
from xiaoqu.exemplary import services
from xiaoqu.exemplary.models import ExemplaryCase
from xiaoqu.intake import services as intake

USCC_BODY = "91310107MA1G5ABC1"
USCC = USCC_BODY + uscc_check_char(USCC_BODY)

# Every personal datum the test puts in, by what it is.
PERSONAL = {
    "party": "王小明",
    "representative": "赵大海",
    "reporter": "李建国",
    "reporter_phone": "13912345678",
    "party_phone": "021-62541234",
    "id_number": "310107198501012345",
    "uscc": USCC,
    "party_address": "甲路100弄3号502室",
    "unit": "12幢1单元301",
    "room": "3号楼502室",
    "estate": "甲花园",
    "company": "甲物业公司",
    "manager": "甲经理",
}


def closed_case(world: World, *, code: str = "common_area_occupation", **kw: Any) -> Case:
    """A case closed after its fine was paid, filed by officer A about 甲花园."""
    p = PERSONAL
    complaint = intake.complaint_create(
        actor=world.dispatcher,
        channel="hotline",
        content=kw.pop(
            "content",
            f"{p['estate']}{p['room']}业主{p['party']}在楼道堆放杂物，{p['unit']}的住户"
            f"也受影响，来电人{p['reporter']}，电话{p['reporter_phone']}。",
        ),
        estate=world.estate_a,
        violation_type=vt(code),
        reporter_name=p["reporter"],
        reporter_phone=p["reporter_phone"],
        address=p["party_address"],
    )
    assert complaint.lead is not None
    lead = intake.lead_dispatch(lead=complaint.lead, actor=world.dispatcher)
    lead = intake.lead_record_visit(
        lead=lead,
        actor=world.officer_a,
        visit=intake.Visit(
            inspected_at=timezone.now() - dt.timedelta(hours=1),
            place=f"{p['estate']}{p['room']}门口",
            findings=f"{p['party']}在{p['room']}门口堆放纸箱属实",
            violation_found=True,
            party_kind=PartyKind.PERSON,
            party_name=p["party"],
        ),
    )
    case = cases.case_file(
        lead=lead,
        actor=world.officer_a,
        party_kind=kw.pop("party_kind", PartyKind.PERSON),
        party_name=kw.pop("party_name", p["party"]),
        party_uscc=kw.pop("party_uscc", p["uscc"]),
        party_id_number=p["id_number"],
        party_representative=p["representative"],
        party_address=p["party_address"],
        party_phone=p["party_phone"],
        facts=kw.pop(
            "facts",
            f"当事人{p['party']}（身份证号{p['id_number']}，电话{p['party_phone']}，"
            f"信用代码{p['uscc']}）在{p['estate']}{p['room']}及{p['unit']}门口的楼道堆物，"
            f"{p['company']}项目经理{p['manager']}劝阻未果，法定代表人{p['representative']}"
            f"住{p['party_address']}，手机 139 1234 5678。",
        ),
    )
    low, high = cases.fine_range(case)
    fine = 2000 if (low is None or low <= 2000) and (high is None or high >= 2000) else low
    case = cases.notice_issue(case=case, actor=world.officer_a, penalty=PenaltyKind.FINE, fine=fine)
    case = cases.waiver_record(case=case, actor=world.officer_a)
    case = cases.case_decide(
        case=case,
        actor=world.officer_a,
        penalty=PenaltyKind.FINE,
        fine=fine,
        decision_text=f"当事人{p['party']}的行为违反了有关规定，决定罚款2000元。",
    )
    case = cases.decision_serve(case=case, actor=world.officer_a)
    cases.execution_record(
        case=case, actor=world.officer_a, kind=ExecutionKind.PAYMENT, amount=fine
    )
    case.refresh_from_db()
    return cases.case_close(case=case, actor=world.officer_a, report="罚款已缴清，结案。")


def drafted(world: World, **kw: Any) -> ExemplaryCase:
    return services.exemplary_draft(actor=world.dispatcher, case=closed_case(world, **kw))


def submitted(world: World, **kw: Any) -> ExemplaryCase:
    return services.exemplary_submit(actor=world.dispatcher, exemplary=drafted(world, **kw))


def published(world: World, **kw: Any) -> ExemplaryCase:
    exemplary = submitted(world, **kw)
    exemplary = services.exemplary_approve(actor=world.legal, exemplary=exemplary, note="同意发布")
    return services.exemplary_publish(actor=world.legal, exemplary=exemplary)

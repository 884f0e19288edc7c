"""Records of the loop at chosen times, for the supervision tests."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from xiaoqu.conftest import World
from xiaoqu.intake import services as intake
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.law.models import ViolationType
from xiaoqu.referrals import services as referrals
from xiaoqu.referrals.models import AssistanceRequest, Referral

SH = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


def complaint_at(
    world: World,
    when: dt.datetime,
    *,
    estate: Any = None,
    code: str = "common_area_occupation",
    content: str = "楼道堆放杂物",
) -> Complaint:
    return intake.complaint_create(
        actor=world.dispatcher,
        channel="hotline",
        content=content,
        estate=estate or world.estate_a,
        violation_type=ViolationType.objects.effective().get(code=code),
        reporter_name="王先生",
        reporter_phone="13812341234",
        received_at=when,
        at=when,
    )


def dispatched_lead(world: World, when: dt.datetime, *, estate: Any = None, **kw: Any) -> Lead:
    complaint = complaint_at(world, when, estate=estate, **kw)
    assert complaint.lead is not None
    return intake.lead_dispatch(lead=complaint.lead, actor=world.dispatcher, at=when)


def referral_at(
    world: World, when: dt.datetime, *, estate: Any = None, code: str = "property_negligence"
) -> Referral:
    estate = estate or world.estate_a
    lead = dispatched_lead(world, when, estate=estate, code=code)
    officer = world.officer_a if estate.subdistrict_id == world.sd_a.pk else world.officer_b
    return referrals.lead_refer(
        lead=lead, actor=officer, department=world.housing, matter="物业服务问题", at=when
    )


def assistance_at(
    world: World, when: dt.datetime, *, estate: Any = None, code: str = "group_rental"
) -> AssistanceRequest:
    estate = estate or world.estate_a
    lead = dispatched_lead(world, when, estate=estate, code=code)
    officer = world.officer_a if estate.subdistrict_id == world.sd_a.pk else world.officer_b
    return referrals.lead_request_assistance(
        lead=lead,
        actor=officer,
        department=world.housing,
        kind="housing_check",
        request="产权核实",
        at=when,
    )

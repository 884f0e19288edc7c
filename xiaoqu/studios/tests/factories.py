"""Studio members, activities and member reports at chosen times, made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from xiaoqu.conftest import World
from xiaoqu.intake import services as intake
from xiaoqu.intake.models import Lead
from xiaoqu.law.models import ViolationType
from xiaoqu.studios import services
from xiaoqu.studios.choices import ActivityKind, MemberKind
from xiaoqu.studios.models import StudioActivity, StudioMember, StudioReport

SH = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


def member(world: World, *, studio: Any = None, **kwargs: Any) -> StudioMember:
    defaults: dict[str, Any] = {
        "kind": MemberKind.BUILDING_HEAD,
        "name": "甲楼组长",
        "phone": "13812345678",
    }
    defaults.update(kwargs)
    return services.member_create(
        actor=world.dispatcher, studio=studio or world.studio_a, **defaults
    )


def activity(world: World, *, studio: Any = None, **kwargs: Any) -> StudioActivity:
    defaults: dict[str, Any] = {
        "kind": ActivityKind.MEETING,
        "title": "甲月度例会",
        "starts_at": at(2030, 1, 10),
    }
    defaults.update(kwargs)
    return services.activity_create(
        actor=world.dispatcher, studio=studio or world.studio_a, **defaults
    )


def report(
    world: World,
    *,
    actor: Any = None,
    estate: Any = None,
    code: str | None = "common_area_occupation",
    when: dt.datetime | None = None,
    content: str = "楼道里有人堆放装修材料",
) -> StudioReport:
    vt = (
        ViolationType.objects.effective(when.date() if when else None).get(code=code)
        if code
        else None
    )
    return services.report_create(
        actor=actor or world.member_a,
        estate=estate or world.estate_a,
        content=content,
        violation_type=vt,
        address="3号楼2单元",
        received_at=when,
        at=when,
    )


def close_no_violation(world: World, lead: Lead, *, when: dt.datetime) -> Lead:
    """Dispatch the lead and close it after a visit that found nothing."""
    lead = intake.lead_dispatch(lead=lead, actor=world.dispatcher, at=when)
    visit = intake.Visit(
        inspected_at=when + dt.timedelta(hours=1),
        place="3号楼",
        findings="现场已清理",
        violation_found=False,
    )
    officer = world.officer_a if lead.subdistrict_id == world.sd_a.pk else world.officer_b
    return intake.lead_close_no_violation(
        lead=lead,
        actor=officer,
        visit=visit,
        reason="现场无违法行为",
        at=when + dt.timedelta(hours=2),
    )

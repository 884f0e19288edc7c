"""Events, trainings and constructed hotspots, made through the services at chosen times."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from xiaoqu.analytics.models import ComplaintEstateType
from xiaoqu.conftest import World
from xiaoqu.estates.models import Estate
from xiaoqu.outreach import services
from xiaoqu.outreach.choices import EventKind
from xiaoqu.outreach.models import OutreachEvent, Training

SH = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


def event(world: World, *, actor: Any = None, **kwargs: Any) -> OutreachEvent:
    defaults: dict[str, Any] = {
        "kind": EventKind.LAW_CLASS,
        "title": "甲社区法治课堂",
        "starts_at": at(2026, 3, 15, 14),
        "estates": [world.estate_a],
        "themes": ["common_area_occupation"],
        "place": "甲花园活动室",
        "at": at(2026, 3, 1),
    }
    defaults.update(kwargs)
    return services.event_plan(actor=actor or world.dispatcher, **defaults)


def training(world: World, *, actor: Any = None, **kwargs: Any) -> Training:
    defaults: dict[str, Any] = {
        "title": "甲物业企业培训",
        "starts_at": at(2026, 3, 20, 14),
        "organisers": [world.housing],
        "companies": [world.company_a, world.company_b],
        "place": "区房管局会议室",
        "at": at(2026, 3, 1),
    }
    defaults.update(kwargs)
    return services.training_plan(actor=actor or world.dispatcher, **defaults)


def hotspot(
    world: World, estate: Estate, code: str, complaints: int, *, month: dt.date
) -> ComplaintEstateType:
    """A row of the pre-aggregated table, as the analytics build writes it."""
    return ComplaintEstateType.objects.create(
        month=month,
        district_id=world.district.pk,
        subdistrict_id=estate.subdistrict_id or 0,
        estate_id=estate.pk,
        department_id=0,
        violation_code=code,
        complaints=complaints,
    )

"""Complaints placed at chosen times and clinics made through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

from xiaoqu.clinics import services
from xiaoqu.clinics.models import Clinic
from xiaoqu.conftest import World
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.models import Complaint
from xiaoqu.law.models import ViolationType

SH = ZoneInfo("Asia/Shanghai")
CODE = "common_area_occupation"
_numbers = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=SH)


def vtype(code: str = CODE) -> ViolationType:
    return ViolationType.objects.filter(code=code).order_by("-effective_from").first()  # type: ignore[return-value]


def complaint_row(
    world: World,
    *,
    when: dt.datetime,
    estate: Any = None,
    code: str = CODE,
    repeat: bool = False,
) -> Complaint:
    """A recorded complaint (a row, as the figures read it), without the loop around it."""
    estate = estate or world.estate_a
    return Complaint.objects.create(
        number=f"TS-T-{next(_numbers):06d}",
        channel=Channel.HOTLINE,
        received_at=when,
        content="楼道堆物",
        district=world.district,
        subdistrict=estate.subdistrict,
        estate=estate,
        violation_type=vtype(code),
        is_repeat=repeat,
    )


def clinic(world: World, *, estates: Any = None, code: str = CODE, **kwargs: Any) -> Clinic:
    defaults: dict[str, Any] = {
        "actor": world.dispatcher,
        "district": world.district,
        "title": "甲花园楼道堆物反复投诉",
        "violation_type": vtype(code),
        "estates": estates or [world.estate_a],
    }
    defaults.update(kwargs)
    return services.clinic_open(**defaults)


def held(world: World, obj: Clinic, day: dt.date, *, at_: dt.datetime | None = None) -> Clinic:
    """Record the analysis and hold the clinic on `day`."""
    moment = at_ or dt.datetime.combine(day, dt.time(18), tzinfo=SH)
    services.clinic_update(actor=world.dispatcher, clinic=obj, analysis="物业管理缺位", at=moment)
    return services.clinic_transition(
        actor=world.dispatcher, clinic=obj, move="hold", held_on=day, at=moment
    )

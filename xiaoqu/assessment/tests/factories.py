"""Helpers building a small history for the assessment tests (through the intake services)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from xiaoqu.analytics.build import analytics_build
from xiaoqu.conftest import World
from xiaoqu.estates.models import Estate
from xiaoqu.intake import services
from xiaoqu.intake.choices import Channel
from xiaoqu.law.models import ViolationType

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SH)


def complaint(world: World, when: dt.datetime, *, estate: Estate) -> Any:
    return services.complaint_create(
        actor=world.dispatcher,
        channel=Channel.HOTLINE,
        content="楼道堆放杂物",
        estate=estate,
        violation_type=ViolationType.objects.effective().get(code="common_area_occupation"),
        reporter_name="王先生",
        reporter_phone="13812341234",
        received_at=when,
        at=when,
    )


def history(world: World) -> None:
    """Residents: A 5,000 (甲花园 2,000 + 甲新村 3,000), B 5,000. Complaints:
    Q1 2025: A 10, B 5; Q1 2026: A 6, B 10 — so complaints per 10k change by −40 % in A and
    +100 % in B."""
    Estate.objects.filter(pk=world.estate_a.pk).update(residents=2000)
    Estate.objects.filter(pk=world.estate_a2.pk).update(residents=3000)
    Estate.objects.filter(pk=world.estate_b.pk).update(residents=5000)
    for i in range(10):
        complaint(world, at(2025, 1 + i % 3, 3 + i), estate=world.estate_a)
    for i in range(5):
        complaint(world, at(2025, 2, 3 + i), estate=world.estate_b)
    for i in range(6):
        complaint(world, at(2026, 1 + i % 3, 3 + i), estate=world.estate_a2)
    for i in range(10):
        complaint(world, at(2026, 2, 3 + i), estate=world.estate_b)
    analytics_build(district=world.district)

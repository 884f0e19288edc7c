"""Records of the loop at chosen times, swept, for the oversight tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xiaoqu.conftest import World
from xiaoqu.intake import services as intake
from xiaoqu.intake.models import Lead
from xiaoqu.supervision.services import sweep
from xiaoqu.supervision.tests.factories import (  # noqa: F401 (re-exported)
    assistance_at,
    at,
    complaint_at,
    dispatched_lead,
    referral_at,
)

T0 = at(2026, 3, 2, 9)  # a Monday
LATER = T0 + dt.timedelta(days=40)  # every deadline of T0 has passed


def swept(when: dt.datetime = LATER) -> None:
    sweep(at=when)


def closed_lead(world: World, when: dt.datetime) -> Lead:
    lead = dispatched_lead(world, when)
    return intake.lead_close_no_violation(
        lead=lead,
        actor=world.officer_a,
        visit=intake.Visit(when + dt.timedelta(hours=2), "楼道", "未发现堆物", False),
        reason="现场未发现",
        at=when + dt.timedelta(hours=2),
    )


def months_back(now: dt.datetime, n: int) -> dt.datetime:
    """The 10th of the month `n` months before `now`'s, at 10:00."""
    index = now.year * 12 + now.month - 1 - n
    return now.replace(year=index // 12, month=index % 12 + 1, day=10, hour=10, minute=0)


def pilot_world(world: World, now: dt.datetime, *, start_months_back: int = 3) -> Any:
    """Complaints at the three estates over ten months, a programme started
    `start_months_back` months ago with 甲花园 in it, and the analytics tables built."""
    from xiaoqu.analytics.build import analytics_build
    from xiaoqu.estates.models import Estate
    from xiaoqu.oversight import services

    Estate.objects.filter(pk=world.estate_a.pk).update(residents=2000)
    Estate.objects.filter(pk=world.estate_a2.pk).update(residents=2500)
    Estate.objects.filter(pk=world.estate_b.pk).update(residents=1500)
    codes = ("common_area_occupation", "household_waste", "ebike_parking")
    for back in range(1, 11):
        when = months_back(now, back)
        pilot_count = 4 if back > start_months_back else 1  # the pilot estate falls
        for i in range(pilot_count):
            complaint_at(
                world, when + dt.timedelta(hours=i), estate=world.estate_a, code=codes[i % 3]
            )
        complaint_at(world, when, estate=world.estate_a2, code="household_waste")
        complaint_at(world, when + dt.timedelta(hours=1), estate=world.estate_b, code="small_ads")
    analytics_build(district=world.district)
    start = months_back(now, start_months_back).date().replace(day=1)
    programme = services.programme_create(
        actor=world.leader, district=world.district, name="试点一期", starts_on=start, at=now
    )
    services.pilot_estates_add(
        actor=world.leader, programme=programme, estates=[(world.estate_a, "投诉多")], at=now
    )
    return programme

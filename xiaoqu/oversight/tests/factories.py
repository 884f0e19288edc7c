"""Records of the loop at chosen times, swept, for the oversight tests."""

from __future__ import annotations

import datetime as dt

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

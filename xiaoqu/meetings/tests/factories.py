"""Meetings at chosen times, for the meetings tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xiaoqu.conftest import World
from xiaoqu.meetings import services
from xiaoqu.meetings.models import ActionItem, Meeting
from xiaoqu.supervision.tests.factories import at

__all__ = ["action_item_at", "at", "held_meeting", "meeting_at"]


def meeting_at(
    world: World,
    when: dt.datetime,
    *,
    title: str = "2026年第4次例会",
    drafted_at: dt.datetime | None = None,
    draft: bool = True,
    **kw: Any,
) -> Meeting:
    kw.setdefault("departments", [world.housing])
    kw.setdefault("subdistricts", [world.sd_a])
    return services.meeting_create(
        actor=world.dispatcher,
        district=world.district,
        title=title,
        scheduled_at=when,
        place="区城管执法局三楼会议室",
        chair="张局长",
        draft_agenda=draft,
        at=drafted_at or when - dt.timedelta(days=3),
        **kw,
    )


def held_meeting(world: World, when: dt.datetime, **kw: Any) -> Meeting:
    meeting = meeting_at(world, when, **kw)
    return services.meeting_hold(meeting=meeting, actor=world.dispatcher, at=when)


def action_item_at(
    world: World,
    meeting: Meeting,
    when: dt.datetime,
    *,
    deadline: dt.date,
    description: str = "督促物业企业清理楼道堆物",
    department: Any = None,
    subdistrict: Any = None,
) -> ActionItem:
    if department is None and subdistrict is None:
        department = world.housing
    return services.action_item_create(
        meeting=meeting,
        actor=world.dispatcher,
        description=description,
        deadline=deadline,
        department=department,
        subdistrict=subdistrict,
        at=when,
    )

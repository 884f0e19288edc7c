from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xiaoqu.renovations.models import Renovation
from xiaoqu.renovations.services import RenovationData, renovation_register


def renovation_create(
    *,
    actor: Any,
    estate: Any,
    building: str = "3号楼",
    room: str = "502",
    start: dt.date | None = None,
    days: int = 30,
    structural: bool = False,
    scope: str = "厨房卫生间翻新，铺地砖",
    owner_phone: str = "13812345678",
    at: dt.datetime | None = None,
) -> Renovation:
    start = start or timezone.localdate() - dt.timedelta(days=5)
    return renovation_register(
        actor=actor,
        data=RenovationData(
            estate=estate,
            building=building,
            room=room,
            owner_name="王业主",
            owner_phone=owner_phone,
            start_date=start,
            end_date=start + dt.timedelta(days=days),
            scope=scope,
            contractor_name="安居装饰",
            contractor_phone="13900001111",
            structural=structural,
            agreement_signed=True,
        ),
        at=at,
    )

"""Oversight part of the Putuo demo (演示数据): the pilot programme and the lapse table."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiaoqu.estates.models import Estate

from .lapses import lapses_refresh
from .models import PilotProgramme
from .services import pilot_estates_add, pilot_flags_sync, programme_create

DEMO_NAME = "住宅小区违法行为综合治理试点（演示数据）"
MONTHS_BEFORE_NOW = 6
MAX_ESTATES = 20


def _months_back(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def demo_pilot(*, district: Any, seed: int, now: dt.datetime) -> PilotProgramme:
    """A pilot programme started six months before `now`, with the estates the demo plan
    marked as pilot estates (spread over the subdistricts), at most 20. Idempotent."""
    existing = PilotProgramme.objects.filter(district=district, is_demo=True).first()
    if existing is not None:
        return existing
    rng = random.Random(f"{seed}-pilot")
    starts_on = _months_back(timezone.localdate(now), MONTHS_BEFORE_NOW)
    estates = list(
        Estate.objects.filter(district=district, is_pilot=True)
        .select_related("subdistrict")
        .order_by("subdistrict__code", "pk")
    )
    if len(estates) > MAX_ESTATES:
        estates = sorted(rng.sample(estates, MAX_ESTATES), key=lambda e: e.pk)
    chosen_at = timezone.make_aware(
        dt.datetime.combine(starts_on - dt.timedelta(days=10), dt.time(10))
    )
    with transaction.atomic():
        programme = programme_create(
            actor=None,
            district=district,
            name=DEMO_NAME,
            starts_on=starts_on,
            note="演示数据",
            is_demo=True,
            at=chosen_at,
        )
        pilot_estates_add(
            actor=None,
            programme=programme,
            estates=[(e, "演示数据：实施方案确定的试点小区") for e in estates],
            at=chosen_at,
        )
        pilot_flags_sync(district_id=district.pk, at=now)
    return programme


def demo_oversight(*, district: Any, seed: int, now: dt.datetime) -> None:
    """The demo's pilot, then the lapse table built from the demo's events."""
    demo_pilot(district=district, seed=seed, now=now)
    lapses_refresh(district=district, at=now)

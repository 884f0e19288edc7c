from __future__ import annotations

import datetime as dt
import time

from django.utils import timezone

from xiaoqu.cases.models import Case
from xiaoqu.conftest import World
from xiaoqu.exemplary.anonymise import findings, personal_data_of
from xiaoqu.exemplary.choices import ExemplaryStatus
from xiaoqu.exemplary.demo import demo_exemplary
from xiaoqu.exemplary.models import ExemplaryCase

from .factories import closed_case


def test_demo_is_deterministic_idempotent_and_clean(catalog: World) -> None:
    world = catalog
    for user in (world.dispatcher, world.legal):
        user.is_demo = True
        user.save()
    codes = ("common_area_occupation", "ebike_parking", "small_ads", "household_waste")
    for code in codes:
        closed_case(world, code=code)
    Case.objects.update(is_demo=True)
    later = timezone.now() + dt.timedelta(days=60)
    started = time.monotonic()
    result = demo_exemplary(district=world.district, seed=7, now=later)
    assert time.monotonic() - started < 5
    assert (result.created, result.published, result.returned, result.submitted) == (4, 2, 1, 1)
    rows = ExemplaryCase.objects.all()
    assert all(r.is_demo for r in rows)
    assert {r.violation_type.code for r in rows} == set(codes)
    statuses = sorted(rows.values_list("status", flat=True))
    assert statuses == sorted(
        [ExemplaryStatus.PUBLISHED] * 2 + [ExemplaryStatus.RETURNED, ExemplaryStatus.SUBMITTED]
    )
    for row in rows:
        assert findings(row.text(), personal_data_of(row.case)) == []
        assert row.created_at >= row.case.closed_at
        assert row.published_at is None or row.published_at <= later
    ids = sorted(str(u) for u in rows.values_list("public_id", flat=True))

    again = demo_exemplary(district=world.district, seed=7, now=later)
    assert again.created == 0 and again.skipped == "already"
    assert ExemplaryCase.objects.count() == 4

    ExemplaryCase.objects.all().delete()
    demo_exemplary(district=world.district, seed=7, now=later)
    assert sorted(str(u) for u in ExemplaryCase.objects.values_list("public_id", flat=True)) == ids

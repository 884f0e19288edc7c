from __future__ import annotations

import datetime as dt
import time

from django.utils import timezone

from xiaoqu.clinics.demo import demo_clinics
from xiaoqu.clinics.models import Clinic
from xiaoqu.conftest import World
from xiaoqu.intake.models import Complaint

from .factories import complaint_row


def test_demo_on_a_small_world_is_deterministic_and_idempotent(catalog: World) -> None:
    world = catalog
    world.dispatcher.is_demo = True
    world.dispatcher.save()
    now = timezone.now()
    start = now - dt.timedelta(days=330)
    for i in range(12):  # a chronic problem at 甲花园: 12 complaints, 8 repeats
        complaint_row(world, when=start + dt.timedelta(days=20 * i), repeat=i % 3 != 0)
    complaint_row(world, when=start, estate=world.estate_b)  # one complaint: no clinic
    Complaint.objects.update(is_demo=True)
    started = time.monotonic()
    result = demo_clinics(district=world.district, seed=7, now=now)
    assert time.monotonic() - started < 5
    assert result.clinics == 1 and result.measures >= 2
    clinic = Clinic.objects.get()
    assert clinic.is_demo and list(clinic.estates.all()) == [world.estate_a]
    assert clinic.held_on is not None and clinic.analysis and clinic.complaints.exists()
    assert set(clinic.complaints.values_list("estate", flat=True)) == {world.estate_a.pk}
    again = demo_clinics(district=world.district, seed=7, now=now)
    assert (again.clinics, again.measures) == (0, 0)
    assert Clinic.objects.count() == 1

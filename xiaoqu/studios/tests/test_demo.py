from __future__ import annotations

import time

from django.utils import timezone

from xiaoqu.conftest import World
from xiaoqu.intake.choices import Channel, LeadStatus
from xiaoqu.intake.models import Complaint
from xiaoqu.studios.demo import REPORTS_PER_ACCOUNT, demo_studios
from xiaoqu.studios.models import StudioActivity, StudioMember, StudioReport


def test_demo_on_a_small_world_is_deterministic_and_idempotent(catalog: World) -> None:
    world = catalog
    for obj in (world.studio_a, world.member_a, world.dispatcher):
        obj.is_demo = True
        obj.save()
    now = timezone.now()
    started = time.monotonic()
    result = demo_studios(district=world.district, seed=7, now=now)
    assert time.monotonic() - started < 20
    assert result.studios == 1  # studio B is not demo data: untouched
    members = StudioMember.objects.filter(studio=world.studio_a)
    assert 5 <= members.count() <= 11 and all(m.is_demo for m in members)
    assert members.get(user=world.member_a).active
    assert not StudioMember.objects.filter(studio=world.studio_b).exists()
    activities = StudioActivity.objects.filter(studio=world.studio_a)
    assert activities.filter(starts_at__gt=now).exists()  # the next ones are planned
    past = activities.filter(starts_at__lt=now)
    assert past.count() >= 12 and not past.filter(outcome="").exists()
    reports = StudioReport.objects.filter(studio=world.studio_a)
    assert reports.count() == REPORTS_PER_ACCOUNT == result.reports
    complaints = Complaint.objects.filter(studio_report__in=reports)
    assert set(complaints.values_list("channel", flat=True)) == {Channel.STUDIO}
    assert not complaints.filter(is_demo=False).exists()
    assert complaints.filter(lead__status=LeadStatus.CLOSED, replied_at__isnull=False).exists()
    assert all(r.member is not None and r.member.user == world.member_a for r in reports)

    again = demo_studios(district=world.district, seed=7, now=now)
    assert (again.studios, again.members, again.activities, again.reports) == (0, 0, 0, 0)
    assert StudioReport.objects.count() == REPORTS_PER_ACCOUNT

from __future__ import annotations

import datetime as dt
import time

from xiaoqu.conftest import World
from xiaoqu.departments.tests.factories import DepartmentFactory
from xiaoqu.estates.models import Estate, PropertyCompany
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.models import Complaint
from xiaoqu.law.models import ViolationType
from xiaoqu.outreach.choices import EventKind, EventStatus, Presence, TrainingStatus
from xiaoqu.outreach.demo import demo_outreach
from xiaoqu.outreach.models import OutreachEvent, Training, TrainingAttendance

from .factories import at


def test_demo_on_a_small_world_is_deterministic_and_idempotent(catalog: World) -> None:
    w = catalog
    for user in (w.dispatcher, w.manager_a, w.clerk_a):
        user.is_demo = True
        user.save()
    Estate.objects.filter(pk__in=[w.estate_a.pk, w.estate_a2.pk]).update(is_demo=True)
    PropertyCompany.objects.filter(pk__in=[w.company_a.pk, w.company_b.pk]).update(is_demo=True)
    DepartmentFactory.create(district=w.district, code="bureau", name="区城管执法局")
    occupation = ViolationType.objects.effective().get(code="common_area_occupation")
    for month in range(1, 12):
        for day in (3, 17):
            when = at(2026, month, day)
            intake.complaint_create(
                actor=w.dispatcher,
                channel=Channel.HOTLINE,
                content="楼道堆物",
                estate=w.estate_a,
                violation_type=occupation,
                received_at=when,
                at=when,
            )
    Complaint.objects.update(is_demo=True)
    now = at(2026, 11, 28, 8)
    started = time.monotonic()
    result = demo_outreach(district=w.district, seed=3, now=now)
    assert time.monotonic() - started < 10
    events = OutreachEvent.objects.filter(is_demo=True)
    assert result.events == events.count() > 6
    assert events.filter(kind=EventKind.OPEN_DAY, starts_at__month=7).count() == 1
    classes = events.filter(kind=EventKind.LAW_CLASS)
    assert classes.count() >= 2  # an estate is targeted again after five months
    # classes go where the complaints were: the hotspot estate, about its type
    assert all(c.targets.filter(estate=w.estate_a).exists() for c in classes)
    assert all(c.theme_codes == ["common_area_occupation"] for c in classes)
    assert not classes.filter(targets__estate=w.estate_b).exists()  # not demo data
    past = events.filter(starts_at__lt=now - dt.timedelta(days=1))
    assert not past.filter(status=EventStatus.PLANNED).exists()
    assert events.filter(starts_at__gt=now, status=EventStatus.PLANNED).exists()
    assert events.filter(status=EventStatus.HELD, attendance__gt=0).count() == result.held
    trainings = Training.objects.filter(is_demo=True)
    assert trainings.count() == result.trainings == 5
    assert trainings.filter(status=TrainingStatus.PLANNED).count() == 1
    rows = TrainingAttendance.objects.filter(training__in=trainings)
    assert rows.filter(company=w.company_a).exists()  # the demo account's company, every time
    assert not rows.filter(company=w.company_c).exists()
    assert rows.filter(presence=Presence.PRESENT).exists()

    again = demo_outreach(district=w.district, seed=3, now=now)
    assert (again.events, again.trainings) == (0, 0)
    assert OutreachEvent.objects.count() == result.events

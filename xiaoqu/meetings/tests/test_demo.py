from __future__ import annotations

import datetime as dt
import time

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from xiaoqu.audit.models import Event
from xiaoqu.audit.services import audit_verify
from xiaoqu.conftest import World
from xiaoqu.meetings.choices import ActionItemStatus, AgendaSource, MeetingKind, MeetingStatus
from xiaoqu.meetings.demo import demo_meetings
from xiaoqu.meetings.models import ActionItem, AgendaItem, Meeting
from xiaoqu.supervision.tests.factories import complaint_at


def test_demo_on_a_small_world_is_deterministic_and_idempotent(catalog: World) -> None:
    world = catalog
    world.dispatcher.is_demo = True
    world.dispatcher.save()
    now = timezone.now()
    # chronic matters every month of the year: five complaints about one estate and type
    for back in range(1, 13):
        for n in range(5):
            complaint_at(
                world,
                now - dt.timedelta(days=30 * back - n),
                estate=world.estate_b if back % 2 else world.estate_a,
            )
    started = time.monotonic()
    result = demo_meetings(district=world.district, seed=7, now=now)
    assert time.monotonic() - started < 20
    meetings = Meeting.objects.filter(district=world.district)
    assert result.meetings == meetings.count() >= 14
    assert not meetings.filter(is_demo=False).exists()
    assert meetings.filter(kind=MeetingKind.SPECIAL).count() == 2
    past = meetings.filter(scheduled_at__lt=now - dt.timedelta(days=4))
    assert set(past.values_list("status", flat=True)) == {MeetingStatus.CLOSED}
    assert not past.filter(minutes="").exists()
    upcoming = meetings.filter(scheduled_at__gt=now)
    assert upcoming.count() == 1 and upcoming.get().status == MeetingStatus.PLANNED
    assert AgendaItem.objects.filter(meeting=upcoming.get(), source=AgendaSource.FIGURES).exists()
    # every meeting's agenda was drafted from the data of its time
    assert AgendaItem.objects.filter(source=AgendaSource.CHRONIC).count() >= 6
    assert AgendaItem.objects.filter(source=AgendaSource.ACTION_ITEM).exists()
    items = ActionItem.objects.filter(district=world.district)
    assert items.count() == result.action_items >= 10 and not items.filter(is_demo=False).exists()
    assert items.filter(status=ActionItemStatus.ACCEPTED).count() >= items.count() // 2
    assert result.done_on_time > result.done_late
    # the late ones were marked overdue by the sweep (once) before they were reported done
    swept = Event.objects.filter(
        record_type=ContentType.objects.get_for_model(ActionItem), action="overdue"
    )
    late = items.filter(pk__in=swept.values("record_id"), done_at__isnull=False)
    assert late.count() >= result.done_late > 0
    assert swept.count() == swept.values("record_id").distinct().count()
    assert {i.subdistrict_id for i in items if i.subdistrict_id} <= {world.sd_a.pk, world.sd_b.pk}
    assert audit_verify()[2] == []

    again = demo_meetings(district=world.district, seed=7, now=now)
    assert (again.meetings, again.action_items) == (0, 0)
    assert Meeting.objects.count() == result.meetings

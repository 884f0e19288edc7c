"""Two sweeps at once mark each overdue action item once (the guard is re-checked under the
row lock, as for the loop's records)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from xiaoqu.audit.models import Event
from xiaoqu.meetings.models import ActionItem
from xiaoqu.supervision import services as supervision
from xiaoqu.supervision.models import UrgeNotice

from .factories import action_item_at, at, held_meeting


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_mark_each_action_item_once(catalog: Any) -> None:
    meeting = held_meeting(catalog, at(2026, 4, 1, 9))
    numbers = {
        action_item_at(catalog, meeting, at(2026, 4, 1, 11), deadline=dt.date(2026, 4, d)).number
        for d in (10, 12, 14)
    }
    results: list[supervision.SweepResult] = []
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait(timeout=10)
            results.append(supervision.sweep(at=at(2026, 4, 20, 9)))
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures
    marked = [n for r in results for n in r.action_items]
    assert sorted(marked) == sorted(numbers)
    swept = Event.objects.filter(
        record_type=ContentType.objects.get_for_model(ActionItem), action="overdue"
    )
    assert swept.count() == 3
    assert UrgeNotice.objects.filter(record_number__in=numbers).count() == 3

"""Building and refreshing the tables: an incremental refresh after new events gives the same
tables as a full rebuild, twice in a row changes nothing, and the command reports."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

from django.core.management import call_command

from xiaoqu.analytics.build import analytics_build, analytics_refresh
from xiaoqu.analytics.models import (
    BuildState,
    ComplaintArea,
    ComplaintCount,
    ComplaintEstate,
    ComplaintEstateType,
    DeadlineCount,
    DeadlineEstate,
    DeadlineItem,
    RecurrenceArea,
    RecurrenceCount,
)
from xiaoqu.conftest import World
from xiaoqu.intake import services
from xiaoqu.supervision import services as supervision

from .test_figures import ADS, at, close, complaint

TABLES: list[Any] = [
    ComplaintCount,
    ComplaintArea,
    ComplaintEstate,
    ComplaintEstateType,
    DeadlineItem,
    DeadlineCount,
    DeadlineEstate,
    RecurrenceCount,
    RecurrenceArea,
]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for table in TABLES:
        fields = [f.attname for f in table._meta.concrete_fields if f.attname != "id"]
        out[table.__name__] = sorted(table.objects.values_list(*fields))
    return out


def test_refresh_after_new_events_equals_a_full_rebuild(catalog: World):
    w = catalog
    old = complaint(w, at(2026, 1, 5), estate=w.estate_a).lead
    services.lead_dispatch(lead=old, actor=w.dispatcher, at=at(2026, 1, 5, 10))
    old = close(w, old, at(2026, 1, 6))
    open_one = complaint(w, at(2026, 3, 2), estate=w.estate_b, code=ADS)
    analytics_build(district=w.district)
    built = snapshot()
    assert analytics_refresh().rows == {}  # nothing new: nothing recomputed
    assert snapshot() == built

    # new events: a recurrence, a repeat, a dispatch, a reply, a reopened old lead, the sweep
    fresh = complaint(w, at(2026, 3, 20), estate=w.estate_a)
    complaint(w, at(2026, 3, 21), estate=w.estate_a)
    services.lead_dispatch(lead=fresh.lead, actor=w.dispatcher, at=at(2026, 3, 21, 10))
    services.complaint_reply(
        complaint=open_one, actor=w.dispatcher, text="已受理", at=at(2026, 3, 4)
    )
    services.lead_reopen(lead=old, actor=w.dispatcher, reason="再次反映", at=at(2026, 3, 22))
    supervision.sweep(at=at(2026, 4, 20))
    report = analytics_refresh()
    assert report.rows["deadline items"] > 0
    refreshed = snapshot()
    assert refreshed != built
    analytics_build(district=w.district)
    assert snapshot() == refreshed
    assert analytics_refresh().rows == {}
    assert snapshot() == refreshed
    assert BuildState.objects.get(district_id=w.district.pk).last_event_id > 0


def test_a_district_never_built_is_built_by_the_first_refresh(catalog: World):
    complaint(catalog, at(2026, 3, 2), estate=catalog.estate_a)
    analytics_refresh()
    assert ComplaintArea.objects.get().complaints == 1


def test_build_command_prints_rows_and_time(catalog: World):
    complaint(catalog, at(2026, 3, 2), estate=catalog.estate_a)
    out = StringIO()
    call_command("build_analytics", district=catalog.district.code, stdout=out)
    text = out.getvalue()
    assert "诉件统计: 1" in text and "时限事项: 2" in text  # rows per table, in Chinese
    assert "用时" in text and "写入 12 行" in text  # the time taken and the rows written
    assert ComplaintCount.objects.count() == 1 and DeadlineItem.objects.count() == 2


def test_a_rebuild_since_a_month_keeps_the_earlier_months(catalog: World):
    w = catalog
    complaint(w, at(2026, 1, 5), estate=w.estate_a)
    complaint(w, at(2026, 3, 2), estate=w.estate_b, code=ADS)
    analytics_build(district=w.district)
    whole = snapshot()
    ComplaintArea.objects.filter(month__gte=dt.date(2026, 3, 1)).delete()
    analytics_build(district=w.district, since=dt.date(2026, 3, 15))
    assert snapshot() == whole

"""The figures beside events and trainings: suggestions from constructed hotspots, the later
figures of an event on a constructed case, a company's trainings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from xiaoqu.analytics.build import analytics_build
from xiaoqu.conftest import World
from xiaoqu.estates.models import Estate
from xiaoqu.estates.tests.factories import EstateFactory
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import Channel
from xiaoqu.law.models import ViolationType
from xiaoqu.outreach import selectors, services
from xiaoqu.outreach.choices import Presence
from xiaoqu.outreach.models import TrainingAttendance

from .factories import at, event, hotspot, training

GROUP = "group_rental"
ADS = "small_ads"
TODAY = dt.date(2026, 6, 20)
MAY = dt.date(2026, 5, 1)


def estate(world: World, name: str, residents: int, sub: Any = None) -> Estate:
    return EstateFactory.create(
        district=world.district, subdistrict=sub or world.sd_a, name=name, residents=residents
    )


@pytest.fixture
def hotspots(catalog: World) -> dict[str, Estate]:
    """Group rentals: a big estate with many complaints, a mid-sized one with a higher rate,
    a tiny one with two complaints (the highest raw rate, below the minimum count); old
    complaints outside the six months; small ads elsewhere."""
    w = catalog
    big = estate(w, "甲大社区", 10_000)
    mid = estate(w, "甲中社区", 2_000)
    tiny = estate(w, "甲小楼", 100)
    quiet = [estate(w, f"甲安静{i}村", 3_000) for i in range(4)]
    far = estate(w, "乙大社区", 8_000, sub=w.sd_b)
    hotspot(w, big, GROUP, 30, month=MAY)
    hotspot(w, mid, GROUP, 12, month=dt.date(2026, 3, 1))
    hotspot(w, tiny, GROUP, 2, month=MAY)
    hotspot(w, quiet[0], GROUP, 1, month=MAY)
    hotspot(w, far, GROUP, 20, month=MAY)
    hotspot(w, far, GROUP, 500, month=dt.date(2025, 10, 1))  # before the six months
    hotspot(w, mid, ADS, 6, month=MAY)
    return {"big": big, "mid": mid, "tiny": tiny, "far": far}


def test_suggestions_rank_estates_per_type_on_the_shrunk_rate(
    catalog: World, hotspots: dict[str, Estate]
) -> None:
    s = selectors.event_suggestions(user=catalog.dispatcher, today=TODAY)
    assert s.period.start == dt.date(2026, 1, 1) and s.period.end == dt.date(2026, 7, 1)
    assert [t.code for t in s.themes] == [GROUP, ADS]  # by complaints
    group = s.themes[0]
    assert group.complaints == 30 + 12 + 2 + 1 + 20  # the October 500 are not counted
    names = [e.name for e in group.estates]
    assert "甲小楼" not in names  # two complaints: never ranked, although its raw rate is 200
    assert "甲安静0村" not in names
    assert names[0] == "甲中社区"  # 60 per 10k on 12 complaints beats 30 on 30
    shrunk = [e.shrunk or 0.0 for e in group.estates]
    assert shrunk == sorted(shrunk, reverse=True)
    rows = {e.name: e for e in group.estates}
    assert rows["甲大社区"].complaints == 30 and rows["甲大社区"].per_10k == pytest.approx(30.0)
    assert rows["甲中社区"].per_10k == pytest.approx(60.0)
    assert rows["甲中社区"].shrunk is not None and rows["甲中社区"].shrunk < 60  # pulled in
    assert group.estate_ids[0] == hotspots["mid"].pk


def test_subdistrict_staff_get_suggestions_for_their_subdistrict_only(
    catalog: World, hotspots: dict[str, Estate]
) -> None:
    w = catalog
    mine = selectors.event_suggestions(user=w.officer_a, today=TODAY)
    names = {e.name for t in mine.themes for e in t.estates}
    assert "乙大社区" not in names and "甲中社区" in names
    assert mine.themes[0].complaints == 30 + 12 + 2 + 1
    theirs = selectors.event_suggestions(user=w.officer_b, today=TODAY)
    assert {e.name for t in theirs.themes for e in t.estates} == {"乙大社区"}
    for nobody in (w.clerk_a, w.member_a, w.liaison):
        assert selectors.event_suggestions(user=nobody, today=TODAY).themes == []


OCCUPATION = "common_area_occupation"


def complaint(world: World, when: dt.datetime, estate: Estate, code: str = OCCUPATION) -> Any:
    return intake.complaint_create(
        actor=world.dispatcher,
        channel=Channel.HOTLINE,
        content="楼道堆物",
        estate=estate,
        violation_type=ViolationType.objects.effective().get(code=code),
        reporter_name="王先生",
        reporter_phone="13812341234",
        received_at=when,
        at=when,
    )


@pytest.fixture
def constructed(catalog: World) -> Any:
    """A class on 2026-03-15 at 甲花园 (2,000 residents) about occupation of common areas."""
    w = catalog
    Estate.objects.filter(pk=w.estate_a.pk).update(residents=2000)
    w.estate_a.refresh_from_db()
    for when in (at(2025, 12, 3), at(2026, 1, 5), at(2026, 1, 20), at(2026, 2, 10)):
        complaint(w, when, w.estate_a)  # before: 4
    complaint(w, at(2025, 8, 20), w.estate_a)  # older than six months: not counted
    complaint(w, at(2026, 1, 7), w.estate_a, code=ADS)  # another theme
    complaint(w, at(2026, 2, 11), w.estate_b)  # not a target
    complaint(w, at(2026, 3, 20), w.estate_a)  # the event's month: neither
    complaint(w, at(2026, 4, 2), w.estate_a)  # after: 2
    complaint(w, at(2026, 6, 28), w.estate_a)
    complaint(w, at(2026, 8, 3), w.estate_a)  # after, but August is not complete on 08-10
    analytics_build(district=w.district)
    return event(w, estates=[w.estate_a], themes=[OCCUPATION], starts_at=at(2026, 3, 15, 14))


def test_later_figures_count_target_estates_and_themes_before_and_after(
    catalog: World, constructed: Any
) -> None:
    effect = selectors.event_effect(event=constructed, today=dt.date(2026, 8, 10))
    assert effect.event_month == dt.date(2026, 3, 1)
    assert (effect.before.start, effect.before.end) == (dt.date(2025, 9, 1), dt.date(2026, 3, 1))
    assert effect.after is not None
    assert (effect.after.start, effect.after.end) == (dt.date(2026, 4, 1), dt.date(2026, 8, 1))
    assert (effect.before_count, effect.after_count, effect.months_after) == (4, 2, 4)
    assert effect.residents == 2000
    assert effect.before_monthly == pytest.approx(4 * 10_000 / 2000 / 6)
    assert effect.after_monthly == pytest.approx(2 * 10_000 / 2000 / 4)
    assert not effect.too_early
    assert effect.too_few and effect.change is None  # six complaints: no change claimed
    parts = {m.month: m.part for m in effect.series}
    assert parts[dt.date(2026, 3, 1)] == "event" and parts[dt.date(2026, 8, 1)] == "running"
    by_month = {m.month: m.complaints for m in effect.series}
    assert by_month[dt.date(2026, 3, 1)] == 1 and by_month[dt.date(2026, 1, 1)] == 2
    assert [(r.estate.name, r.before, r.after) for r in effect.estates] == [("甲花园", 4, 2)]


def test_too_early_with_fewer_than_three_months_after(catalog: World, constructed: Any) -> None:
    effect = selectors.event_effect(event=constructed, today=dt.date(2026, 6, 5))
    assert effect.months_after == 2 and effect.too_early and effect.change is None
    assert selectors.event_effect(event=constructed, today=dt.date(2026, 3, 30)).after is None


def test_change_is_stated_with_enough_complaints(catalog: World) -> None:
    w = catalog
    Estate.objects.filter(pk=w.estate_a.pk).update(residents=1000)
    e = event(w, estates=[w.estate_a], themes=[GROUP], starts_at=at(2026, 3, 15))
    for m in (9, 10, 11, 12):
        hotspot(w, w.estate_a, GROUP, 3, month=dt.date(2025, m, 1))  # 12 before (6 months)
    hotspot(w, w.estate_a, GROUP, 3, month=dt.date(2026, 5, 1))  # 3 after (3 months)
    hotspot(w, w.estate_a, ADS, 50, month=dt.date(2026, 5, 1))  # not a theme
    effect = selectors.event_effect(event=e, today=dt.date(2026, 7, 2))
    assert (effect.before_count, effect.after_count, effect.months_after) == (12, 3, 3)
    assert effect.change == pytest.approx((3 / 3) / (12 / 6) - 1)  # −50 %


def test_effect_complaints_are_the_records_behind_the_figures(
    catalog: World, constructed: Any
) -> None:
    w = catalog
    before = selectors.effect_complaints(user=w.dispatcher, event=constructed, part="before")
    assert before.count() == 4
    assert set(before.values_list("violation_type__code", flat=True)) == {OCCUPATION}
    assert (
        selectors.effect_complaints(user=w.officer_b, event=constructed, part="before").count() == 0
    )


def test_company_trainings_count_attendance_and_manager_absences(catalog: World) -> None:
    w = catalog
    first = training(w, title="第一季度培训")
    second = training(w, title="第二季度培训", starts_at=at(2026, 4, 20, 14))
    training(w, title="第三季度培训", starts_at=at(2026, 9, 20, 14))  # planned
    cancelled = training(w, title="取消的培训")
    services.training_cancel(
        actor=w.dispatcher, training=cancelled, reason="取消", at=at(2026, 3, 2)
    )

    def mark(t: Any, company: Any, company_presence: str, manager_presence: str) -> None:
        rows = TrainingAttendance.objects.filter(training=t, company=company)
        marks = {r.pk: company_presence if r.manager_id is None else manager_presence for r in rows}
        services.training_attendance_record(
            actor=w.dispatcher, training=t, marks=marks, at=at(2026, 5, 1)
        )

    mark(first, w.company_a, Presence.ABSENT, Presence.ABSENT)
    mark(second, w.company_a, Presence.PRESENT, Presence.EXCUSED)
    record = selectors.company_trainings(user=w.dispatcher, company=w.company_a)
    assert [s.training.title for s in record.sessions] == [
        "第三季度培训",
        "第二季度培训",
        "第一季度培训",
    ]
    assert (record.attended, record.absent, record.excused, record.manager_absences) == (1, 1, 0, 1)
    assert record.sessions[2].absent == ["甲经理"] and record.sessions[1].excused == ["甲经理"]
    # company B's staff see nothing of company A's attendance
    assert selectors.company_trainings(user=w.clerk_b, company=w.company_a).sessions == []
    own = selectors.company_trainings(user=w.clerk_a, company=w.company_a)
    assert own.absent == 1 and all(s.visible for s in own.sessions)

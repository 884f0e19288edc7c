"""Each figure on hand-computed cases built through the services (DESIGN § Figures)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from xiaoqu.analytics import figures
from xiaoqu.analytics.build import analytics_build
from xiaoqu.analytics.figures import Period, Rate, Scope
from xiaoqu.analytics.models import ComplaintEstate
from xiaoqu.analytics.shrinkage import Prior, prior_fit, shrunk_rate
from xiaoqu.conftest import World
from xiaoqu.estates.models import Estate
from xiaoqu.intake import services
from xiaoqu.intake.choices import Channel
from xiaoqu.law.models import ViolationType
from xiaoqu.supervision import services as supervision

SH = ZoneInfo("Asia/Shanghai")
OCCUPATION = "common_area_occupation"
ADS = "small_ads"


def at(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SH)


def complaint(world: World, when: dt.datetime, *, estate: Estate, code: str = OCCUPATION) -> Any:
    return services.complaint_create(
        actor=world.dispatcher,
        channel=Channel.HOTLINE,
        content="楼道堆放杂物",
        estate=estate,
        violation_type=ViolationType.objects.effective().get(code=code),
        reporter_name="王先生",
        reporter_phone="13812341234",
        received_at=when,
        at=when,
    )


def visit(when: dt.datetime) -> services.Visit:
    return services.Visit(
        inspected_at=when, place="3号楼楼道", findings="现场未见", violation_found=False
    )


def close(world: World, lead: Any, when: dt.datetime, officer: Any = None) -> Any:
    return services.lead_close_no_violation(
        lead=lead,
        actor=officer or world.officer_a,
        visit=visit(when),
        reason="现场未见",
        at=when,
    )


@pytest.fixture
def residents(catalog: World) -> World:
    Estate.objects.filter(pk=catalog.estate_a.pk).update(residents=2000)
    Estate.objects.filter(pk=catalog.estate_a2.pk).update(residents=3000)
    Estate.objects.filter(pk=catalog.estate_b.pk).update(residents=5000)
    return catalog


def district(world: World, **kw: Any) -> Scope:
    return Scope(district_id=world.district.pk, **kw)


MARCH = Period.month(2026, 3)


def test_complaints_per_10k_raw_and_with_repeats_folded(residents: World):
    w = residents
    first = complaint(w, at(2026, 3, 2), estate=w.estate_a)
    second = complaint(w, at(2026, 3, 3), estate=w.estate_a)  # the same open matter: a repeat
    assert second.is_repeat and second.lead == first.lead
    complaint(w, at(2026, 3, 5), estate=w.estate_b, code=ADS)
    complaint(w, at(2026, 4, 1), estate=w.estate_a2, code=ADS)  # April: outside the period
    analytics_build(district=w.district)

    whole = district(w)
    assert figures.residents(whole) == 10_000
    assert figures.complaints(whole, MARCH) == 3
    assert figures.per_10k(whole, MARCH) == Rate(3, 10_000, 10_000)
    assert figures.per_10k(whole, MARCH).value == pytest.approx(3.0)
    assert figures.per_10k(whole, MARCH, fold_repeats=True).value == pytest.approx(2.0)
    a = district(w, subdistrict_id=w.sd_a.pk)
    assert figures.per_10k(a, MARCH).value == pytest.approx(2 * 10_000 / 5000)  # 4.0
    assert figures.per_10k(a, MARCH, fold_repeats=True).value == pytest.approx(2.0)
    estate = district(w, estate_id=w.estate_a.pk)
    assert figures.per_10k(estate, MARCH).value == pytest.approx(10.0)
    assert (
        figures.complaints(
            district(w, violation_code=ADS), Period(MARCH.start, dt.date(2026, 5, 1))
        )
        == 2
    )

    spring = Period(dt.date(2026, 2, 1), dt.date(2026, 5, 1))
    months = figures.monthly(whole, spring)
    assert [(m.month.month, m.complaints, m.repeats) for m in months] == [
        (2, 0, 0),
        (3, 3, 1),
        (4, 1, 0),
    ]
    assert [m.complaints for m in figures.monthly(whole, spring, fold_repeats=True)] == [0, 2, 1]
    areas = {
        f.name: (f.complaints, f.residents, f.per_10k.value)
        for f in figures.by_subdistrict(whole, MARCH)
    }
    assert areas == {"甲街道": (2, 5000, 4.0), "乙街道": (1, 5000, 2.0)}
    assert [(t.code, t.complaints) for t in figures.by_violation_type(whole, MARCH)] == [
        (OCCUPATION, 2),
        (ADS, 1),
    ]
    assert figures.estate_monthly([w.estate_a.pk, w.estate_b.pk, w.estate_a2.pk], spring) == {
        w.estate_a.pk: [0, 2, 0],
        w.estate_b.pk: [0, 1, 0],
        w.estate_a2.pk: [0, 0, 1],
    }


def test_on_time_replies_over_the_spring_festival(residents: World):
    w = residents
    # received Thursday 12 Feb 2026: 5 working days over the Spring Festival (15–23 Feb and
    # the make-up Saturday 14 Feb) end on 26 Feb, not on 19 Feb as calendar days would.
    early = complaint(w, at(2026, 2, 12, 10), estate=w.estate_a)
    late = complaint(w, at(2026, 2, 12, 11), estate=w.estate_b, code=ADS)
    assert early.reply_due_at == dt.datetime(2026, 2, 26, 23, 59, 59, tzinfo=SH)
    services.complaint_reply(complaint=early, actor=w.dispatcher, text="已处理", at=at(2026, 2, 25))
    services.complaint_reply(complaint=late, actor=w.dispatcher, text="已处理", at=at(2026, 2, 27))
    analytics_build(district=w.district)

    replies = figures.rates(district(w), Period.month(2026, 2), kind="reply")
    assert replies.on_time == Rate(1, 2)
    assert replies.late == 1 and replies.closure == Rate(2, 2)
    assert figures.rates(
        district(w, subdistrict_id=w.sd_a.pk), Period.month(2026, 2), kind="reply"
    ).on_time == Rate(1, 1)


def test_lead_on_time_closure_rework_and_extension(residents: World):
    w = residents
    l1 = complaint(w, at(2026, 3, 2), estate=w.estate_a).lead
    l2 = complaint(w, at(2026, 3, 2), estate=w.estate_b, code=ADS).lead
    l3 = complaint(w, at(2026, 3, 2), estate=w.estate_a2, code=ADS).lead
    for lead in (l1, l2, l3):
        services.lead_dispatch(lead=lead, actor=w.dispatcher, at=at(2026, 3, 2, 10))
    # l1: an approved extension, then closed in time
    supervision.extension_request(
        lead=l1, actor=w.officer_a, days=5, reason="当事人外出", at=at(2026, 3, 3)
    )
    from xiaoqu.supervision.models import ExtensionRequest

    supervision.extension_decide(
        extension=ExtensionRequest.objects.get(lead=l1),
        actor=w.leader,
        approve=True,
        note="同意",
        at=at(2026, 3, 3, 11),
    )
    close(w, l1, at(2026, 3, 4))
    # l2: closed, reopened (rework), closed again
    l2 = close(w, l2, at(2026, 3, 3), w.officer_b)
    l2 = services.lead_reopen(
        lead=l2, actor=w.dispatcher, reason="举报人再次反映", at=at(2026, 3, 10)
    )
    close(w, l2, at(2026, 3, 12), w.officer_b)
    # l3: 15 working days run out on 20 March; the sweep marks it overdue, then it is closed
    supervision.sweep(at=at(2026, 3, 25))
    close(w, l3, at(2026, 3, 26))
    analytics_build(district=w.district)

    leads = figures.rates(district(w), MARCH, kind="lead")
    assert leads.due == 3
    assert leads.on_time == Rate(2, 3)
    assert leads.late == 1
    assert leads.closure == Rate(3, 3)
    assert leads.rework == Rate(1, 3)
    assert leads.extension == Rate(1, 3)
    team_a = w.sd_a.departments.get(kind="enforcement_team")
    assert figures.rates(district(w, department_id=team_a.pk), MARCH, kind="lead").on_time == Rate(
        1, 2
    )
    # every lead is closed; the three replies to the reporters are still owed and overdue
    assert figures.overdue_now(district(w)) == 3


def test_overdue_now_counts_open_items_marked_by_the_sweep(residents: World):
    w = residents
    lead = complaint(w, at(2026, 3, 2), estate=w.estate_a).lead
    services.lead_dispatch(lead=lead, actor=w.dispatcher, at=at(2026, 3, 2, 10))
    complaint(w, at(2026, 3, 2), estate=w.estate_b, code=ADS)
    supervision.sweep(at=at(2026, 3, 25))
    analytics_build(district=w.district)
    # two leads and two replies are past their deadlines
    assert figures.overdue_now(district(w)) == 4
    assert figures.overdue_now(district(w, subdistrict_id=w.sd_b.pk)) == 2


@pytest.mark.parametrize(("days", "recurs"), [(89, True), (91, False)])
def test_recurrence_within_90_days_after_a_closure(residents: World, days: int, recurs: bool):
    w = residents
    first = complaint(w, at(2026, 1, 5), estate=w.estate_a).lead
    services.lead_dispatch(lead=first, actor=w.dispatcher, at=at(2026, 1, 5, 10))
    close(w, first, at(2026, 1, 6))
    again = at(2026, 1, 6) + dt.timedelta(days=days)
    second = complaint(w, again, estate=w.estate_a)
    assert second.lead != first
    complaint(w, again, estate=w.estate_a, code=ADS)  # another type: never a recurrence
    analytics_build(district=w.district)
    month = Period.month(again.year, again.month)
    assert figures.rates(district(w), month).recurrence == Rate(1 if recurs else 0, 2)
    assert figures.rates(district(w, estate_id=w.estate_a.pk), month).recurrence == Rate(
        1 if recurs else 0, 2
    )


def test_shrinkage_keeps_a_tiny_estate_from_topping_the_list():
    prior = Prior(mean=20.0, alpha=2.0)
    tiny = shrunk_rate(1, 100, prior)  # raw: 100 per 10,000
    large = shrunk_rate(50, 5000, prior)  # raw: 100 per 10,000 as well
    assert tiny is not None and large is not None and tiny < large
    assert tiny == pytest.approx((2 + 1) / (0.1 + 0.01))
    # a fitted prior stays between the raw rate and the district rate
    fitted = prior_fit([1, 50, 10, 12, 8, 9], [100, 5000, 4000, 5000, 4500, 3000])
    assert 0 < fitted.mean < 100
    shrunk = shrunk_rate(1, 100, fitted)
    assert shrunk is not None and fitted.mean <= shrunk < 100


def test_top_estates_rank_on_the_shrunk_rate_with_a_minimum_count(residents: World):
    w = residents
    Estate.objects.filter(pk=w.estate_a.pk).update(residents=100)
    Estate.objects.filter(pk=w.estate_b.pk).update(residents=5000)
    rows = [(w.estate_a, 1), (w.estate_a2, 6), (w.estate_b, 50)]
    for estate, n in rows:
        ComplaintEstate.objects.create(
            month=MARCH.start,
            district_id=w.district.pk,
            subdistrict_id=estate.subdistrict_id or 0,
            estate_id=estate.pk,
            complaints=n,
        )
    top = figures.top_estates(district(w), MARCH)
    assert [f.estate_id for f in top] == [w.estate_b.pk, w.estate_a2.pk, w.estate_a.pk]
    tiny = top[-1]
    assert tiny.per_10k.value == pytest.approx(100.0) and not tiny.ranked
    assert top[0].ranked and top[0].per_10k.value == pytest.approx(100.0)


def test_periods():
    assert Period.quarter(2026, 4) == Period(dt.date(2026, 10, 1), dt.date(2027, 1, 1))
    assert Period.year(2026).shifted(-1) == Period.year(2025)
    assert len(Period.month(2026, 12).months()) == 1
    assert Rate(1, 0).value is None


def test_scope_for_applies_the_jurisdiction(residents: World):
    w = residents
    assert figures.scope_for(w.leader) == Scope(district_id=w.district.pk)
    own = figures.scope_for(w.officer_a)
    assert own.subdistrict_id == w.sd_a.pk
    assert figures.scope_for(w.officer_a, estate_id=w.estate_a.pk).estate_id == w.estate_a.pk
    with pytest.raises(PermissionDenied):
        figures.scope_for(w.officer_a, subdistrict_id=w.sd_b.pk)
    with pytest.raises(PermissionDenied):
        figures.scope_for(w.officer_a, estate_id=w.estate_b.pk)
    with pytest.raises(PermissionDenied):
        figures.scope_for(w.clerk_a)
    assert figures.scope_for(w.liaison).department_id == w.housing.pk
    with pytest.raises(PermissionDenied):
        figures.scope_for(w.liaison, department_id=w.sd_a.departments.get().pk)
    assert figures.scope_for(w.leader, subdistrict_id=w.sd_b.pk).subdistrict_id == w.sd_b.pk


def test_goals_compare_the_same_months_of_the_baseline_year(residents: World):
    w = residents
    complaint(w, at(2025, 2, 3), estate=w.estate_a)
    complaint(w, at(2025, 2, 4), estate=w.estate_b, code=ADS)
    complaint(w, at(2025, 8, 4), estate=w.estate_b)  # after the compared months
    complaint(w, at(2026, 2, 3), estate=w.estate_a2)
    analytics_build(district=w.district)
    goals = figures.goals(district(w), 2026, baseline_year=2025, today=dt.date(2026, 3, 10))
    assert goals.months == 3  # January to March
    assert goals.per_10k == Rate(1, 10_000, 10_000)
    assert goals.baseline_per_10k == Rate(2, 10_000, 10_000)
    # only February of the baseline is on record: no change is claimed
    assert goals.baseline_months_with_data == 1 and goals.per_10k_change is None
    complaint(w, at(2025, 1, 6), estate=w.estate_a2, code=ADS)
    complaint(w, at(2025, 3, 2), estate=w.estate_a2)
    analytics_build(district=w.district)
    goals = figures.goals(district(w), 2026, baseline_year=2025, today=dt.date(2026, 3, 10))
    assert goals.baseline_complete
    assert goals.per_10k_change == pytest.approx(1 / 4 - 1)

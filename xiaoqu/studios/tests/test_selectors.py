from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.tests.factories import UserFactory
from xiaoqu.conftest import World
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import Channel
from xiaoqu.law.models import ViolationType
from xiaoqu.studios import selectors

from .factories import close_no_violation, member, report


def hotline(
    world: World, *, estate: Any, when: dt.datetime, code: str = "common_area_occupation"
) -> Any:
    return intake.complaint_create(
        actor=world.dispatcher,
        channel=Channel.HOTLINE,
        content="楼道被占用",
        estate=estate,
        violation_type=ViolationType.objects.effective(when.date()).get(code=code),
        reporter_phone="13800001111",
        received_at=when,
        at=when,
    )


def test_figures_on_a_constructed_case(catalog: World) -> None:
    world = catalog
    now = timezone.now()
    world.estate_a.residents = 5000
    world.estate_a.save()
    day = dt.timedelta(days=1)
    first = hotline(world, estate=world.estate_a, when=now - 5 * day)
    repeat = hotline(world, estate=world.estate_a, when=now - 4 * day)
    assert repeat.is_repeat and repeat.lead == first.lead
    closed = report(world, code="household_waste", when=now - 60 * day)
    assert closed.complaint.lead is not None
    close_no_violation(
        world,
        closed.complaint.lead,
        when=now - 60 * day + dt.timedelta(days=2) - dt.timedelta(hours=2),
    )
    report(world, code=None, when=now - 20 * day)  # an early sign, no type: open
    hotline(world, estate=world.estate_a, when=now - 400 * day, code="small_ads")  # too old
    hotline(world, estate=world.estate_b, when=now - 5 * day)  # another studio's estate

    estates = selectors.studio_estates(user=world.dispatcher, studio=world.studio_a)
    figures = selectors.studio_figures(studio=world.studio_a, estates=estates, now=now)
    assert figures.residents == 5000
    assert figures.complaints_30d == 3
    assert figures.complaints_12m == 4
    assert str(figures.per_10k_12m) == "8.0"
    assert str(figures.per_10k_30d) == "6.0"
    assert figures.repeats_12m == 1
    assert figures.reports_12m == 2
    assert figures.reports_closed == 1 and figures.reports_open == 1
    assert figures.median_days_to_close == 2.0
    assert figures.early_signs_12m == 2
    assert figures.open_leads == 3  # the old small-ads matter is still open too
    [row] = figures.estates
    assert (row.complaints_30d, row.complaints_12m, row.open_leads) == (3, 4, 3)

    listed: Any = selectors.studio_list(user=world.dispatcher, now=now).get(pk=world.studio_a.pk)
    assert (listed.complaints_12m, listed.reports_12m, listed.open_leads) == (4, 2, 3)
    assert listed.residents == 5000 and listed.estate_count == 1
    other: Any = selectors.studio_list(user=world.dispatcher, now=now).get(pk=world.studio_b.pk)
    assert (other.complaints_12m, other.reports_12m, other.open_leads) == (1, 0, 1)


def test_studio_list_jurisdiction(world: World) -> None:
    def names(user: Any) -> set[str]:
        return set(selectors.studio_list(user=user).values_list("name", flat=True))

    assert names(world.dispatcher) == {"甲工作室", "乙工作室"}
    assert names(world.officer_a) == {"甲工作室"}
    assert names(world.manager_a) == {"甲工作室"}
    assert names(world.officer_b) == {"乙工作室"}
    assert names(world.member_a) == {"甲工作室"}
    assert names(world.clerk_a) == set()
    assert names(world.liaison) == set()


def test_members_and_activities_follow_the_studio(world: World) -> None:
    member(world, name="甲楼组长")
    member(world, studio=world.studio_b, name="乙楼组长")
    assert {m.name for m in selectors.members_of(user=world.officer_a, studio=world.studio_a)} == {
        "甲楼组长"
    }
    assert not selectors.members_of(user=world.member_a, studio=world.studio_b).exists()
    assert not selectors.members_of(user=world.clerk_a, studio=world.studio_a).exists()


def test_a_member_sees_only_their_own_reports(catalog: World) -> None:
    world = catalog
    neighbour = UserFactory.create(
        role=Role.STUDIO_MEMBER,
        studio=world.studio_a,
        username="member_a2",
        district=world.district,
    )
    mine = report(world)
    theirs = report(world, actor=neighbour, code="ebike_charging")
    assert list(selectors.my_reports(user=world.member_a)) == [mine]
    assert list(selectors.report_list(user=world.member_a)) == [mine]
    assert set(selectors.report_list(user=world.officer_a)) == {mine, theirs}
    assert not selectors.report_list(user=world.officer_b).exists()
    assert not selectors.report_list(user=world.clerk_a).exists()

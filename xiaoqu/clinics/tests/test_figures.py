"""Before/after figures of a clinic on constructed complaints."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoqu.clinics.figures import before_after
from xiaoqu.conftest import World

from .factories import at, clinic, complaint_row

HELD = dt.date(2030, 6, 15)


@pytest.fixture
def problem(catalog: World) -> World:
    """Estate 甲花园 (1,200 residents): 3 complaints a month from Dec 2029 to May 2030 (one a
    month a repeat), 2 in June (the clinic's month), 1 a month from July to October and 2 in
    November; noise of another type and another estate that must not count."""
    world = catalog
    for month in (12, 1, 2, 3, 4, 5):
        year = 2029 if month == 12 else 2030
        complaint_row(world, when=at(year, month, 3))
        complaint_row(world, when=at(year, month, 10))
        complaint_row(world, when=at(year, month, 20), repeat=True)
    complaint_row(world, when=at(2030, 6, 2))
    complaint_row(world, when=at(2030, 6, 28))
    for month in (7, 8, 9, 10):
        complaint_row(world, when=at(2030, month, 12))
    complaint_row(world, when=at(2030, 11, 1))
    complaint_row(world, when=at(2030, 11, 2))
    complaint_row(world, when=at(2029, 11, 30))  # 7 months before: outside the window
    complaint_row(world, when=at(2030, 3, 3), code="small_ads")
    complaint_row(world, when=at(2030, 3, 3), estate=world.estate_b)
    # the last minute of May in Shanghai is May's, whatever UTC says
    complaint_row(world, when=dt.datetime(2030, 5, 31, 23, 59, tzinfo=at(2030, 1, 1).tzinfo))
    return world


def test_figures_count_before_and_after_per_month_and_per_10k(problem: World) -> None:
    c = clinic(problem, at=at(2030, 6, 1))
    c.held_on = HELD
    result = before_after(c, today=dt.date(2030, 11, 5))
    assert result.residents == 1200
    labels = [m.label for m in result.months]
    assert labels[0] == "2029-12" and labels[-1] == "2030-11"
    by = {m.label: m for m in result.months}
    assert [m.label for m in result.before] == [
        "2029-12",
        "2030-01",
        "2030-02",
        "2030-03",
        "2030-04",
        "2030-05",
    ]
    assert by["2030-03"].complaints == 3 and by["2030-03"].folded == 2
    assert by["2030-05"].complaints == 4  # with the complaint at 23:59 on 31 May
    assert by["2030-06"].phase == "clinic" and by["2030-06"].complaints == 2
    assert by["2030-11"].phase == "after" and not by["2030-11"].complete
    assert [m.label for m in result.after] == ["2030-07", "2030-08", "2030-09", "2030-10"]
    assert result.before_total == 19 and result.before_total_folded == 13
    assert result.after_total == 4 and result.after_total_folded == 4
    assert by["2030-03"].per_10k.value == pytest.approx(25.0)  # 3 ÷ 1,200 × 10,000
    assert result.before_rate.value == pytest.approx(19 / 6 / 1200 * 10_000)
    assert result.after_rate.value == pytest.approx(1 / 1200 * 10_000)
    assert result.verdict == "fell"
    assert result.change == pytest.approx((1 - 19 / 6) / (19 / 6) * 100)
    assert result.change_folded == pytest.approx((1 - 13 / 6) / (13 / 6) * 100)
    chart = result.chart()
    assert chart["clinic_month"] == "2030-06" and len(chart["raw"]) == 12
    assert chart["raw"][3]["count"] == 3 and chart["folded"][3]["count"] == 2


def test_too_early_with_fewer_than_three_complete_months_after(problem: World) -> None:
    c = clinic(problem, at=at(2030, 6, 1))
    c.held_on = HELD
    result = before_after(c, today=dt.date(2030, 9, 20))  # July and August complete
    assert len(result.after) == 2
    assert result.verdict == "too_early" and result.change is None
    assert before_after(c, today=dt.date(2030, 10, 1)).verdict == "fell"  # September is over


def test_too_few_complaints_on_tiny_counts(catalog: World) -> None:
    world = catalog
    complaint_row(world, when=at(2030, 2, 3))
    complaint_row(world, when=at(2030, 4, 3))
    complaint_row(world, when=at(2030, 5, 3))
    complaint_row(world, when=at(2030, 8, 3))
    c = clinic(world, at=at(2030, 6, 1))
    c.held_on = HELD
    result = before_after(c, today=dt.date(2030, 12, 1))
    assert (result.before_total, result.after_total) == (3, 1)
    assert result.verdict == "too_few" and result.change is None


def test_rose_and_about_the_same(catalog: World) -> None:
    world = catalog
    for month in (1, 3, 5):
        complaint_row(world, when=at(2030, month, 3))
    for month in (7, 8, 9):
        for day in (3, 13, 23):
            complaint_row(world, when=at(2030, month, day))
    c = clinic(world, at=at(2030, 6, 1))
    c.held_on = HELD
    result = before_after(c, today=dt.date(2030, 10, 1))
    # before: 3 in 6 months (0.5 a month); after: 9 in 3 months (3 a month)
    assert result.verdict == "rose" and result.change == pytest.approx(500.0)
    same = clinic(world, estates=[world.estate_a2], title="甲新村", at=at(2030, 6, 1))
    same.held_on = HELD
    for month in (1, 2, 3, 4, 5, 12):
        complaint_row(
            world, when=at(2030 if month < 12 else 2029, month, 5), estate=world.estate_a2
        )
    for month in (7, 8, 9):
        complaint_row(world, when=at(2030, month, 5), estate=world.estate_a2)
    assert before_after(same, today=dt.date(2030, 10, 1)).verdict == "same"


def test_not_held_shows_the_months_up_to_now(problem: World) -> None:
    c = clinic(problem, at=at(2030, 6, 1))
    result = before_after(c, today=dt.date(2030, 6, 20))
    assert result.verdict == "not_held"
    assert result.before[0].label == "2029-12"
    assert result.months[-1].label == "2030-06"


def test_each_month_links_to_its_records(problem: World) -> None:
    world = problem
    one = clinic(world, at=at(2030, 6, 1))
    one.held_on = HELD
    march = {m.label: m for m in before_after(one, today=dt.date(2030, 11, 5)).months}["2030-03"]
    assert march.url.startswith("/analytics/records")
    for part in (
        f"estate={world.estate_a.pk}",
        "violation=common_area_occupation",
        "start=2030-03-01",
        "end=2030-04-01",
    ):
        assert part in march.url
    assert "fold=1" in march.url_folded and "fold=1" not in march.url
    two = clinic(
        world, estates=[world.estate_a, world.estate_a2], title="两个小区", at=at(2030, 6, 1)
    )
    two.held_on = HELD
    march2 = {m.label: m for m in before_after(two, today=dt.date(2030, 11, 5)).months}["2030-03"]
    assert march2.url == f"/clinics/{two.pk}/records/?month=2030-03"

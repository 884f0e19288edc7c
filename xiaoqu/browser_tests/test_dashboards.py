"""Dashboards in a real browser: every chart of the district, subdistrict, department and estate
pages is drawn by ECharts (an instance on the element, a canvas of non-zero size); clicking a
bar of a chart and a figure's number lands on the records behind it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from xiaoqu.analytics.build import analytics_build
from xiaoqu.browser_tests.conftest import login
from xiaoqu.conftest import World
from xiaoqu.departments.models import Department
from xiaoqu.intake import services as intake
from xiaoqu.law.models import ViolationType

pytestmark = pytest.mark.django_db(transaction=True)

CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-chart]')].map(el => {
  const chart = echarts.getInstanceByDom(el);
  const canvas = el.querySelector('canvas');
  return {id: el.id, instance: !!chart, width: canvas ? canvas.width : 0,
          height: canvas ? canvas.height : 0};
})"""


def _complaints(world: World) -> None:
    moment = timezone.now() - dt.timedelta(hours=2)
    for estate, code, text in (
        (world.estate_a, "group_rental", "甲花园群租"),
        (world.estate_a, "small_ads", "甲花园小广告"),
        (world.estate_a2, "group_rental", "甲新村群租"),
        (world.estate_b, "ebike_parking", "乙公寓停车乙"),
    ):
        intake.complaint_create(
            actor=world.dispatcher,
            channel="hotline",
            content=text,
            estate=estate,
            subdistrict=estate.subdistrict,
            violation_type=ViolationType.objects.get(code=code),
            received_at=moment,
            at=moment,
        )
    analytics_build(district=world.district)


def _assert_charts(page: Any, expected: set[str]) -> None:
    page.wait_for_function("document.querySelectorAll('[data-chart][data-rendered]').length > 0")
    drawn = page.evaluate(CHARTS_DRAWN)
    ids = {c["id"] for c in drawn}
    assert expected <= ids, drawn
    for chart in drawn:
        assert chart["instance"], chart
        assert chart["width"] > 0 and chart["height"] > 0, chart


def test_dashboards_draw_their_charts_and_drill_down(
    catalog: World, page: Any, screenshot: Any
) -> None:
    _complaints(catalog)
    login(page, catalog.leader.username, catalog.password)

    page.goto("/analytics/")
    _assert_charts(page, {"chart-trend", "chart-areas", "chart-types"})
    screenshot("district")

    # click the first bar of the violation types chart (group rental, 2 complaints)
    point = page.evaluate(
        """() => {
          const el = document.getElementById('chart-types');
          const chart = echarts.getInstanceByDom(el);
          const [x, y] = chart.convertToPixel({seriesIndex: 0}, [1, 0]);
          const box = el.getBoundingClientRect();
          return [box.left + x, box.top + y];
        }"""
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_url("**/analytics/records/**")
    assert "violation=group_rental" in page.url
    assert "2" in page.locator("[data-testid=result-count]").inner_text()
    rows = page.locator("[data-testid=complaint-table] tbody tr")
    assert rows.count() == 2

    # a figure's number: the complaints card
    page.goto("/analytics/")
    page.click("[data-testid=kpi-complaints]")
    page.wait_for_url("**/analytics/records/**")
    assert page.locator("[data-testid=complaint-table] tbody tr").count() == 4

    page.goto(f"/analytics/subdistricts/{catalog.sd_a.pk}/")
    _assert_charts(page, {"chart-trend", "chart-types"})
    assert "乙公寓" not in page.content()

    team_a = Department.objects.get(subdistrict=catalog.sd_a)
    page.goto(f"/analytics/departments/{team_a.pk}/")
    _assert_charts(page, {"chart-trend", "chart-types"})

    page.goto(f"/analytics/estates/{catalog.estate_a.pk}/")
    _assert_charts(page, {"chart-trend", "chart-types"})
    assert page.locator("[data-testid=timeline] li").count() >= 2
    screenshot("estate")


def test_phone_dashboard_fits_the_screen(catalog: World, browser: Any, live_server: Any) -> None:
    _complaints(catalog)
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        login(page, catalog.officer_a.username, catalog.password)
        page.goto(f"/analytics/subdistricts/{catalog.sd_a.pk}/")
        _assert_charts(page, {"chart-trend", "chart-types"})
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1
    finally:
        context.close()

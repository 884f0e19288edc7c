"""Assessment in a real browser: a leader opens the live table of a quarter, opens a
subdistrict's explanation, publishes, and reads the frozen table; the work plan shows its
overdue tasks. Screenshots at desktop width and on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from xiaoqu.assessment.demo import demo_assessment
from xiaoqu.assessment.models import Snapshot
from xiaoqu.assessment.tests.factories import at, history
from xiaoqu.browser_tests.conftest import login
from xiaoqu.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


def test_leader_reads_the_table_an_explanation_and_publishes(
    catalog: World, page: Any, screenshot: Any
) -> None:
    w = catalog
    history(w)
    demo_assessment(district=w.district, seed=1, now=at(2026, 5, 1))
    login(page, w.leader.username, w.password)
    page.goto("/assessment/?period=2026Q1")
    table = page.get_by_test_id("assessment-subdistrict")
    rows = table.get_by_test_id("unit-row")
    assert rows.count() == 2
    assert "甲街道" in rows.nth(0).inner_text()  # A fell by 40 %: ranked first
    assert page.get_by_test_id("live-badge").is_visible()
    screenshot("table")

    rows.nth(0).get_by_role("link", name="甲街道").click()
    page.wait_for_url("**/assessment/unit/subdistrict/**")
    explanation = page.get_by_test_id("explanation")
    assert "-40 %" in explanation.inner_text()
    assert page.get_by_test_id("drill").count() >= 7
    total = page.get_by_test_id("explained-total").inner_text()
    screenshot("explanation")

    page.goto("/assessment/?period=2026Q1")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("publish").click()
    page.wait_for_url("**/assessment/published/**")
    assert page.get_by_test_id("published-badge").is_visible()
    assert page.get_by_test_id("hash-ok").is_visible()
    assert Snapshot.objects.filter(is_demo=False).count() == 1
    assert total in page.get_by_test_id("assessment-subdistrict").inner_text()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/assessment/plan/")
    assert page.get_by_test_id("overdue-task").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("plan-phone")

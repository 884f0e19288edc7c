"""A dispatcher opens a clinic's page: the before/after chart is drawn (a canvas), the
statement and the monthly figures are shown, and a month's count opens its records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from xiaoqu.browser_tests.conftest import login
from xiaoqu.clinics.figures import add_months
from xiaoqu.clinics.tests.factories import clinic, complaint_row, held
from xiaoqu.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


def test_clinic_page_shows_the_before_after_chart_and_figures(
    catalog: World, page: Any, screenshot: Any
) -> None:
    world = catalog
    tz = timezone.get_current_timezone()
    this_month = timezone.localdate().replace(day=1)
    held_month = add_months(this_month, -4)
    for back in range(1, 7):  # 3 complaints a month before, 1 a month after
        month = add_months(held_month, -back)
        for day in (3, 12, 21):
            complaint_row(world, when=dt.datetime(month.year, month.month, day, 10, tzinfo=tz))
    for ahead in range(1, 4):
        month = add_months(held_month, ahead)
        complaint_row(world, when=dt.datetime(month.year, month.month, 12, 10, tzinfo=tz))
    c = clinic(world, at=dt.datetime(held_month.year, held_month.month, 1, 9, tzinfo=tz))
    held(world, c, held_month.replace(day=10))

    login(page, world.dispatcher.username, world.password)
    page.goto(c.get_absolute_url())
    page.wait_for_selector("[data-testid=clinic-chart][data-rendered='1'] canvas")
    assert page.locator("[data-testid=clinic-chart] canvas").count() >= 1
    assert page.get_by_test_id("before-total").inner_text() == "18"
    assert page.get_by_test_id("after-total").inner_text() == "3"
    statement = page.get_by_test_id("clinic-statement").inner_text()
    assert "67" in statement  # fell by 67 %: from 3 to 1 a month
    screenshot("clinic")
    page.get_by_test_id("month-count").first.click()
    page.wait_for_url("**/analytics/records/**")
    assert "estate=" in page.url

"""Estate risk grades in a real browser: a bureau leader opens an estate page, reads why the
estate has its grade (inputs and points), then sets the grade by hand: refused without a
reason, recorded with one and shown on the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from xiaoqu.browser_tests.conftest import login
from xiaoqu.conftest import World
from xiaoqu.estates import grading
from xiaoqu.estates.choices import GradeSource, RiskGrade
from xiaoqu.estates.models import EstateGrade
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.models import Complaint

pytestmark = pytest.mark.django_db(transaction=True)


def test_leader_reads_the_grade_and_overrides_it_with_a_reason(
    world: World, page: Any, screenshot: Any
) -> None:
    now = timezone.now()
    for i in range(9):
        Complaint.objects.create(
            number=f"TB-{i:06d}",
            channel=Channel.HOTLINE,
            received_at=now - dt.timedelta(days=35 + i),
            content="投诉",
            district=world.district,
            estate=world.estate_a,
            is_repeat=i < 4,
        )
    grading.estate_grades_recompute(district=world.district, month=grading.current_month())
    row = EstateGrade.objects.get(estate=world.estate_a, source=GradeSource.COMPUTED)
    assert row.grade == RiskGrade.GENERAL  # 75 per 10k: 30 points, 4 repeats: 8 points

    login(page, world.leader.username, world.password)
    page.goto(world.estate_a.get_absolute_url())
    panel = page.locator("[data-testid=grade-panel]")
    panel.wait_for()
    assert panel.locator("[data-testid=grade-current]").inner_text() == "一般"
    complaints = panel.locator("[data-testid=grade-input-complaints]")
    assert "75" in complaints.inner_text()
    assert complaints.locator("[data-testid=points]").inner_text() == "30"
    assert (
        panel.locator("[data-testid=grade-input-repeat] [data-testid=points]").inner_text() == "8"
    )
    assert panel.locator("[data-testid=grade-score]").inner_text() == "38.00"
    screenshot("explained")

    panel.locator("[data-testid=grade-override-form] summary").click()
    panel.locator("select[name=grade]").select_option(RiskGrade.KEY)
    panel.locator("[data-testid=override-submit]").click()
    # the reason is required: the browser or the server refuses, nothing is recorded
    assert not EstateGrade.objects.filter(source=GradeSource.OVERRIDE).exists()

    page.goto(world.estate_a.get_absolute_url())
    panel.locator("[data-testid=grade-override-form] summary").click()
    panel.locator("select[name=grade]").select_option(RiskGrade.KEY)
    panel.locator("textarea[name=reason]").fill("群租苗头集中，会商决定加密巡查")
    panel.locator("[data-testid=override-submit]").click()
    page.locator("[data-testid=grade-override]").wait_for()
    assert "群租苗头集中" in page.locator("[data-testid=grade-override]").inner_text()
    assert page.locator("[data-testid=grade-current]").inner_text() == "重点"
    override = EstateGrade.objects.get(source=GradeSource.OVERRIDE)
    assert override.actor == world.leader and override.grade == RiskGrade.KEY
    screenshot("overridden")

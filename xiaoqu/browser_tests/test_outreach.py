"""A dispatcher plans a law class from a hotspot suggestion in one click, then records it as
held with the attendance per estate; the housing bureau's liaison records a training's
attendance and the absent company's credit record shows the absence."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from xiaoqu.browser_tests.conftest import login
from xiaoqu.conftest import World
from xiaoqu.outreach.choices import EventStatus, Presence, TrainingStatus
from xiaoqu.outreach.models import OutreachEvent, TrainingAttendance
from xiaoqu.outreach.tests.factories import hotspot, training

pytestmark = pytest.mark.django_db(transaction=True)


def test_plan_an_event_from_a_suggestion_and_record_attendance(
    catalog: World, page: Any, screenshot: Any
) -> None:
    w = catalog
    month = timezone.localdate().replace(day=1)
    hotspot(w, w.estate_a, "group_rental", 12, month=month)
    hotspot(w, w.estate_a2, "group_rental", 6, month=month)
    login(page, w.dispatcher.username, w.password)

    page.goto("/outreach/plan/")
    theme = page.locator('[data-testid="suggestion-theme"][data-code="group_rental"]')
    assert theme.get_by_test_id("suggested-estate").count() == 2
    screenshot("suggestions")
    theme.get_by_test_id("use-suggestion").click()
    page.wait_for_url("**/outreach/plan/?theme=group_rental*")
    assert page.locator('input[name="themes"][value="group_rental"]').is_checked()
    selected = page.eval_on_selector(
        "#id_estates", "s => Array.from(s.selectedOptions).map(o => o.value)"
    )
    assert sorted(selected) == sorted([str(w.estate_a.pk), str(w.estate_a2.pk)])
    yesterday = timezone.localtime() - dt.timedelta(days=1)
    page.fill("#id_starts_at", yesterday.strftime("%Y-%m-%dT14:00"))
    page.fill("#id_place", "甲花园居民活动室")
    page.get_by_test_id("event-submit").click()
    page.wait_for_url("**/outreach/*/")
    event = OutreachEvent.objects.get()
    assert event.theme_codes == ["group_rental"] and event.targets.count() == 2

    page.get_by_test_id("event-hold").click()
    page.fill(f"#id_estate_{w.estate_a.pk}", "40")
    page.fill(f"#id_estate_{w.estate_a2.pk}", "25")
    screenshot("hold")
    page.get_by_test_id("hold-submit").click()
    page.wait_for_url(f"**/outreach/{event.pk}/")
    event.refresh_from_db()
    assert event.status == EventStatus.HELD and event.attendance == 65
    assert "65" in page.get_by_test_id("event-attendance").inner_text()
    screenshot("held")


def test_training_attendance_shows_in_the_credit_record(
    catalog: World, page: Any, screenshot: Any
) -> None:
    w = catalog
    t = training(
        w,
        starts_at=timezone.now() - dt.timedelta(hours=3),
        at=timezone.now() - dt.timedelta(days=7),
    )
    login(page, w.liaison.username, w.password)
    page.goto(t.get_absolute_url())
    page.get_by_test_id("training-attendance").click()
    own_a = TrainingAttendance.objects.get(training=t, company=w.company_a, manager=None)
    page.get_by_test_id("all-present").click()
    page.check(f"#p{own_a.pk}-{Presence.ABSENT}")
    screenshot("attendance")
    page.get_by_test_id("attendance-submit").click()
    page.wait_for_url(f"**{t.get_absolute_url()}")
    t.refresh_from_db()
    assert t.status == TrainingStatus.HELD
    assert page.get_by_test_id("count-absent").inner_text() == "1"
    assert set(
        TrainingAttendance.objects.filter(training=t)
        .exclude(pk=own_a.pk)
        .values_list("presence", flat=True)
    ) == {Presence.PRESENT}

    page.goto(f"/credit/companies/{w.company_a.pk}/")
    panel = page.get_by_test_id("company-trainings")
    assert "1" in panel.get_by_test_id("trainings-absent").inner_text()
    assert t.title in panel.get_by_test_id("training-row").first.inner_text()
    screenshot("credit-record")

"""A consultation meeting from scheduling to the assigned unit: the dispatcher schedules it
with the housing bureau and subdistrict 甲, finds the agenda drafted from the data (the housing
bureau's overdue referral, the figures), adds an item by hand, holds the meeting, records
attendance, discussion and minutes, records a decision as an action item for the housing
bureau with a deadline, and confirms the minutes. The housing bureau's liaison finds the item
among "our action items", opens it and reports it done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from xiaoqu.browser_tests.conftest import ARTIFACTS, login
from xiaoqu.conftest import World
from xiaoqu.meetings.choices import ActionItemStatus, AgendaSource, MeetingStatus
from xiaoqu.meetings.models import ActionItem, Meeting
from xiaoqu.supervision import services as supervision
from xiaoqu.supervision.tests.factories import referral_at

pytestmark = pytest.mark.django_db(transaction=True)


def test_meeting_from_agenda_to_action_items(
    catalog: World, page: Any, browser: Any, live_server: Any, screenshot: Any
) -> None:
    world = catalog
    now = timezone.now()
    referral = referral_at(world, now - dt.timedelta(days=40))
    supervision.sweep(at=now)
    referral.refresh_from_db()
    assert referral.overdue_at is not None
    page.on("dialog", lambda dialog: dialog.accept())

    login(page, world.dispatcher.username, world.password)
    page.goto("/meetings/")
    page.get_by_test_id("meeting-add").click()
    page.fill("#id_title", "2026年第12次协作例会")
    when = timezone.localtime(now + dt.timedelta(days=2)).strftime("%Y-%m-%dT09:30")
    page.fill("#id_scheduled_at", when)
    page.fill("#id_place", "区城管执法局三楼会议室")
    page.get_by_test_id("departments").get_by_label(world.housing.name).check()
    page.get_by_test_id("subdistricts").get_by_label(world.sd_a.name).check()
    page.get_by_test_id("save").click()
    page.wait_for_url("**/meetings/*/")
    meeting = Meeting.objects.get(title="2026年第12次协作例会")

    # the agenda drafted from the data: the overdue referral of the housing bureau, linked
    items = page.get_by_test_id("agenda-item")
    first = items.first
    assert first.get_attribute("data-source") == AgendaSource.OVERDUE
    assert world.housing.name in first.inner_text()
    assert first.get_by_role("link", name=referral.number).get_attribute("href") == (
        referral.get_absolute_url()
    )
    assert items.last.get_attribute("data-source") == AgendaSource.FIGURES
    page.get_by_test_id("agenda-add").locator("input[name=title]").fill("汛期物业小区安全检查")
    page.get_by_test_id("agenda-add").get_by_role("button").click()
    page.wait_for_load_state()
    assert "汛期物业小区安全检查" in page.get_by_test_id("agenda").inner_text()
    screenshot("agenda")

    # held: minutes with attendance and discussion
    page.get_by_test_id("hold").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == str(MeetingStatus.HELD.label)
    page.get_by_test_id("minutes").click()
    housing = meeting.participants.get(department=world.housing)
    page.select_option(f"#id_present_{housing.pk}", "true")
    page.fill(f"#id_attendees_{housing.pk}", "李科长")
    overdue_item = meeting.agenda.get(source=AgendaSource.OVERDUE)
    page.fill(f"#id_discussion_{overdue_item.pk}", "房管局说明逾期原因，承诺一周内反馈")
    page.fill("#id_minutes", "会议研究了逾期移交事项，形成决定事项一项。")
    page.get_by_test_id("save-minutes").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")
    assert "承诺一周内反馈" in page.get_by_test_id("agenda").inner_text()

    # a decision becomes an action item for the housing bureau
    form = page.get_by_test_id("decision-form")
    form.locator("#id_description").fill("房管局对逾期移交事项逐件反馈办理结果")
    form.locator("#id_owner").select_option(f"d{world.housing.pk}")
    deadline = timezone.localdate() + dt.timedelta(days=14)
    form.locator("#id_deadline").fill(deadline.isoformat())
    form.locator("#id_agenda_item").select_option(str(overdue_item.pk))
    page.get_by_test_id("decision-save").click()
    page.wait_for_load_state()
    item = ActionItem.objects.get(meeting=meeting)
    assert item.department == world.housing and item.deadline == deadline
    row = page.get_by_test_id("action-item-row")
    assert item.number in row.inner_text() and world.housing.name in row.inner_text()
    page.get_by_test_id("close").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == str(MeetingStatus.CLOSED.label)
    screenshot("decided")

    # the housing bureau's liaison sees it among its action items and reports it done
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    liaison_page = context.new_page()
    login(liaison_page, world.liaison.username, world.password)
    liaison_page.goto("/meetings/action-items/ours/")
    liaison_page.get_by_role("link", name=item.number).click()
    assert "房管局对逾期移交事项逐件反馈" in liaison_page.get_by_test_id("description").inner_text()
    liaison_page.get_by_test_id("move-done").get_by_role("button").first.click()
    liaison_page.locator("#move-done-form textarea").fill("已逐件反馈，附办理情况说明")
    liaison_page.locator("#move-done-form button[type=submit]").click()
    liaison_page.wait_for_load_state()
    liaison_page.get_by_test_id("done-note").wait_for()
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE and item.done_by == world.liaison
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    liaison_page.screenshot(path=str(ARTIFACTS / "meetings-liaison-done.png"), full_page=True)
    context.close()

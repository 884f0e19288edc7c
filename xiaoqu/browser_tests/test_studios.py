"""A studio member on a phone (390×844): reports an early sign with a photo from the report
page, lands on "my reports" and sees it there with its number and status; the studio page
fits the phone too. Then the officer closes the matter and answers, and the member sees the
outcome and the reply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from xiaoqu.browser_tests.conftest import login
from xiaoqu.browser_tests.test_loop import png
from xiaoqu.conftest import World
from xiaoqu.intake import services as intake
from xiaoqu.studios.models import StudioReport
from xiaoqu.studios.tests.factories import close_no_violation, member

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_member_reports_an_early_sign_from_a_phone(
    catalog: World, page: Any, screenshot: Any, tmp_path: Path
) -> None:
    world = catalog
    world.studio_a.estates.add(world.estate_a2)
    member(world, name="甲楼组长", user=world.member_a)
    page.set_viewport_size(PHONE)
    login(page, world.member_a.username, world.password)

    page.goto("/studios/report/")
    page.get_by_test_id("estate-choice").filter(has_text="甲新村").click()
    page.fill("#id_content", "5号楼302室工人在搬砖，疑似要砌墙隔间")
    page.fill("#id_address", "5号楼302室")
    page.set_input_files("#id_photos", [str(png(tmp_path / "苗头.png"))])
    assert no_sideways_scroll(page)
    screenshot("report-form")
    page.get_by_test_id("submit-report").click()
    page.wait_for_url("**/studios/reports/mine/")

    report = StudioReport.objects.select_related("complaint__lead").get()
    complaint = report.complaint
    assert complaint.estate == world.estate_a2 and complaint.reporter_studio == world.studio_a
    assert complaint.lead is not None
    card = page.get_by_test_id("my-report").first
    assert complaint.number in card.get_by_test_id("report-number").inner_text()
    assert card.get_by_test_id("report-status").inner_text() == str(
        complaint.lead.get_status_display()
    )
    assert no_sideways_scroll(page)
    screenshot("my-reports")

    # The team verifies and answers; the member sees what became of the report.
    close_no_violation(world, complaint.lead, when=timezone.now())
    intake.complaint_reply(
        complaint=complaint, actor=world.officer_a, text="已劝阻，当事人停止施工"
    )
    page.reload()
    card = page.get_by_test_id("my-report").first
    assert "已劝阻，当事人停止施工" in card.get_by_test_id("report-reply").inner_text()
    assert card.get_by_test_id("report-outcome").is_visible()
    screenshot("my-reports-answered")

    page.goto(f"/studios/{world.studio_a.pk}/overview/")
    assert page.get_by_test_id("member-row").filter(has_text="甲楼组长").is_visible()
    assert "乙" not in page.content()
    screenshot("studio-page-phone")

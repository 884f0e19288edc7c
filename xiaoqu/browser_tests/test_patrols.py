"""A patrol on a phone-sized screen (390×844, touch): my patrols → check in (with the
phone's location) → a finding with a photo turned into a lead in one tap → checklist and
finish; no horizontal scrolling on the way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from xiaoqu.audit.services import record_attachments
from xiaoqu.browser_tests.conftest import ARTIFACTS, login
from xiaoqu.conftest import World
from xiaoqu.estates.choices import RiskGrade
from xiaoqu.estates.models import Estate
from xiaoqu.intake.models import Complaint
from xiaoqu.patrols import services
from xiaoqu.patrols.models import PatrolTask
from xiaoqu.patrols.tests.factories import PNG

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 31.249162, "longitude": 121.397235},
        permissions=["geolocation"],
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def _no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px screen"


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"patrol-phone-{name}.png"), full_page=True)


def test_a_patrol_on_a_phone_from_check_in_to_a_lead(catalog: World, phone: Any) -> None:
    Estate.objects.filter(pk=catalog.estate_a.pk).update(risk_grade=RiskGrade.KEY)
    services.patrol_tasks_generate()
    task = PatrolTask.objects.get(estate=catalog.estate_a)
    page = phone

    login(page, catalog.officer_a.username, catalog.password)
    page.goto("/patrols/")
    item = page.locator(f"[data-testid=my-task][data-task='{task.pk}']")
    item.wait_for()
    assert "乙公寓" not in page.content()
    _no_horizontal_scroll(page)
    _shot(page, "my")
    item.tap()

    page.locator("[data-testid=check-in]").wait_for()
    # the location is asked for on load; wait until the hidden fields are filled
    page.wait_for_function("document.querySelector('#check-in-form [name=latitude]').value !== ''")
    _no_horizontal_scroll(page)
    page.locator("[data-testid=check-in]").tap()
    page.locator("[data-testid=task-status][data-status=in_progress]").wait_for()
    task.refresh_from_db()
    assert task.checked_in_by == catalog.officer_a
    assert task.latitude is not None and abs(float(task.latitude) - 31.249162) < 1e-5

    form = page.locator("[data-testid=finding-form]")
    form.locator("select[name=violation_type]").select_option(label="违规充电")
    form.locator("textarea[name=description]").fill("3号楼1单元楼道内电动自行车飞线充电")
    form.locator("input[name=address]").fill("3号楼1单元")
    form.locator("input[name=photos]").set_input_files(
        [{"name": "charging.png", "mimeType": "image/png", "buffer": PNG}]
    )
    _no_horizontal_scroll(page)
    _shot(page, "finding")
    form.locator("[data-testid=finding-to-lead]").tap()

    link = page.locator("[data-testid=lead-link]")
    link.wait_for()
    complaint = Complaint.objects.get(channel="patrol")
    lead = complaint.lead
    assert lead is not None and link.inner_text() == lead.number
    assert lead.estate == catalog.estate_a and lead.violation_type is not None
    assert lead.violation_type.code == "ebike_charging"
    assert [a.name for a in record_attachments(complaint)] == ["charging.png"]
    assert page.locator("[data-testid=finding-photo]").count() == 1
    _no_horizontal_scroll(page)

    # checklist: every item normal except the one found, then finish
    for row in page.locator("[data-testid=check-row]").all():
        value = "problem" if row.get_attribute("data-code") == "ebike_charging" else "ok"
        row.locator(f"[data-testid=check-{value}]").tap()
    page.locator("textarea[name=summary]").fill("巡查完毕，飞线充电已转线索")
    _shot(page, "checklist")
    page.locator("[data-testid=finish]").tap()
    page.locator("[data-testid=task-status][data-status=done]").wait_for()
    task.refresh_from_db()
    assert task.status == "done" and task.checklist["ebike_charging"] == "problem"
    assert len(task.checklist) == 13
    _no_horizontal_scroll(page)
    _shot(page, "done")

    link = page.locator("[data-testid=lead-link]")
    link.tap()
    page.wait_for_url(f"**/leads/{lead.pk}/**")

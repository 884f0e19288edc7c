"""The renovation register in a real browser: a property company's clerk registers a
renovation (the unit written 三号楼 / 502室), then a complaint about works at that unit shows
the register check on the complaint and lead pages; the clerk's desk lists the renovation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from xiaoqu.browser_tests.conftest import ARTIFACTS, login
from xiaoqu.conftest import World
from xiaoqu.intake import services as intake
from xiaoqu.renovations.models import Renovation

pytestmark = pytest.mark.django_db(transaction=True)


def test_clerk_registers_and_a_complaint_is_checked(
    catalog: World, page: Any, browser: Any, live_server: Any, screenshot: Any
) -> None:
    w = catalog
    today = timezone.localdate()
    login(page, w.clerk_a.username, w.password)
    page.goto("/renovations/add/")
    form = page.locator("[data-testid=renovation-form]")
    form.wait_for()
    assert form.locator("#id_estate option", has_text="乙公寓").count() == 0
    page.select_option("#id_estate", label="甲花园")
    page.fill("#id_building", "三号楼")
    page.fill("#id_room", "502室")
    page.fill("#id_owner_name", "王业主")
    page.fill("#id_owner_phone", "13812345678")
    page.fill("#id_start_date", (today - dt.timedelta(days=3)).isoformat())
    page.fill("#id_end_date", (today + dt.timedelta(days=40)).isoformat())
    page.fill("#id_scope", "拆除客厅与卧室之间的承重墙，打通空间")
    page.check("#id_agreement_signed")
    screenshot("form")
    page.click("[data-testid=renovation-submit]")
    page.locator("[data-testid=renovation-title]").wait_for()
    assert "3号502室" in page.locator("[data-testid=renovation-unit]").inner_text()
    assert page.locator("[data-testid=structural-badge]").count() == 1  # from the scope
    renovation = Renovation.objects.get()
    assert renovation.structural and renovation.registered_by == w.clerk_a
    screenshot("detail")

    complaint = intake.complaint_create(
        actor=w.dispatcher,
        channel="hotline",
        content="甲花园3幢502室装修一直在敲墙，担心破坏结构",
        estate=w.estate_a,
        reporter_phone="13700001111",
    )

    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900}
    )
    dispatcher = context.new_page()
    try:
        login(dispatcher, w.dispatcher.username, w.password)
        dispatcher.goto(complaint.get_absolute_url())
        panel = dispatcher.locator("[data-testid=renovation-check]")
        panel.wait_for()
        assert panel.locator("[data-testid=check-structural]").count() == 1
        link = panel.locator("[data-testid=check-renovation-link]")
        assert link.get_attribute("href") == renovation.get_absolute_url()
        assert complaint.lead is not None
        dispatcher.goto(complaint.lead.get_absolute_url())
        dispatcher.locator("[data-testid=structure-check-badge]").wait_for()
        dispatcher.screenshot(path=str(ARTIFACTS / "renovation-check-lead.png"), full_page=True)
    finally:
        context.close()

    page.goto("/credit/desk/")
    page.locator("[data-testid=desk-renovations]").wait_for()
    screenshot("desk")

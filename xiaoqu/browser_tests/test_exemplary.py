"""Legal staff approve a submitted exemplary case (a draft generated from a closed case with
the personal data removed) and publish it; an anonymous visitor then finds it on the public
page from the login page, by its violation type, and reads it without any personal datum."""

from __future__ import annotations

from typing import Any

import pytest

from xiaoqu.browser_tests.conftest import login
from xiaoqu.conftest import World
from xiaoqu.exemplary.choices import ExemplaryStatus
from xiaoqu.exemplary.models import ExemplaryCase
from xiaoqu.exemplary.tests.factories import PERSONAL, published, submitted

pytestmark = pytest.mark.django_db(transaction=True)


def test_legal_staff_approve_and_the_public_finds_it_by_type(
    catalog: World, browser: Any, page: Any, live_server: Any, screenshot: Any
) -> None:
    world = catalog
    other = published(world, code="ebike_parking")  # another type, already public
    exemplary = submitted(world)
    login(page, world.legal.username, world.password)
    page.goto(exemplary.get_absolute_url())
    assert page.get_by_test_id("personal-clean").is_visible()
    screenshot("review")
    page.get_by_test_id("move-approve").click()
    page.fill("#id_reason", "已核对脱敏情况，同意发布。")
    page.get_by_test_id("confirm").click()
    page.wait_for_url(f"**{exemplary.get_absolute_url()}")
    assert page.get_by_test_id("exemplary-status").get_attribute("data-status") == "approved"
    page.get_by_test_id("move-publish").click()
    page.get_by_test_id("confirm").click()
    page.wait_for_url(f"**{exemplary.get_absolute_url()}")
    assert ExemplaryCase.objects.get(pk=exemplary.pk).status == ExemplaryStatus.PUBLISHED

    visitor = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    visitor.goto("/login/")
    visitor.get_by_test_id("public-exemplary-link").click()
    visitor.wait_for_url("**/exemplary/public/")
    assert visitor.get_by_test_id("public-item").count() == 2
    visitor.get_by_test_id("public-type").select_option(exemplary.violation_type.code)
    visitor.get_by_test_id("public-search-submit").click()
    visitor.wait_for_url("**type=*")
    items = visitor.get_by_test_id("public-item")
    assert items.count() == 1
    assert exemplary.title in items.first.inner_text()
    assert other.title not in visitor.content()
    items.first.click()
    visitor.wait_for_url(f"**{exemplary.get_public_url()}")
    body = visitor.get_by_test_id("exemplary-body").inner_text()
    assert exemplary.violation_type.name in body
    html = visitor.content()
    for value in PERSONAL.values():
        assert value not in html, value
    visitor.screenshot(
        path=str(screenshot("review").parent / "exemplary-public.png"), full_page=True
    )
    visitor.context.close()

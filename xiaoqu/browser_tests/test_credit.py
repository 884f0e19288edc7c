"""Credit demerits in a real browser: the housing liaison answers proposals inline in his queue
(a rejection without reasons is refused in place), the command centre reads the ranking and a
company's record, the company's clerk his own record, legal staff the rule table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from xiaoqu.browser_tests.conftest import login
from xiaoqu.conftest import World
from xiaoqu.credit.choices import ProposalStatus
from xiaoqu.credit.models import DemeritProposal
from xiaoqu.credit.seed import credit_seed
from xiaoqu.credit.tests.factories import proposal_at

pytestmark = pytest.mark.django_db(transaction=True)


def switch_user(page: Any, username: str, password: str) -> None:
    page.context.clear_cookies()
    login(page, username, password)


def test_demerits_from_queue_to_ranking(page: Any, screenshot: Any, catalog: World):
    credit_seed()
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    a = proposal_at(catalog, start - dt.timedelta(days=40), estate=catalog.estate_a)
    b = proposal_at(catalog, start - dt.timedelta(days=30), estate=catalog.estate_b)
    c = proposal_at(
        catalog,
        start - dt.timedelta(days=20),
        estate=catalog.estate_a2,
        code="property_negligence",
        fine=3000,
    )

    switch_user(page, catalog.liaison.username, catalog.password)
    page.click("[data-nav='credit:queue']")
    page.wait_for_url("**/credit/")
    assert page.locator("[data-testid=queue-row]").count() == 3
    screenshot("queue")

    # rejecting without reasons is refused in place
    row_b = page.locator(f"#proposal-row-{b.pk}")
    row_b.locator("[data-testid=row-open-facts]").click()
    row_b.locator("[data-testid=row-facts]").wait_for()
    row_b.locator("[data-testid=row-open-reject]").click()
    row_b.locator("[data-testid=row-move-reject] textarea").wait_for()
    row_b.locator("[data-testid=row-move-reject] button[type=submit]").click()
    # the browser's own check stops an empty required field: remove it to reach the server
    page.evaluate(
        f"document.querySelector('#proposal-row-{b.pk} [data-testid=row-move-reject] textarea')"
        ".removeAttribute('required')"
    )
    row_b.locator("[data-testid=row-move-reject] button[type=submit]").click()
    page.locator(f"#proposal-row-{b.pk} .invalid-feedback").wait_for()
    screenshot("reject-refused")
    page.locator(f"#proposal-row-{b.pk} [data-testid=row-move-reject] textarea").fill(
        "该物业已于立案前向街道书面报告，材料见附件"
    )
    page.locator(f"#proposal-row-{b.pk} [data-testid=row-move-reject] button[type=submit]").click()
    page.locator(f"#proposal-row-{b.pk} [data-testid=row-done]").wait_for()

    page.locator(f"#proposal-row-{a.pk} [data-testid=row-open-confirm]").click()
    page.locator(f"#proposal-row-{a.pk} [data-testid=row-move-confirm] textarea").fill(
        "经核查属实，予以记分"
    )
    page.locator(f"#proposal-row-{a.pk} [data-testid=row-move-confirm] button[type=submit]").click()
    page.locator(f"#proposal-row-{a.pk} [data-testid=row-done]").wait_for()
    page.locator(f"#proposal-row-{c.pk} [data-testid=row-open-confirm]").click()
    page.locator(f"#proposal-row-{c.pk} [data-testid=row-move-confirm] button[type=submit]").click()
    page.locator(f"#proposal-row-{c.pk} [data-testid=row-done]").wait_for()
    screenshot("queue-answered")
    statuses = dict(DemeritProposal.objects.values_list("pk", "status"))
    assert statuses == {
        a.pk: ProposalStatus.CONFIRMED,
        b.pk: ProposalStatus.REJECTED,
        c.pk: ProposalStatus.CONFIRMED,
    }

    page.goto(a.get_absolute_url())
    assert "经核查属实" in page.locator("[data-testid=answer]").inner_text()
    screenshot("proposal")

    switch_user(page, catalog.dispatcher.username, catalog.password)
    page.click("[data-nav='credit:ranking']")
    page.wait_for_url("**/credit/ranking/")
    names = page.locator("[data-testid=ranking-row]").evaluate_all(
        "rows => rows.map(r => r.dataset.company)"
    )
    assert names == ["双区物业公司", "甲物业公司", "丙物业公司"]
    screenshot("ranking")
    page.click("text=甲物业公司")
    page.wait_for_url(f"**/credit/companies/{catalog.company_a.pk}/")
    assert page.locator("[data-testid=company-points]").inner_text() == "2"
    screenshot("company")

    switch_user(page, catalog.clerk_a.username, catalog.password)
    page.click("[data-nav='credit:my_record']")
    page.wait_for_url(f"**/credit/companies/{catalog.company_a.pk}/")
    assert "乙" not in page.content() and "丙" not in page.content()
    screenshot("own-record")

    switch_user(page, catalog.legal.username, catalog.password)
    page.click("[data-nav='credit:rule_list']")
    page.wait_for_url("**/credit/rules/")
    screenshot("rules")
    page.locator("[data-testid=result-count]").wait_for()
    page.click("text=物业服务企业对住宅小区内应当发现并劝阻的违法行为")
    page.locator("[data-testid=unverified-note]").wait_for()
    screenshot("rule")

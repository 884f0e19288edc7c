"""Oversight in a real browser: a leader opens the pilot evaluation and sees its chart drawn
and its sentence; an officer opens the inaction list, filters it and drills down to a record's
events."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from xiaoqu.browser_tests.conftest import login
from xiaoqu.conftest import World
from xiaoqu.oversight.lapses import lapses_refresh
from xiaoqu.oversight.tests.factories import LATER, T0, pilot_world, referral_at, swept

pytestmark = pytest.mark.django_db(transaction=True)


def test_leader_opens_the_pilot_evaluation(catalog: World, page: Any, screenshot: Any) -> None:
    programme = pilot_world(catalog, timezone.now())
    login(page, catalog.leader.username, catalog.password)
    page.goto("/oversight/pilot/")
    page.locator("#did-chart[data-rendered='1'] canvas").wait_for()
    sentence = page.locator("[data-testid=did-sentence]").inner_text()
    assert "95" in sentence
    assert programme.name in page.locator("h1").inner_text()
    assert "甲花园" in page.locator("[data-testid=pilot-estates]").inner_text()
    screenshot("pilot")
    page.get_by_test_id("pilot-evaluation").wait_for()
    page.goto(f"/oversight/pilot/candidates/?programme={programme.pk}")
    page.locator("[data-testid=candidates] tr[data-chosen='1']").first.wait_for()
    screenshot("candidates")


def test_officer_opens_the_inaction_list_and_drills_down(
    catalog: World, page: Any, screenshot: Any
) -> None:
    referral = referral_at(catalog, T0)
    hidden = referral_at(catalog, T0, estate=catalog.estate_b)
    swept()
    lapses_refresh(district=catalog.district, since=T0, at=LATER)
    login(page, catalog.officer_a.username, catalog.password)
    page.goto("/oversight/lapses/?kind=inaction")
    table = page.locator("#results table")
    table.wait_for()
    assert referral.number in table.inner_text()
    assert hidden.number not in page.content()
    assert "甲街道" in page.get_by_test_id("counts-subdistrict").inner_text()
    screenshot("lapses")
    page.get_by_role("link", name=referral.number).first.click()
    page.wait_for_url(f"**/referrals/{referral.pk}/")
    assert referral.number in page.locator("h1").inner_text()

"""Manual triage in a real browser: a dispatcher opens the queue, sees a complaint's guesses
with their reasons, corrects the type in one click and sees it leave the queue; the
complaint page shows the triage panel."""

from __future__ import annotations

from typing import Any

import pytest

from xiaoqu.browser_tests.conftest import login
from xiaoqu.conftest import World
from xiaoqu.intake import services as intake
from xiaoqu.triage import services
from xiaoqu.triage.models import Correction, TriageRecord
from xiaoqu.triage.tests.fakes import FakeEngine, type_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_dispatcher_corrects_a_guess_in_one_click(
    catalog: World,
    page: Any,
    screenshot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = FakeEngine()
    monkeypatch.setattr(services, "triage_engine", lambda district=None, **kw: engine)
    vague = intake.complaint_create(
        actor=catalog.dispatcher,
        channel="hotline",
        external_no="SH2026112700001",
        content="市民来电反映甲花园3号楼好像有人把房子隔成很多小间出租",
        address="甲路100弄",
        reporter_phone="13800001111",
    )
    noise = intake.complaint_create(
        actor=catalog.dispatcher,
        channel="hotline",
        content="乙公寓楼上每天夜间噪声扰民",
        reporter_phone="13800002222",
    )
    assert TriageRecord.objects.filter(needs_review=True).count() == 2

    login(page, catalog.dispatcher.username, catalog.password)
    page.goto("/triage/")
    row = page.locator(f"[data-testid=triage-row][data-complaint='{vague.number}']")
    row.wait_for()
    assert "好像" in row.locator("[data-testid=type-reason]").inner_text()
    assert "30%" in row.locator("[data-testid=guess-type]").inner_text()
    assert "甲花园" in row.locator("[data-testid=guess-estate]").inner_text()
    other = page.locator(f"[data-testid=triage-row][data-complaint='{noise.number}']")
    assert other.count() == 1
    screenshot("queue")

    # one click: choose the right type; the row turns into "corrected" in place
    row.locator("[data-testid=correct-type]").select_option("group_rental")
    page.locator(
        f"[data-testid=triage-row][data-complaint='{vague.number}'][data-reviewed='1']"
    ).wait_for()
    vague.refresh_from_db()
    assert type_code(vague) == "group_rental"
    assert Correction.objects.filter(complaint=vague, new_value="group_rental").exists()
    screenshot("corrected")

    page.reload()
    page.locator(f"[data-testid=triage-row][data-complaint='{noise.number}']").wait_for()
    assert page.locator(f"[data-testid=triage-row][data-complaint='{vague.number}']").count() == 0

    page.goto(noise.get_absolute_url())
    panel = page.locator("[data-testid=triage-panel]")
    panel.wait_for()
    assert "噪声" in panel.locator("[data-testid=type-reason]").inner_text()
    screenshot("complaint")

"""The patrol demo on a small world: history with done and missed patrols, open tasks now,
findings turned into leads; chains intact; a second call creates nothing."""

from __future__ import annotations

from xiaoqu.audit.services import audit_verify
from xiaoqu.conftest import World
from xiaoqu.estates.choices import RiskGrade
from xiaoqu.estates.models import Estate
from xiaoqu.intake.models import Complaint
from xiaoqu.patrols import demo, selectors, services
from xiaoqu.patrols.models import Finding, PatrolTask

from .factories import at


def test_demo_patrols(catalog: World, monkeypatch):
    monkeypatch.setattr(demo, "MISS_RATES", (0.2,))
    monkeypatch.setattr(demo, "LEAD_DAYS", 60)
    monkeypatch.setattr(demo, "LEADS", 4)
    Estate.objects.filter(pk=catalog.estate_a.pk).update(risk_grade=RiskGrade.KEY)
    now = at(2026, 3, 20, 18)
    result = demo.demo_patrols(district=catalog.district, seed=1, now=now)
    assert result.open == 3 and result.done > 5 and result.missed > 0 and result.leads > 0
    assert PatrolTask.objects.filter(is_demo=True).count() == result.tasks
    done = PatrolTask.objects.filter(status="done").first()
    assert done is not None and 9 <= done.checked_in_at.astimezone().hour <= 17
    assert len(done.checklist) == 13
    led = Finding.objects.filter(complaint__isnull=False)
    assert led.count() == result.leads
    assert all(f.complaint.channel == "patrol" for f in led)
    assert Complaint.objects.filter(channel="patrol").count() == result.leads
    assert audit_verify()[2] == []
    # the sweep right after finds nothing to do; a second call creates nothing
    assert services.patrol_tasks_generate(at=now).created == 0
    again = demo.demo_patrols(district=catalog.district, seed=1, now=now)
    assert again.tasks == 0
    board = selectors.coverage_board(user=catalog.leader, today=now.date())
    assert sum(r.done for r in board) > 0

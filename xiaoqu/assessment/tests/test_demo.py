from __future__ import annotations

from xiaoqu.assessment import services
from xiaoqu.assessment.demo import demo_assessment
from xiaoqu.assessment.models import Phase, Scheme, Snapshot, Task
from xiaoqu.conftest import World

from .factories import at, history


def test_demo_is_complete_deterministic_and_idempotent(catalog: World):
    history(catalog)
    now = at(2026, 5, 10)
    first = demo_assessment(district=catalog.district, seed=7, now=now)
    assert first == {"schemes": 1, "snapshots": 1, "phases": 3, "tasks": 15}
    snapshot = Snapshot.objects.get()
    assert snapshot.is_demo and (
        snapshot.period_start.isoformat(),
        snapshot.period_end.isoformat(),
    ) == (
        "2026-01-01",
        "2026-04-01",
    )
    assert services.snapshot_verify(snapshot)
    assert list(Phase.objects.values_list("name", flat=True)) == [
        "试点探索",
        "全面推广",
        "巩固提升",
    ]
    assert Task.objects.filter(is_demo=True).count() == 15
    assert any(t.is_overdue(now.date()) for t in Task.objects.all())
    dates = list(Task.objects.order_by("pk").values_list("due_date", "done_date", "status"))
    assert demo_assessment(district=catalog.district, seed=7, now=now) == {
        "schemes": 0,
        "snapshots": 0,
        "phases": 0,
        "tasks": 0,
    }
    assert Scheme.objects.count() == 1 and Snapshot.objects.count() == 1
    Phase.objects.all().delete()
    demo_assessment(district=catalog.district, seed=7, now=now)
    assert list(Task.objects.order_by("pk").values_list("due_date", "done_date", "status")) == dates

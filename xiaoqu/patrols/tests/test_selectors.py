"""Coverage figures on a constructed case, and my patrols grouped by due date."""

from __future__ import annotations

import datetime as dt

from xiaoqu.conftest import World
from xiaoqu.estates.choices import RiskGrade
from xiaoqu.estates.models import Estate
from xiaoqu.patrols import selectors, services
from xiaoqu.patrols.choices import PatrolStatus
from xiaoqu.patrols.models import PatrolTask

from .factories import at


def _finish(task: PatrolTask, actor, when) -> None:
    services.patrol_check_in(task=task, actor=actor, at=when)
    results = {c: "ok" for c in services.checklist_codes(when.date())}
    services.patrol_finish(task=task, actor=actor, results=results, at=when)


def test_coverage_figures(catalog: World):
    Estate.objects.filter(pk=catalog.estate_a.pk).update(risk_grade=RiskGrade.KEY)
    Estate.objects.filter(pk=catalog.estate_a2.pk).update(risk_grade=RiskGrade.GOOD)
    Estate.objects.filter(pk=catalog.estate_b.pk).update(risk_grade=RiskGrade.GENERAL)
    services.patrol_tasks_generate(at=at(2026, 3, 1, 7))
    # 甲花园 (key, 7 days): done 3-3, then nothing: on 3-20 it is 17 days old → overdue 10
    _finish(PatrolTask.objects.get(estate=catalog.estate_a), catalog.officer_a, at(2026, 3, 3))
    # 甲新村 (good, 30 days): done 3-5: not overdue on 3-20
    _finish(PatrolTask.objects.get(estate=catalog.estate_a2), catalog.officer_a, at(2026, 3, 5))
    services.patrol_tasks_generate(at=at(2026, 3, 5, 20))  # 甲花园's next due 3-10
    # 乙公寓 (general, 14 days): never done, its window (due 3-15) missed
    services.patrol_tasks_generate(at=at(2026, 3, 20, 7))
    assert PatrolTask.objects.filter(estate=catalog.estate_b, status="missed").count() == 1
    # the second task of 甲花园 (due 3-10) was missed too
    assert PatrolTask.objects.filter(estate=catalog.estate_a, status="missed").count() == 1

    today = dt.date(2026, 3, 20)
    board = {
        r.subdistrict.pk: r for r in selectors.coverage_board(user=catalog.leader, today=today)
    }
    a, b = board[catalog.sd_a.pk], board[catalog.sd_b.pk]
    assert (a.estates, a.overdue) == (2, 1)
    assert a.overdue_by_grade == {RiskGrade.KEY: 1} and a.by_grade[RiskGrade.GOOD] == 1
    # planned in March: 甲花园 3-8 (done), 3-10 (missed), 3-20 (open); 甲新村 3-31 (done)
    assert a.planned == 4 and a.done == 2 and a.missed == 1
    assert (b.estates, b.overdue, b.missed, b.done, b.planned) == (1, 1, 1, 0, 2)

    overdue = selectors.overdue_estates(user=catalog.leader, today=today)
    assert [i.estate.name for i in overdue] == ["甲花园", "乙公寓"]
    assert overdue[0].overdue_days == 10 and overdue[0].missed
    assert overdue[1].last_done is None and overdue[1].missed and overdue[1].overdue_days == 5

    # the officer of A sees only A
    mine = selectors.coverage_board(user=catalog.officer_a, today=today)
    assert [r.subdistrict.pk for r in mine] == [catalog.sd_a.pk]


def test_my_patrols_groups(catalog: World):
    services.patrol_tasks_generate(at=at(2026, 3, 1, 7))
    task = PatrolTask.objects.get(estate=catalog.estate_a)  # unrated: due 3-15
    mine = selectors.my_patrols(user=catalog.officer_a, today=dt.date(2026, 3, 10))
    assert task in mine.soon and not mine.overdue
    mine = selectors.my_patrols(user=catalog.officer_a, today=dt.date(2026, 3, 15))
    assert task in mine.today
    mine = selectors.my_patrols(user=catalog.officer_a, today=dt.date(2026, 3, 16))
    assert task in mine.overdue and task.status == PatrolStatus.OPEN
    assert all(t.subdistrict_id == catalog.sd_a.pk for t in mine.overdue)

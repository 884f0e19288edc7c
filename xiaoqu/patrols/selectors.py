"""Reads of patrol plans, each through the user's jurisdiction: the task list, "my patrols"
on the phone, a task's findings, and the coverage board by subdistrict."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.estates.choices import RiskGrade
from xiaoqu.estates.models import Estate
from xiaoqu.regions.models import Subdistrict

from .choices import DEFAULT_INTERVALS, OPEN_PATROL_STATUSES, PatrolStatus
from .models import Finding, PatrolTask
from .services import frequency_intervals

SOON_DAYS = 7


def task_list(*, user: Any) -> QuerySet[PatrolTask]:
    return PatrolTask.objects.restrict(user).select_related(
        "estate", "subdistrict", "team", "studio", "checked_in_by"
    )


def finding_list(*, user: Any) -> QuerySet[Finding]:
    return Finding.objects.restrict(user).select_related(
        "task__estate", "violation_type", "complaint__lead", "found_by"
    )


@dataclass
class MyPatrols:
    overdue: list[PatrolTask] = field(default_factory=list)
    today: list[PatrolTask] = field(default_factory=list)
    soon: list[PatrolTask] = field(default_factory=list)
    later_count: int = 0

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.soon)


def my_patrols(*, user: Any, today: dt.date | None = None) -> MyPatrols:
    """The open patrols of the user's jurisdiction, nearest due first: past due (overdue),
    due today or started (today), due within a week (soon)."""
    day = today or timezone.localdate()
    tasks = task_list(user=user).filter(status__in=sorted(OPEN_PATROL_STATUSES))
    mine = MyPatrols()
    horizon = day + dt.timedelta(days=SOON_DAYS)
    for task in tasks.filter(due_date__lte=horizon).order_by("due_date", "estate__name"):
        if task.due_date < day:
            mine.overdue.append(task)
        elif task.due_date == day or task.status == PatrolStatus.IN_PROGRESS:
            mine.today.append(task)
        else:
            mine.soon.append(task)
    mine.later_count = tasks.filter(due_date__gt=horizon).count()
    return mine


# ---------------------------------------------------------------------------------------------
# Coverage


def coverage_visible(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_district_level or user.scope_kind == ScopeKind.SUBDISTRICT)
    )


@dataclass
class EstateCoverage:
    estate: Estate
    grade: str
    interval: int
    last_done: dt.date | None
    last_missed: dt.date | None
    overdue_days: int  # days past the interval (0: not overdue)
    missed: bool  # a window missed since the last done patrol

    @property
    def is_overdue(self) -> bool:
        return self.missed or self.overdue_days > 0

    @property
    def grade_label(self) -> str:
        return str(RiskGrade(self.grade).label)


def estate_coverage(
    *, user: Any, today: dt.date | None = None, subdistrict: Subdistrict | None = None
) -> list[EstateCoverage]:
    """Each estate in the user's jurisdiction with its last done patrol and whether it is
    overdue: its last done patrol is older than its grade's interval, or a window was missed
    since. An estate never patrolled is overdue once a window was missed."""
    day = today or timezone.localdate()
    estates = Estate.objects.restrict(user).filter(subdistrict__isnull=False)
    if subdistrict is not None:
        estates = estates.filter(subdistrict=subdistrict)
    estates = estates.select_related("subdistrict").annotate(
        last_done_at=Max("patrol_tasks__finished_at", filter=Q(patrol_tasks__status="done")),
        last_missed=Max("patrol_tasks__due_date", filter=Q(patrol_tasks__status="missed")),
    )
    intervals: dict[int, dict[str, int]] = {}
    rows = []
    for estate in estates:
        if estate.district_id not in intervals:
            intervals[estate.district_id] = frequency_intervals(district=estate.district_id)
        grade = estate.risk_grade or RiskGrade.UNRATED
        interval = intervals[estate.district_id].get(grade, DEFAULT_INTERVALS[grade])
        done_at = estate.last_done_at
        last_done = timezone.localtime(done_at).date() if done_at else None
        last_missed = estate.last_missed
        overdue_days = 0
        if last_done is not None:
            overdue_days = max(0, (day - last_done).days - interval)
        missed = last_missed is not None and (last_done is None or last_missed >= last_done)
        if missed and last_done is None:
            overdue_days = max(overdue_days, (day - last_missed).days)
        rows.append(
            EstateCoverage(
                estate=estate,
                grade=grade,
                interval=interval,
                last_done=last_done,
                last_missed=last_missed,
                overdue_days=overdue_days,
                missed=missed,
            )
        )
    return rows


@dataclass
class SubdistrictCoverage:
    subdistrict: Subdistrict
    estates: int = 0
    overdue: int = 0
    by_grade: dict[str, int] = field(default_factory=dict)  # estates per grade
    overdue_by_grade: dict[str, int] = field(default_factory=dict)
    planned: int = 0  # tasks due this month
    done: int = 0  # patrols done this month
    missed: int = 0  # tasks of this month missed

    @property
    def done_rate(self) -> int | None:
        return round(100 * self.done / self.planned) if self.planned else None

    @property
    def overdue_rate(self) -> int | None:
        return round(100 * self.overdue / self.estates) if self.estates else None


def _month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following


def coverage_board(*, user: Any, today: dt.date | None = None) -> list[SubdistrictCoverage]:
    """One row per subdistrict in the user's jurisdiction: estates, overdue estates (by grade),
    this month's patrols planned (due this month) and done (finished this month)."""
    day = today or timezone.localdate()
    rows: dict[int, SubdistrictCoverage] = {
        s.pk: SubdistrictCoverage(subdistrict=s)
        for s in Subdistrict.objects.restrict(user).order_by("code")
    }
    for item in estate_coverage(user=user, today=day):
        row = rows.get(item.estate.subdistrict_id)  # type: ignore[arg-type]
        if row is None:
            continue
        row.estates += 1
        row.by_grade[item.grade] = row.by_grade.get(item.grade, 0) + 1
        if item.is_overdue:
            row.overdue += 1
            row.overdue_by_grade[item.grade] = row.overdue_by_grade.get(item.grade, 0) + 1
    first, following = _month_bounds(day)
    tasks = PatrolTask.objects.restrict(user)
    planned = (
        tasks.filter(due_date__gte=first, due_date__lt=following)
        .values("subdistrict_id")
        .annotate(
            n=Count("pk"),
            missed=Count("pk", filter=Q(status=PatrolStatus.MISSED)),
        )
    )
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(following, dt.time()))
    done = (
        tasks.filter(status=PatrolStatus.DONE, finished_at__gte=start, finished_at__lt=end)
        .values("subdistrict_id")
        .annotate(n=Count("pk"))
    )
    for p in planned:
        if p["subdistrict_id"] in rows:
            rows[p["subdistrict_id"]].planned = p["n"]
            rows[p["subdistrict_id"]].missed = p["missed"]
    for d in done:
        if d["subdistrict_id"] in rows:
            rows[d["subdistrict_id"]].done = d["n"]
    return list(rows.values())


def overdue_estates(
    *, user: Any, today: dt.date | None = None, subdistrict: Subdistrict | None = None
) -> list[EstateCoverage]:
    """The drill-down: overdue estates, longest overdue first."""
    items = [
        i for i in estate_coverage(user=user, today=today, subdistrict=subdistrict) if i.is_overdue
    ]
    items.sort(key=lambda i: (-i.overdue_days, not i.missed, i.estate.name))
    return items


def task_counts_by_status(tasks: QuerySet[PatrolTask]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for status, n in tasks.values_list("status").annotate(n=Count("pk")).order_by():
        counts[status] = n
    return dict(counts)

"""Demo assessment (演示数据): the default schemes of the last and the current year, a
published assessment of the last full quarter, and the work plan's three phases with their
tasks, dated relative to `now`. Deterministic from `seed`, idempotent (a second call creates
nothing). Run it after the analytics tables are built: the snapshot reads the figures."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.departments.models import Department
from xiaoqu.regions.models import District

from .choices import TaskStatus
from .models import Phase, Scheme, Snapshot, Task
from .services import last_full_quarter, scheme_default, snapshot_publish

# (name, months from now at start, months at end, goal)
PHASES = (
    (
        "试点探索",
        -12,
        -7,
        "选取10—20个住宅小区开展试点，建立发现、执法、纳管闭环，形成可复制的工作机制。",
    ),
    (
        "全面推广",
        -7,
        3,
        "在全区住宅小区全面推行综合治理机制，实现全过程多要素数据记录和跨平台数据共享。",
    ),
    (
        "巩固提升",
        3,
        15,
        "总结试点和推广经验，完善年度考核，投诉万人比持续下降，执法效能明显提升。",
    ),
)
# (phase index, task, owner code, due: months from the phase start, state)
# state: "done", "late" (done after its due date), "open" (not started or in progress)
TASKS = (
    (0, "制定住宅小区违法行为综合治理工作方案", "bureau", 1, "done"),
    (0, "确定试点小区名单并建立城管社区工作室", "bureau", 2, "done"),
    (0, "建立12345诉件与线索、案件关联的数据标准", "bureau-command", 3, "late"),
    (0, "梳理房管、绿化、规划等部门移交和协作事项清单", "justice", 4, "done"),
    (0, "试点阶段工作评估和经验总结", "bureau", 5, "late"),
    (1, "全区住宅小区基础信息（户数、人口、物业服务企业）核对入库", "housing", 2, "done"),
    (1, "物业服务企业发现、劝阻、报告机制全覆盖", "housing", 3, "done"),
    (1, "分级分类检查制度在各街镇落地", "bureau", 4, "late"),
    (1, "装修申报登记与装修违法线索联动核查", "housing", 5, "open"),
    (1, "绿化损坏认定协作时限纳入考核", "greening", 6, "open"),
    (1, "违法搭建存量清单销项", "planning", 8, "open"),
    (1, "全区城管社区工作室覆盖率达到100%", "bureau", 10, "open"),
    (2, "年度考核方案修订并公布", "bureau", 2, "open"),
    (2, "典型案例汇编和普法宣传进小区", "justice", 5, "open"),
    (2, "投诉万人比较基准年下降目标评估", "bureau-command", 11, "open"),
)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def demo_assessment(*, district: District, seed: int, now: dt.datetime) -> dict[str, int]:
    """Returns counts of what was created."""
    rng = random.Random(seed)
    today = timezone.localtime(now).date()
    created = {"schemes": 0, "snapshots": 0, "phases": 0, "tasks": 0}
    quarter = last_full_quarter(today)
    for year in sorted({quarter.start.year, today.year}):
        existed = Scheme.objects.filter(district=district, year=year).exists()
        scheme_default(district=district, year=year, is_demo=True)
        created["schemes"] += 0 if existed else 1

    leader = (
        User.objects.filter(district=district, role=Role.LEADER, is_active=True)
        .order_by("-is_demo", "pk")
        .first()
    )
    if (
        leader is not None
        and not Snapshot.objects.filter(
            district=district, is_demo=True, period_start=quarter.start, period_end=quarter.end
        ).exists()
    ):
        scheme = Scheme.objects.get(district=district, year=quarter.start.year)
        published = timezone.make_aware(
            dt.datetime.combine(quarter.end + dt.timedelta(days=9), dt.time(10, 0))
        )
        snapshot_publish(
            scheme=scheme,
            period=quarter,
            actor=leader,
            at=min(published, now),
            is_demo=True,
        )
        created["snapshots"] += 1

    if Phase.objects.filter(district=district, is_demo=True).exists():
        return created
    this_month = today.replace(day=1)
    owners = {d.code: d for d in Department.objects.filter(district=district)}
    with transaction.atomic():
        phases = []
        for order, (name, start, end, goal) in enumerate(PHASES):
            phases.append(
                Phase.objects.create(
                    district=district,
                    order=order,
                    name=name,
                    start=_add_months(this_month, start),
                    end=_add_months(this_month, end) - dt.timedelta(days=1),
                    goal=goal,
                    is_demo=True,
                )
            )
        created["phases"] = len(phases)
        tasks = []
        for index, title, owner, due_months, state in TASKS:
            phase = phases[index]
            due = _add_months(phase.start, due_months) + dt.timedelta(days=rng.randint(5, 25))
            status, done = TaskStatus.PLANNED, None
            if state == "done" and due <= today:
                status, done = TaskStatus.DONE, due - dt.timedelta(days=rng.randint(1, 12))
            elif state == "late" and due <= today:
                late = due + dt.timedelta(days=rng.randint(5, 30))
                status, done = TaskStatus.DONE, min(late, today)
            elif due - dt.timedelta(days=60) <= today:
                status = TaskStatus.IN_PROGRESS
            tasks.append(
                Task(
                    phase=phase,
                    title=title,
                    owner=owners.get(owner),
                    due_date=due,
                    done_date=done,
                    status=status,
                    is_demo=True,
                )
            )
        Task.objects.bulk_create(tasks)
        created["tasks"] = len(tasks)
    return created

"""Demo (演示数据): three months of patrols of the demo estates, then the tasks open now.

Per estate, windows of its grade's interval follow one another from about 90 days before
`now`: most are done by the subdistrict's officer on a working day during working hours
(check-in, checklist, finish), some are missed (more in some subdistricts than others, so
that the coverage board shows gaps); the next window follows the last done patrol, as the
sweep does. A few findings dissuaded on the spot are recorded in the history, and a few
dozen findings of the last ten days are turned into leads through `complaint_create`, as
the one tap on the phone does. Tasks and events are inserted in bulk; deterministic from
the seed; a second call creates nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.estates.choices import RiskGrade
from xiaoqu.estates.models import Estate
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.models import Lead
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import District

from .bulk import EventBatch, insert_objects
from .choices import DEFAULT_INTERVALS, CheckResult, PatrolStatus
from .models import Finding, PatrolTask
from .services import _studios, _teams, frequency_intervals

HISTORY_DAYS = 90
LEAD_DAYS = 10  # findings turned into leads: in the last days only
LEADS = 30
SPOT_FINDING_RATE = 0.04  # history: a problem found and dissuaded on the spot
MISS_RATES = (0.02, 0.04, 0.06, 0.1, 0.16, 0.22)

FINDINGS: dict[str, list[str]] = {
    "common_area_occupation": [
        "{b}号楼{u}单元楼道堆放大量纸箱、旧家具，占用消防通道",
        "{b}号楼底层公共走廊被住户圈占堆物",
    ],
    "ebike_charging": [
        "{b}号楼{u}单元楼道内有电动自行车充电，电线从窗户拉出",
        "{b}号楼门厅停放电动车并飞线充电",
    ],
    "ebike_parking": ["{b}号楼{u}单元门口电动自行车乱停放，堵塞出入口"],
    "household_waste": ["{b}号楼旁垃圾箱房外生活垃圾混投、满溢"],
    "construction_waste": ["{b}号楼东侧装修垃圾未袋装，露天堆放在绿地边"],
    "small_ads": ["{b}号楼{u}单元楼道墙面张贴大量小广告"],
    "group_rental": ["{b}号楼{u}单元{r}室疑似群租，门口鞋架多、进出人员复杂"],
    "illegal_construction": ["{b}号楼顶层露台正在搭建彩钢板房，施工仍在进行"],
    "greenery_damage": ["{b}号楼南侧绿地被毁绿种菜，约十平方米"],
}
SPOT = "现场劝阻后已当场整改。"
SUMMARIES = [
    "按检查表逐项巡查，未发现问题。",
    "巡查楼道、绿地、垃圾箱房及停车区域，总体情况良好。",
    "与物业项目经理一同巡查，各项正常。",
    "重点检查楼道堆物和电动车充电，未发现违规。",
]


@dataclass
class DemoPatrolsResult:
    tasks: int = 0
    done: int = 0
    missed: int = 0
    open: int = 0
    findings: int = 0
    leads: int = 0
    events: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _working_day(day: dt.date, lo: dt.date, hi: dt.date) -> dt.date:
    if day.weekday() == 5 and day - dt.timedelta(days=1) >= lo:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6 and day + dt.timedelta(days=1) <= hi:
        return day + dt.timedelta(days=1)
    return day


@dataclass
class _Plan:
    task: PatrolTask
    steps: list[tuple[str, Any]]  # (action, data)


def demo_patrols(*, district: District, seed: int, now: dt.datetime) -> DemoPatrolsResult:
    result = DemoPatrolsResult()
    if PatrolTask.objects.filter(district=district, is_demo=True).exists():
        return result
    rng = random.Random(f"patrols-{seed}")
    today = timezone.localtime(now).date()
    start = today - dt.timedelta(days=HISTORY_DAYS)
    estates = list(
        Estate.objects.filter(district=district, subdistrict__isnull=False)
        .order_by("pk")
        .values("pk", "name", "subdistrict_id", "risk_grade")
    )
    if not estates:
        return result
    intervals = frequency_intervals(district=district)
    subdistrict_ids = sorted({e["subdistrict_id"] for e in estates})
    miss_rate = {sd: rng.choice(MISS_RATES) for sd in subdistrict_ids}
    teams = _teams(set(subdistrict_ids))
    studios = _studios([e["pk"] for e in estates])
    officers: dict[int, User] = {}
    for user in User.objects.filter(
        role=Role.OFFICER, subdistrict_id__in=subdistrict_ids, is_active=True
    ).order_by("-is_demo", "username"):
        officers.setdefault(user.subdistrict_id, user)
    codes = list(
        ViolationType.objects.effective(today)
        .order_by("sort_order", "code")
        .values_list("code", flat=True)
    )
    types = {vt.code: vt for vt in ViolationType.objects.effective(today)}
    finding_codes = [c for c in FINDINGS if c in types]

    plans: list[_Plan] = []
    for estate in estates:
        sd = estate["subdistrict_id"]
        grade = estate["risk_grade"] or RiskGrade.UNRATED
        interval = intervals.get(grade, DEFAULT_INTERVALS[grade])
        officer = officers.get(sd)

        def task(ws: dt.date, due: dt.date, **kw: Any) -> PatrolTask:
            return PatrolTask(
                district=district,
                subdistrict_id=sd,  # noqa: B023
                estate_id=estate["pk"],  # noqa: B023
                team=teams.get(sd),  # noqa: B023
                studio_id=studios.get(estate["pk"]),  # noqa: B023
                grade=grade,  # noqa: B023
                interval_days=interval,  # noqa: B023
                window_start=ws,
                due_date=due,
                is_demo=True,
                **kw,
            )

        ws = start - dt.timedelta(days=rng.randint(0, interval - 1))
        due = ws + dt.timedelta(days=interval)
        while due < today:
            created = {"due": due.isoformat(), "grade": grade, "interval_days": interval}
            if rng.random() < miss_rate[sd] or officer is None:
                missed_at = _at(due + dt.timedelta(days=1), 0, 30)
                t = task(ws, due, status=PatrolStatus.MISSED, missed_at=missed_at, checklist={})
                plans.append(
                    _Plan(
                        t,
                        [
                            ("created", (None, _at(ws, 0, 30), created)),
                            ("missed", (None, missed_at, {"due": due.isoformat()})),
                        ],
                    )
                )
                ws, due = due + dt.timedelta(days=1), due + dt.timedelta(days=interval)
                continue
            lo = max(ws, due - dt.timedelta(days=max(2, interval // 2)))
            day = _working_day(lo + dt.timedelta(days=rng.randint(0, (due - lo).days)), ws, due)
            checked_in = _at(day, rng.randint(9, 15), rng.choice((0, 10, 20, 30, 40, 50)))
            finished = checked_in + dt.timedelta(minutes=rng.randint(20, 90))
            checklist = dict.fromkeys(codes, CheckResult.OK)
            steps: list[tuple[str, Any]] = [
                ("created", (None, _at(ws, 0, 30), created)),
                ("checked_in", (officer, checked_in, {})),
            ]
            spot = None
            if finding_codes and rng.random() < SPOT_FINDING_RATE:
                code = rng.choice(finding_codes)
                checklist[code] = CheckResult.PROBLEM
                spot = (code, _text(rng, code) + SPOT)
                steps.append(("spot", (officer, checked_in + dt.timedelta(minutes=10), spot)))
            summary = spot[1] if spot else rng.choice(SUMMARIES)
            steps.append(("finished", (officer, finished, summary)))
            t = task(
                ws,
                due,
                status=PatrolStatus.DONE,
                checked_in_by=officer,
                checked_in_at=checked_in,
                finished_at=finished,
                checklist=checklist,
                summary=summary,
            )
            plans.append(_Plan(t, steps))
            ws = day + dt.timedelta(days=1)
            due = day + dt.timedelta(days=interval)
        plans.append(
            _Plan(
                task(ws, due, status=PatrolStatus.OPEN, checklist={}),
                [
                    (
                        "created",
                        (
                            None,
                            _at(min(ws, today), 0, 30),
                            {"due": due.isoformat(), "grade": grade, "interval_days": interval},
                        ),
                    )
                ],
            )
        )

    # A few dozen recent done patrols: their finding becomes a lead (complaint_create).
    recent = [
        p
        for p in plans
        if p.task.status == PatrolStatus.DONE
        and p.task.finished_at is not None
        and p.task.finished_at.date() >= today - dt.timedelta(days=LEAD_DAYS)
        and not any(s[0] == "spot" for s in p.steps)
    ]
    to_lead = rng.sample(recent, min(LEADS, len(recent))) if finding_codes else []
    for plan in to_lead:
        code = rng.choice(finding_codes)
        plan.task.checklist[code] = CheckResult.PROBLEM
        officer = plan.task.checked_in_by
        found = (plan.task.checked_in_at or now) + dt.timedelta(minutes=8)
        text = _text(rng, code)
        plan.steps.insert(2, ("lead", (officer, found, (code, text))))
        plan.task.summary = "发现问题已转为线索：" + text

    with transaction.atomic():
        tasks = [p.task for p in plans]
        insert_objects(tasks)
        batch = EventBatch()
        findings: list[Finding] = []
        for plan in plans:
            t = plan.task
            for action, (actor, when, data) in plan.steps:
                if action == "created":
                    batch.add(t, "created", actor=None, at=when, to_state="open", data=data)
                elif action == "missed":
                    batch.add(
                        t,
                        "missed",
                        actor=None,
                        at=when,
                        from_state="open",
                        to_state="missed",
                        data=data,
                    )
                elif action == "checked_in":
                    batch.add(
                        t,
                        "checked_in",
                        actor=actor,
                        at=when,
                        from_state="open",
                        to_state="in_progress",
                    )
                elif action == "spot":
                    code, text = data
                    findings.append(_finding(t, types[code], text, actor, when))
                    batch.add(
                        t,
                        "finding",
                        actor=actor,
                        at=when,
                        data={
                            "violation_type": types[code].name,
                            "description": text,
                            "address": "",
                            "photos": 0,
                        },
                    )
                elif action == "lead":
                    code, text = data
                    finding = _finding(t, types[code], text, actor, when)
                    complaint = _lead(t, finding, actor, when)
                    finding.complaint = complaint
                    findings.append(finding)
                    result.leads += 1
                    batch.add(
                        t,
                        "finding",
                        actor=actor,
                        at=when,
                        data={
                            "violation_type": types[code].name,
                            "description": text,
                            "address": finding.address,
                            "photos": 0,
                        },
                    )
                    batch.add(
                        t,
                        "finding_to_lead",
                        actor=actor,
                        at=when,
                        data={
                            "complaint": complaint.number,
                            "lead": complaint.lead.number if complaint.lead else "",
                            "description": text,
                        },
                    )
                elif action == "finished":
                    batch.add(
                        t,
                        "finished",
                        actor=actor,
                        at=when,
                        from_state="in_progress",
                        to_state="done",
                        reason=data,
                        data={
                            "checked": len(t.checklist),
                            "problems": sorted(
                                c for c, v in t.checklist.items() if v == CheckResult.PROBLEM
                            ),
                            "findings": sum(1 for s in plan.steps if s[0] in ("spot", "lead")),
                        },
                    )
        Finding.objects.bulk_create(findings)
        result.events = batch.flush()
    result.tasks = len(plans)
    result.done = sum(1 for p in plans if p.task.status == PatrolStatus.DONE)
    result.missed = sum(1 for p in plans if p.task.status == PatrolStatus.MISSED)
    result.open = sum(1 for p in plans if p.task.status == PatrolStatus.OPEN)
    result.findings = len(findings)
    return result


def _text(rng: random.Random, code: str) -> str:
    return rng.choice(FINDINGS[code]).format(
        b=rng.randint(1, 30), u=rng.randint(1, 4), r=f"{rng.randint(1, 18)}0{rng.randint(1, 4)}"
    )


def _finding(
    task: PatrolTask, vt: ViolationType, text: str, actor: Any, when: dt.datetime
) -> Finding:
    address = text.split("单元")[0] + "单元" if "单元" in text else ""
    return Finding(
        task=task,
        violation_type=vt,
        description=text,
        address=address[:200],
        ongoing=vt.code == "illegal_construction",
        found_at=when,
        found_by=actor,
        is_demo=True,
    )


def _lead(task: PatrolTask, finding: Finding, actor: Any, when: dt.datetime) -> Any:
    from xiaoqu.intake.services import complaint_create

    estate = Estate.objects.select_related("subdistrict", "district").get(pk=task.estate_id)
    complaint = complaint_create(
        actor=actor,
        channel=Channel.PATROL,
        content=finding.description,
        received_at=when,
        estate=estate,
        violation_type=finding.violation_type,
        address=finding.address,
        ongoing=finding.ongoing,
        at=when,
    )
    type(complaint).objects.filter(pk=complaint.pk).update(is_demo=True)
    if complaint.lead_id:
        Lead.objects.filter(pk=complaint.lead_id, is_demo=False).update(is_demo=True)
    return complaint

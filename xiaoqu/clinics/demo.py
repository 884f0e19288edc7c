"""Demo (演示数据) of the case clinics: about ten clinics over the demo year on the demo's own
chronic problems — the estate × violation type groups with the most repeated complaints — each
opened from the data with the complaints, leads and cases of its problem gathered, analysed,
held, given measures with responsible units and due dates, followed up and (the older ones)
closed; the most recent one still gathering. The before/after figures on their pages come out
of the real demo complaints.

Deterministic from the seed, idempotent (a district that has demo clinics gets none again),
and quick: a few hundred rows through the services."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate
from xiaoqu.intake.models import Complaint
from xiaoqu.law.models import ViolationType

from . import services
from .models import Clinic

CLINICS = 10
MIN_REPEATS = 3

# Causes found and measures agreed, by violation type: (analysis, [(measure, responsible)]).
# The responsible unit is a department code, or "subdistrict" for the estate's subdistrict.
PLAYBOOK: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "group_rental": (
        "同一房东在多套房屋内隔间出租，中介持续招租；物业发现后未及时报告，居委会掌握的租赁信息不全，"
        "整改后又在其他房屋重新隔间，投诉反复。",
        [
            ("公安分局核查实有人口，对群租房屋逐户登记", "police"),
            ("房管局约谈涉事中介，督促物业建立出租房屋台账", "housing"),
            ("街道牵头联合执法，拆除隔间并复查", "subdistrict"),
        ],
    ),
    "ebike_charging": (
        "楼内居民多为外卖骑手，小区充电设施不足且收费偏高，夜间飞线充电集中在两幢楼。",
        [
            ("街道协调在小区增设集中充电桩", "subdistrict"),
            ("消防救援支队开展夜间检查并宣传火灾风险", "fire"),
            ("物业每晚巡查楼道，发现即劝阻并报告", "housing"),
        ],
    ),
    "common_area_occupation": (
        "老旧小区无电梯、储物空间少，楼道堆物清而复堆；物业保洁人员少，巡查频次不足。",
        [
            ("物业每周巡查楼道，建立堆物清理台账", "housing"),
            ("街道组织志愿者集中清理并开展宣传", "subdistrict"),
        ],
    ),
    "small_ads": (
        "小广告集中在单元门口和信箱，张贴人夜间作案，号码多为开锁、疏通等服务。",
        [
            ("绿化市容局对广告所留号码依法处理", "greening"),
            ("物业在单元门口加装监控并及时清除", "housing"),
        ],
    ),
    "renovation_unregistered": (
        "装修户不了解装修申报登记要求，物业对装修告知和巡查不到位。",
        [
            ("物业落实装修登记和每日巡查，发现未登记即报告", "housing"),
            ("街道在小区公告栏和业主群宣传装修管理规定", "subdistrict"),
        ],
    ),
    "structure_damage": (
        "个别装修户擅自拆改承重结构，装修队无资质，物业劝阻无效后未及时报告。",
        [
            ("房管局组织房屋安全检测，责令恢复原状", "housing"),
            ("规划资源局核查相关图纸", "planning"),
        ],
    ),
    "ebike_parking": (
        "小区非机动车停车棚容量不足，门厅和消防通道停放电动车屡禁不止。",
        [
            ("街道协调扩建非机动车停车棚", "subdistrict"),
            ("消防救援支队检查消防通道，督促物业清理", "fire"),
        ],
    ),
    "household_waste": (
        "垃圾箱房定时定点投放时间与居民作息不符，部分居民错时乱扔。",
        [
            ("绿化市容局指导调整投放时间并增设误时投放点", "greening"),
            ("居委会组织志愿者值守宣传", "subdistrict"),
        ],
    ),
    "illegal_construction": (
        "顶楼和底楼住户搭建阳光房、围墙，邻里之间相互攀比，早期发现后未及时制止。",
        [
            ("规划资源局认定违法建筑性质", "planning"),
            ("街道牵头依法拆除并加强巡查", "subdistrict"),
        ],
    ),
    "construction_waste": (
        "装修垃圾未按规定袋装堆放，清运单位不按时清运。",
        [("绿化市容局督促清运单位落实清运", "greening"), ("物业设置装修垃圾临时堆放点", "housing")],
    ),
    "greenery_damage": (
        "居民在公共绿地种菜、圈地，物业劝阻后反弹。",
        [("绿化市容局鉴定绿化损坏并责令恢复", "greening"), ("街道组织补种并宣传", "subdistrict")],
    ),
    "use_change": (
        "底层住宅改作商铺，经营者不知住改商的审批要求。",
        [("市场监管局核查营业登记", "market"), ("街道约谈业主恢复居住用途", "subdistrict")],
    ),
    "property_negligence": (
        "物业服务企业人员不足，报告违法行为不及时，业委会监督不到位。",
        [("房管局约谈物业企业并督促整改", "housing"), ("街道指导业委会加强监督", "subdistrict")],
    ),
}
PARTICIPANTS = "区城管执法局指挥中心\n物业服务企业项目经理\n居委会主任\n业委会代表"
CONCLUSIONS = [
    "各项措施已落实，投诉明显减少，转入常态化管理。",
    "整改措施已完成，纳入街道日常巡查，继续跟踪投诉情况。",
    "问题基本解决，物业建立长效机制，结束会诊。",
]


@dataclass
class DemoClinicsResult:
    clinics: int = 0
    measures: int = 0
    complaints_gathered: int = 0
    closed: int = 0
    skipped: list[str] = field(default_factory=list)


def _local(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def demo_clinics(*, district: Any, seed: int, now: dt.datetime) -> DemoClinicsResult:
    result = DemoClinicsResult()
    if Clinic.objects.filter(district=district, is_demo=True).exists():
        result.skipped.append("clinics exist")
        return result
    dispatcher = (
        User.objects.filter(district=district, role=Role.DISPATCHER, is_demo=True, is_active=True)
        .order_by("pk")
        .first()
    )
    if dispatcher is None:
        result.skipped.append("no demo dispatcher")
        return result
    rng = random.Random(seed)
    today = timezone.localtime(now).date()
    groups = list(
        Complaint.objects.filter(
            district=district, is_demo=True, estate__isnull=False, violation_type__isnull=False
        )
        .values("estate_id", "violation_type__code")
        .annotate(n=Count("id"), r=Count("id", filter=Q(is_repeat=True)), first=Min("received_at"))
        .filter(r__gte=MIN_REPEATS)
        .order_by("-r", "-n", "estate_id", "violation_type__code")[:CLINICS]
    )
    if not groups:
        result.skipped.append("no chronic problems")
        return result
    departments = {d.code: d for d in Department.objects.filter(district=district)}
    estates = Estate.objects.in_bulk([g["estate_id"] for g in groups])
    # Clinics spread over the year: the oldest held about ten months ago, the last one still
    # gathering; each at least three months after its problem's first complaint.
    span = max(len(groups) - 1, 1)
    plans = []
    for i, g in enumerate(groups):
        days_ago = 300 - int(285 * i / span) + rng.randint(-6, 6)
        first = timezone.localtime(g["first"]).date()
        held_on = max(today - dt.timedelta(days=max(days_ago, 10)), first + dt.timedelta(days=95))
        if held_on >= today:
            continue
        plans.append((held_on, g))
    plans.sort(key=lambda p: (p[0], p[1]["estate_id"]))
    for index, (held_on, g) in enumerate(plans):
        estate = estates[g["estate_id"]]
        vt = ViolationType.objects.effective(held_on).filter(code=g["violation_type__code"]).first()
        if vt is None:
            continue
        opened = _local(held_on - dt.timedelta(days=rng.randint(7, 14)), 9)
        clinic = services.clinic_open_from_suggestion(
            actor=dispatcher, estate=estate, violation_type=vt, is_demo=True, at=opened
        )
        analysis, measures = PLAYBOOK.get(vt.code, PLAYBOOK["common_area_occupation"])
        participants = [departments[code] for _t, code in measures if code in departments]
        services.clinic_update(
            actor=dispatcher,
            clinic=clinic,
            departments=participants,
            participants=PARTICIPANTS,
            place=f"{estate.subdistrict.name if estate.subdistrict else ''}城管社区工作室",
            at=opened + dt.timedelta(hours=1),
        )
        result.clinics += 1
        result.complaints_gathered += clinic.complaints.count()
        last = index == len(plans) - 1
        if last and (today - held_on).days < 30:
            continue  # the most recent one is still gathering its records
        held_at = _local(held_on, 16)
        services.clinic_update(
            actor=dispatcher, clinic=clinic, analysis=f"{estate.name}：{analysis}", at=held_at
        )
        services.clinic_transition(
            actor=dispatcher, clinic=clinic, move="hold", held_on=held_on, at=held_at
        )
        rows = []
        for text, code in measures:
            due = held_on + dt.timedelta(days=rng.choice((14, 21, 30, 45)))
            unit: dict[str, Any] = (
                {"subdistrict": estate.subdistrict}
                if code == "subdistrict" or code not in departments
                else {"department": departments[code]}
            )
            rows.append(
                services.measure_add(
                    actor=dispatcher,
                    clinic=clinic,
                    text=text,
                    due_date=due,
                    at=held_at + dt.timedelta(minutes=10),
                    **unit,
                )
            )
            result.measures += 1
        services.clinic_transition(
            actor=dispatcher, clinic=clinic, move="follow_up", at=held_at + dt.timedelta(minutes=20)
        )
        for m in rows:
            done = m.due_date - dt.timedelta(days=rng.randint(0, 6))
            if done < today and rng.random() < 0.9:
                services.measure_done(
                    actor=dispatcher, measure=m, note="已落实", at=_local(done, 15)
                )
        if (today - held_on).days > 120 and not clinic.measures.filter(done_at=None).exists():
            services.clinic_transition(
                actor=dispatcher,
                clinic=clinic,
                move="close",
                reason=rng.choice(CONCLUSIONS),
                at=_local(held_on + dt.timedelta(days=100), 10),
            )
            result.closed += 1
    return result

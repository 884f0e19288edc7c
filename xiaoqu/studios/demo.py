"""Demo (演示数据) of the community studios: members for every demo studio (the demo studio
accounts linked as members), a year of activities (monthly meetings, joint patrols, legal
classes, mediations and reception days; the next ones planned) and a few dozen early signs
reported by the studio accounts from their phones, entered through the loop like any complaint
and followed through: dispatched, verified, closed or corrected, and answered.

Deterministic from the seed, idempotent (a studio that has demo members gets none again; the
reports are entered once per district), and quick: the services write every row."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.core.demo.names import person_name
from xiaoqu.estates.models import Estate, Studio
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import LeadStatus
from xiaoqu.law.models import ViolationType

from . import services
from .choices import ActivityKind, MemberKind, ReportKind
from .models import StudioActivity, StudioMember, StudioReport

REPORTS_PER_ACCOUNT = 10
MONTHS = 12


@dataclass
class DemoStudiosResult:
    studios: int = 0
    members: int = 0
    linked_accounts: int = 0
    activities: int = 0
    reports: int = 0
    skipped: list[str] = field(default_factory=list)


# What a studio member sees before it becomes a violation (苗头), by violation type; {b} a
# building, {r} a room. None: the member does not know which type it is.
SIGNS: list[tuple[str | None, str]] = [
    ("renovation_unregistered", "{b}号楼{r}室这几天开始敲墙，门口没有看到装修公示"),
    ("structure_damage", "{b}号楼{r}室装修工人在拆承重墙边上的砖，声音很大"),
    ("illegal_construction", "{b}号楼顶楼有人往上运钢材和彩钢板，怕是要搭建"),
    ("group_rental", "{b}号楼{r}室最近进出的年轻人很多，晚上很吵，疑似隔间群租"),
    ("use_change", "{b}号楼{r}室门口挂了招牌，像是要开店"),
    ("common_area_occupation", "{b}号楼楼道里堆了旧家具和纸箱，影响通行"),
    ("ebike_charging", "{b}号楼{r}室从窗口拉电线下来给电动车充电"),
    ("ebike_parking", "{b}号楼门厅里停了好几辆电动车，堵住了消防通道"),
    ("construction_waste", "小区{b}号楼旁边堆了装修垃圾，几天没人清运"),
    ("greenery_damage", "{b}号楼前的绿地被人圈起来种菜"),
    ("household_waste", "{b}号楼垃圾箱房边上有人乱扔垃圾，分类没做好"),
    ("small_ads", "{b}号楼单元门口又贴满了小广告"),
    (None, "{b}号楼{r}室好像在改门窗，不知道有没有报备"),
    (None, "{b}号楼底楼有人在院子里挖地基，不清楚要做什么"),
]

OUTCOMES: dict[str, list[str]] = {
    ActivityKind.MEETING: [
        "通报上月投诉和巡查情况，议定本月重点：楼道堆物和飞线充电",
        "梳理群众反映的问题5件，明确责任人和办结时间",
        "物业报告装修登记情况，居委会协调两起邻里纠纷",
    ],
    ActivityKind.JOINT_PATROL: [
        "联合物业巡查楼道和屋顶，发现堆物3处，当场劝阻清理2处",
        "检查装修户6户，提醒未登记的2户补办装修申报登记",
        "清理小广告和非机动车乱停放，劝阻飞线充电1处",
    ],
    ActivityKind.LEGAL_CLASS: [
        "讲解《上海市住宅物业管理规定》装修管理条款，发放宣传资料",
        "以典型案例讲解违法搭建的法律后果，居民提问踊跃",
    ],
    ActivityKind.MEDIATION: [
        "调解楼上装修噪声和渗水纠纷，双方达成书面协议",
        "协调楼道堆物的邻里矛盾，业主同意限期清理",
    ],
    ActivityKind.RECEPTION: [
        "接待居民来访4人次，当场解答装修和群租问题",
        "接待业主咨询，登记诉求2件转派处置",
    ],
}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _members(
    studio: Studio,
    estates: list[Estate],
    accounts: list[User],
    actor: User | None,
    rng: random.Random,
    result: DemoStudiosResult,
) -> None:
    committee = studio.estates.first()
    joined = studio.established or dt.date(2021, 3, 1)
    rows: list[dict[str, Any]] = []
    committee_name = (
        committee.committee.name if committee is not None and committee.committee else ""
    )
    rows.append({"kind": MemberKind.COMMITTEE, "organisation": committee_name})
    if rng.random() < 0.6:
        rows.append({"kind": MemberKind.COMMITTEE, "organisation": committee_name})
    for estate in estates[:2]:
        rows.append(
            {
                "kind": MemberKind.OWNERS_COMMITTEE,
                "organisation": f"{estate.name}业委会",
                "estate": estate,
            }
        )
    for _ in range(rng.randint(2, 3)):
        estate = rng.choice(estates)
        building = rng.randint(1, max(2, estate.buildings or 12))
        rows.append(
            {"kind": MemberKind.BUILDING_HEAD, "organisation": f"{building}号楼", "estate": estate}
        )
    rows.append({"kind": MemberKind.RESIDENT_REPRESENTATIVE, "estate": rng.choice(estates)})
    companies = [e for e in estates if e.property_company_id]
    if companies:
        estate = rng.choice(companies)
        assert estate.property_company is not None
        rows.append(
            {
                "kind": MemberKind.PROPERTY_COMPANY,
                "organisation": estate.property_company.name,
                "estate": estate,
            }
        )
    rows.append(
        {"kind": MemberKind.OFFICER, "organisation": f"{studio.subdistrict.name}城管执法中队"}
    )
    rows = rows[:10]
    for account in accounts:
        rows.insert(
            0,
            {
                "kind": MemberKind.COMMITTEE,
                "organisation": committee_name,
                "user": account,
                "name": account.name or account.username,
            },
        )
    for row in rows:
        name = row.pop("name", None) or person_name(rng)
        phone = f"139{rng.randint(0, 99999999):08d}"
        services.member_create(
            actor=actor,
            studio=studio,
            name=name,
            phone=phone,
            joined_on=joined + dt.timedelta(days=rng.randint(0, 400)),
            is_demo=True,
            **row,
        )
        result.members += 1
        result.linked_accounts += "user" in row


def _activities(
    studio: Studio,
    estates: list[Estate],
    actor: User | None,
    now: dt.datetime,
    rng: random.Random,
    result: DemoStudiosResult,
) -> None:
    today = timezone.localtime(now).date()
    place = studio.address or studio.name
    plan: list[tuple[str, dt.datetime, Estate | None]] = []
    for back in range(MONTHS, -2, -1):  # a year back and the next month
        first = (today.replace(day=1) - dt.timedelta(days=30 * back)).replace(day=1)
        plan.append(
            (ActivityKind.MEETING, _at(first + dt.timedelta(days=rng.randint(2, 8)), 14), None)
        )
        if back % 2 == 0:
            day = first + dt.timedelta(days=rng.randint(10, 20))
            plan.append((ActivityKind.JOINT_PATROL, _at(day, 9, 30), rng.choice(estates)))
        if back % 3 == 1:
            day = first + dt.timedelta(days=rng.randint(12, 24))
            plan.append((ActivityKind.LEGAL_CLASS, _at(day, 15), rng.choice(estates)))
        if rng.random() < 0.3:
            day = first + dt.timedelta(days=rng.randint(5, 25))
            plan.append((ActivityKind.MEDIATION, _at(day, 10), rng.choice(estates)))
        if rng.random() < 0.4:
            day = first + dt.timedelta(days=rng.randint(5, 25))
            plan.append((ActivityKind.RECEPTION, _at(day, 9), None))
    titles: dict[str, str] = {
        ActivityKind.MEETING: "{m}月工作例会",
        ActivityKind.JOINT_PATROL: "{e}联合巡查",
        ActivityKind.LEGAL_CLASS: "普法宣传进小区（{e}）",
        ActivityKind.MEDIATION: "{e}邻里矛盾调解",
        ActivityKind.RECEPTION: "工作室接待日",
    }
    for kind, starts, estate in plan:
        local = timezone.localtime(starts)
        past = starts < now
        services.activity_create(
            actor=actor,
            studio=studio,
            kind=kind,
            title=titles[kind].format(m=local.month, e=estate.name if estate else ""),
            starts_at=starts,
            place=(f"{estate.name}物业办公室" if estate is not None else place),
            estate=estate,
            outcome=rng.choice(OUTCOMES[kind]) if past else "",
            participants=rng.randint(5, 30) if past else None,
            is_demo=True,
            at=min(now, starts - dt.timedelta(days=rng.randint(3, 10))),
        )
        result.activities += 1


def _follow(
    report: StudioReport,
    officer: User | None,
    dispatcher: User,
    rng: random.Random,
    now: dt.datetime,
) -> None:
    """Move the report's matter on as the team would: dispatched the next hours, verified
    within days; closed (no violation after dissuasion) or corrected after an order; the
    member is answered."""
    complaint = report.complaint
    lead = complaint.lead
    received = complaint.received_at
    if lead is None or complaint.is_repeat or officer is None:
        return
    if now - received < dt.timedelta(days=3):
        return
    lead.refresh_from_db()
    if lead.status == LeadStatus.PENDING_DISPATCH:  # triage may have dispatched it already
        lead = intake.lead_dispatch(
            lead=lead, actor=dispatcher, at=received + dt.timedelta(hours=2)
        )
    if lead.status != LeadStatus.DISPATCHED:
        return
    visited = received + dt.timedelta(days=1, hours=rng.randint(0, 20))
    place = complaint.address or (complaint.estate.name if complaint.estate else "")
    if rng.random() < 0.55 or now - received < dt.timedelta(days=20):
        visit = intake.Visit(
            inspected_at=visited,
            place=place,
            violation_found=False,
            findings="现场核查，当事人已停止，经劝阻已恢复原状",
        )
        intake.lead_close_no_violation(
            lead=lead, actor=officer, visit=visit, reason="苗头已消除，无违法行为", at=visited
        )
        text = "您反映的情况已核查，经劝阻已停止并恢复，谢谢您的及时报告。"
    else:
        visit = intake.Visit(
            inspected_at=visited,
            place=place,
            violation_found=True,
            findings="现场核查属实，已责令当事人限期改正",
        )
        due = timezone.localtime(visited).date() + dt.timedelta(days=7)
        lead = intake.lead_order_rectification(
            lead=lead, actor=officer, visit=visit, rectify_by=due, at=visited
        )
        again = visited + dt.timedelta(days=8)
        revisit = intake.Visit(
            inspected_at=again, place=place, violation_found=False, findings="复查已整改到位"
        )
        intake.lead_reinspect(lead=lead, actor=officer, visit=revisit, corrected=True, at=again)
        text = "您反映的问题经核查属实，已责令当事人限期整改，我们将按期复查。"
    complaint.refresh_from_db()
    if complaint.replied_at is None:
        intake.complaint_reply(
            complaint=complaint,
            actor=officer,
            text=text,
            at=visited + dt.timedelta(hours=3),
        )


def _reports(
    district: Any, now: dt.datetime, rng: random.Random, result: DemoStudiosResult
) -> None:
    accounts = list(
        User.objects.filter(
            role=Role.STUDIO_MEMBER,
            studio__subdistrict__district=district,
            is_demo=True,
            is_active=True,
        )
        .select_related("studio")
        .order_by("username")
    )
    dispatcher = (
        User.objects.filter(role=Role.DISPATCHER, district=district, is_demo=True, is_active=True)
        .order_by("pk")
        .first()
    )
    if not accounts or dispatcher is None:
        result.skipped.append("reports: no studio account or dispatcher")
        return
    types = {t.code: t for t in ViolationType.objects.effective(timezone.localtime(now).date())}
    for account in accounts:
        studio = account.studio
        assert studio is not None
        estates = list(studio.estates.order_by("pk"))
        if not estates:
            continue
        officer = (
            User.objects.filter(
                role=Role.OFFICER, subdistrict_id=studio.subdistrict_id, is_active=True
            )
            .order_by("pk")
            .first()
        )
        days = sorted(rng.sample(range(1, 180), REPORTS_PER_ACCOUNT), reverse=True)
        for back in days:
            code, text = rng.choice(SIGNS)
            estate = rng.choice(estates)
            building = rng.randint(1, max(2, estate.buildings or 12))
            room = f"{rng.randint(1, 6)}0{rng.randint(1, 4)}"
            received = now - dt.timedelta(
                days=back, hours=rng.randint(0, 9), minutes=rng.randint(0, 59)
            )
            report = services.report_create(
                actor=account,
                estate=estate,
                content=text.format(b=building, r=room),
                violation_type=types.get(code) if code and rng.random() < 0.8 else None,
                address=f"{building}号楼" + (f"{room}室" if "{r}" in text else ""),
                kind=ReportKind.EARLY_SIGN if rng.random() < 0.8 else ReportKind.VIOLATION,
                received_at=received,
                is_demo=True,
                at=received,
            )
            result.reports += 1
            _follow(report, officer, dispatcher, rng, now)


def demo_studios(*, district: Any, seed: int, now: dt.datetime | None = None) -> DemoStudiosResult:
    """Members, activities and member reports of the district's demo studios (idempotent)."""
    moment = now or timezone.now()
    result = DemoStudiosResult()
    rng = random.Random(f"studios-{seed}")
    actor = (
        User.objects.filter(role=Role.DISPATCHER, district=district, is_demo=True, is_active=True)
        .order_by("pk")
        .first()
    )
    studios = list(
        Studio.objects.filter(subdistrict__district=district, is_demo=True)
        .select_related("subdistrict")
        .order_by("subdistrict__code", "name")
    )
    accounts: dict[int, list[User]] = {}
    for user in User.objects.filter(
        role=Role.STUDIO_MEMBER, studio__in=studios, is_demo=True
    ).order_by("username"):
        assert user.studio_id is not None
        accounts.setdefault(user.studio_id, []).append(user)
    with_members = set(
        StudioMember.objects.filter(studio__in=studios, is_demo=True).values_list(
            "studio", flat=True
        )
    )
    with_activities = set(
        StudioActivity.objects.filter(studio__in=studios, is_demo=True).values_list(
            "studio", flat=True
        )
    )
    with transaction.atomic():
        for studio in studios:
            # One generator per studio: a studio's rows do not depend on which ran before.
            srng = random.Random(f"studio-{seed}-{studio.subdistrict.code}-{studio.name}")
            estates = list(
                studio.estates.select_related("committee", "property_company").order_by("pk")
            )
            if not estates:
                continue
            touched = False
            if studio.pk not in with_members:
                _members(studio, estates, accounts.get(studio.pk, []), actor, srng, result)
                touched = True
            if studio.pk not in with_activities:
                _activities(studio, estates, actor, moment, srng, result)
                touched = True
            result.studios += touched
        if not StudioReport.objects.filter(
            studio__subdistrict__district=district, is_demo=True
        ).exists():
            _reports(district, moment, rng, result)
    return result

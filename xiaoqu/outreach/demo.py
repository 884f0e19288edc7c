"""Demo (演示数据) of legal education and trainings, from the demo's own complaints:

- the bureau's 7.15 open day (城管开放日) in July, for the district's hotspot estates;
- community law classes (社区法治课堂) each month, two a month in turn across the
  subdistricts, planned by the subdistrict's manager for the estates where complaints about
  one violation type were highest in the three months before, with attendance per estate;
- a short video (普法短视频) every other month and a case explained (以案释法) each quarter;
- a training of property companies each quarter with the housing bureau, every demo company
  and its project managers invited, attendance recorded (a few absent or excused); the next
  session and next month's classes planned.

Deterministic from the seed, idempotent (a district with demo events or trainings gets none
again) and quick: the services write every row."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate, PropertyCompany
from xiaoqu.intake.models import Complaint
from xiaoqu.regions.models import Subdistrict

from . import services
from .choices import EventKind, Presence
from .models import OutreachEvent, Training, TrainingAttendance
from .selectors import type_names

MONTHS = 12
CLASSES_PER_MONTH = 2


@dataclass
class DemoOutreachResult:
    events: int = 0
    held: int = 0
    trainings: int = 0
    attendances: int = 0
    absences: int = 0
    skipped: list[str] = field(default_factory=list)


def _month_start(day: dt.date, shift: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + shift
    return dt.date(index // 12, index % 12 + 1, 1)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _hotspots(
    complaints: list[tuple[int, str, dt.datetime]],
    start: dt.datetime,
    end: dt.datetime,
) -> Counter[tuple[int, str]]:
    return Counter((e, c) for e, c, when in complaints if start <= when < end)


def demo_outreach(*, district: Any, seed: int, now: dt.datetime) -> DemoOutreachResult:
    """A year of events and trainings up to `now`, and the next ones planned."""
    result = DemoOutreachResult()
    rng = random.Random(f"outreach-{seed}")
    dispatcher = (
        User.objects.filter(role=Role.DISPATCHER, district=district, is_demo=True, is_active=True)
        .order_by("pk")
        .first()
    )
    departments = {d.code: d for d in Department.objects.filter(district=district)}
    bureau = departments.get("bureau")
    housing = departments.get("housing")
    justice = departments.get("justice")
    names = type_names()
    estates = {
        e.pk: e
        for e in Estate.objects.filter(district=district, is_demo=True).select_related(
            "subdistrict"
        )
    }
    if dispatcher is None or bureau is None or not estates:
        result.skipped.append("no demo dispatcher, bureau or estates")
        return result
    today = timezone.localtime(now).date()
    first_month = _month_start(today, -MONTHS + 1)
    complaints = [
        (e, c, timezone.localtime(w))
        for e, c, w in Complaint.objects.filter(
            district=district,
            is_demo=True,
            estate_id__in=list(estates),
            violation_type__isnull=False,
        ).values_list("estate_id", "violation_type__code", "received_at")
    ]
    with transaction.atomic():
        if not OutreachEvent.objects.filter(district=district, is_demo=True).exists():
            _events(
                result,
                rng,
                district,
                now,
                today,
                first_month,
                dispatcher,
                departments,
                names,
                estates,
                complaints,
            )
        else:
            result.skipped.append("events")
        if not Training.objects.filter(district=district, is_demo=True).exists():
            _trainings(
                result,
                rng,
                district,
                now,
                today,
                first_month,
                dispatcher,
                housing or bureau,
                justice,
            )
        else:
            result.skipped.append("trainings")
    return result


def _hold(
    result: DemoOutreachResult,
    event: OutreachEvent,
    rng: random.Random,
    actor: Any,
    per: tuple[int, int],
) -> None:
    targets = list(event.targets.all())
    per_estate = {t.estate_id: rng.randint(*per) for t in targets}
    total = sum(per_estate.values()) if per_estate else rng.randint(per[0] * 3, per[1] * 3)
    if event.kind == EventKind.VIDEO:
        per_estate, total = {}, rng.randint(2000, 20000)
    services.event_hold(
        actor=actor,
        event=event,
        attendance=total + (rng.randint(0, 20) if per_estate else 0),
        per_estate=per_estate,
        note="居民反响良好，现场答疑"
        if event.kind != EventKind.VIDEO
        else "区融媒体中心、微信公众号发布",
        at=event.starts_at + dt.timedelta(hours=3),
    )
    result.held += 1


def _events(
    result: DemoOutreachResult,
    rng: random.Random,
    district: Any,
    now: dt.datetime,
    today: dt.date,
    first_month: dt.date,
    dispatcher: User,
    departments: dict[str, Department],
    names: dict[str, str],
    estates: dict[int, Estate],
    complaints: list[tuple[int, str, dt.datetime]],
) -> None:
    bureau = departments["bureau"]
    managers = {
        u.subdistrict_id: u
        for u in User.objects.filter(
            role=Role.SUBDISTRICT_MANAGER, district=district, is_demo=True, is_active=True
        ).order_by("pk")
    }
    subdistricts = list(
        Subdistrict.objects.filter(district=district, pk__in=list(managers)).order_by("code")
    )
    turn = 0
    targeted_recently: dict[int, dt.date] = {}
    for i in range(MONTHS + 1):  # the last one: next month, planned
        month = _month_start(first_month, i)
        start = _at(_month_start(month, -3), 0)
        hot = _hotspots(complaints, start, _at(month, 0))
        district_types: Counter[str] = Counter()
        for (_e, code), n in hot.items():
            district_types[code] += n
        # Community law classes in the subdistricts, in turn.
        for _k in range(CLASSES_PER_MONTH):
            if not subdistricts:
                break
            sub = subdistricts[turn % len(subdistricts)]
            turn += 1
            in_sub = [
                (n, e, code)
                for (e, code), n in hot.items()
                if estates[e].subdistrict_id == sub.pk
                and (e not in targeted_recently or (month - targeted_recently[e]).days > 150)
            ]
            if not in_sub:
                continue
            in_sub.sort(key=lambda x: (-x[0], x[1], x[2]))
            _n, top, code = in_sub[0]
            same = [e for n, e, c in in_sub if c == code and e != top][:2]
            chosen = [estates[top]] + [estates[e] for e in same]
            for e in chosen:
                targeted_recently[e.pk] = month
            day = month + dt.timedelta(days=rng.randint(8, 25))
            starts = _at(day, rng.choice([9, 14, 19]), 0 if rng.random() < 0.6 else 30)
            team = departments.get(f"team-{sub.code}")
            actor = managers[sub.pk]
            event = services.event_plan(
                actor=actor,
                kind=EventKind.LAW_CLASS,
                title=f"社区法治课堂：{names.get(code, code)}（{chosen[0].name}）",
                starts_at=starts,
                estates=chosen,
                themes=[code],
                place=f"{chosen[0].name}居民活动室",
                organiser=team,
                notes="结合近三个月投诉热点，讲解相关法律法规和典型案例，发放宣传折页。",
                district=district,
                is_demo=True,
                at=starts - dt.timedelta(days=rng.randint(10, 20)),
            )
            result.events += 1
            if starts < now - dt.timedelta(days=1):
                if rng.random() < 0.06:
                    services.event_cancel(
                        actor=actor,
                        event=event,
                        reason="因天气原因取消，下月补课",
                        at=starts - dt.timedelta(days=1),
                    )
                else:
                    _hold(result, event, rng, actor, (15, 60))
        top_types = [c for c, _n in district_types.most_common(3)]
        # The 7.15 open day.
        if month.month == 7:
            day = dt.date(month.year, 7, 15)
            top_estates = [
                estates[e]
                for (e, c), _n in sorted(hot.items(), key=lambda kv: (-kv[1], kv[0]))
                if c in top_types
            ]
            chosen = list(dict.fromkeys(top_estates))[:6]
            event = services.event_plan(
                actor=dispatcher,
                kind=EventKind.OPEN_DAY,
                title=f"{day.year}年“7·15城管开放日”",
                starts_at=_at(day, 9, 30),
                estates=chosen,
                themes=top_types,
                place="区城管执法局",
                organiser=bureau,
                notes="邀请热点小区居民代表、物业企业走进城管，参观指挥中心，现场普法。",
                district=district,
                is_demo=True,
                at=_at(day - dt.timedelta(days=30), 10),
            )
            result.events += 1
            if event.starts_at < now:
                _hold(result, event, rng, dispatcher, (10, 30))
        # A short video every other month, a case explained each quarter.
        if (i % 2 == 1 or i == MONTHS) and top_types:  # and next month's, planned
            code = top_types[0]
            starts = _at(month + dt.timedelta(days=rng.randint(1, 27)), 10)
            event = services.event_plan(
                actor=dispatcher,
                kind=EventKind.VIDEO,
                title=f"普法短视频：{names.get(code, code)}",
                starts_at=starts,
                themes=[code],
                place="区融媒体中心、“普陀城管”公众号",
                organiser=bureau,
                district=district,
                is_demo=True,
                at=starts - dt.timedelta(days=7),
            )
            result.events += 1
            if starts < now:
                _hold(result, event, rng, dispatcher, (0, 0))
        if i % 3 == 2 and len(top_types) > 1:
            code = top_types[1]
            hot_estates = [
                estates[e]
                for (e, c), _n in sorted(hot.items(), key=lambda kv: (-kv[1], kv[0]))
                if c == code
            ][:3]
            starts = _at(month + dt.timedelta(days=rng.randint(5, 25)), 14, 30)
            event = services.event_plan(
                actor=dispatcher,
                kind=EventKind.CASE_EXPLANATION,
                title=f"以案释法：{names.get(code, code)}典型案例讲解",
                starts_at=starts,
                estates=hot_estates,
                themes=[code],
                place=f"{hot_estates[0].name}居委会" if hot_estates else "区城管执法局",
                organiser=departments.get("bureau-legal") or bureau,
                notes="选取本区已办结案件，讲解违法事实、处罚依据和整改要求。",
                district=district,
                is_demo=True,
                at=starts - dt.timedelta(days=14),
            )
            result.events += 1
            if starts < now:
                _hold(result, event, rng, dispatcher, (20, 50))


TOPICS = [
    (
        "物业企业“发现、劝阻、报告”职责培训",
        "住宅小区违法行为发现、劝阻和24小时内报告的要求；装修申报登记和巡查。",
    ),
    (
        "住宅小区装修管理和违法搭建防控培训",
        "装修管理服务协议、承重结构保护、违法搭建的早发现早报告。",
    ),
    (
        "电动自行车停放充电安全管理培训",
        "非机动车集中停放充电场所管理，飞线充电的劝阻和报告，消防安全。",
    ),
    ("物业服务企业信用记分规则解读", "失信记分情形、确认程序和记分周期；典型案例。"),
]


def _trainings(
    result: DemoOutreachResult,
    rng: random.Random,
    district: Any,
    now: dt.datetime,
    today: dt.date,
    first_month: dt.date,
    dispatcher: User,
    housing: Department,
    justice: Department | None,
) -> None:
    companies = list(
        PropertyCompany.objects.filter(is_demo=True, estates__district=district)
        .distinct()
        .order_by("name")
    )
    if not companies:
        result.skipped.append("no demo companies")
        return
    # The companies of the demo property accounts are always invited.
    own = set(
        User.objects.filter(role=Role.PROPERTY_STAFF, district=district, is_demo=True).values_list(
            "property_company_id", flat=True
        )
    )
    bureau = Department.objects.filter(district=district, code="bureau").first()
    for q in range(5):  # four past quarters and the next session
        month = _month_start(first_month, 3 * q + 1)
        day = month + dt.timedelta(days=rng.randint(5, 20))
        starts = _at(day, 14)
        title, topic = TOPICS[q % len(TOPICS)]
        invited = [c for c in companies if c.pk in own or rng.random() < 0.45]
        organisers = (
            [housing] + ([bureau] if bureau else []) + ([justice] if justice and q == 3 else [])
        )
        training = services.training_plan(
            actor=dispatcher,
            title=f"{day.year}年第{(day.month - 1) // 3 + 1}季度{title}",
            starts_at=starts,
            organisers=organisers,
            companies=invited,
            place="区房管局三楼会议室",
            topic=topic,
            district=district,
            is_demo=True,
            at=starts - dt.timedelta(days=21),
        )
        result.trainings += 1
        if starts >= now:
            continue
        rows = list(TrainingAttendance.objects.filter(training=training))
        marks: dict[int, str] = {}
        notes: dict[int, str] = {}
        for row in rows:
            draw = rng.random()
            if draw < 0.08:
                marks[row.pk] = Presence.ABSENT
            elif draw < 0.14:
                marks[row.pk] = Presence.EXCUSED
                notes[row.pk] = rng.choice(
                    ["请假：现场处置突发事件", "请假：参加区住建委会议", "病假"]
                )
            else:
                marks[row.pk] = Presence.PRESENT
        services.training_attendance_record(
            actor=dispatcher,
            training=training,
            marks=marks,
            notes=notes,
            at=starts + dt.timedelta(hours=3),
        )
        result.attendances += len(rows)
        result.absences += sum(1 for v in marks.values() if v == Presence.ABSENT)

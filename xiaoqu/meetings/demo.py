"""Demo (演示数据) of consultation meetings: a year of monthly meetings of the demo district and
two special ones, each scheduled a few days ahead with its agenda drafted from the demo data as
known then, held with attendance, discussion and minutes, its decisions turned into action
items for the real demo departments and subdistricts; most are reported done on time and
accepted, some late (the overdue sweep marked them first), a few reopened, a few still open
and overdue now; the next regular meeting is planned with its agenda drafted as of now.

The months are replayed in the order things happened (a queue of timed steps), so that each
agenda sees what was open at its date. Deterministic from the seed, idempotent (a district
with demo meetings gets none again) and quick."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.core.demo.names import person_name
from xiaoqu.departments.choices import DepartmentKind
from xiaoqu.departments.models import Department
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import District, Subdistrict

from . import services
from .choices import ActionItemStatus, AgendaSource, MeetingKind
from .models import ActionItem, AgendaItem, Meeting
from .permissions import SUBDISTRICT_ROLES

MONTHS = 12
PLACE = "区城管执法局三楼会议室"
SPECIALS = (
    (8, "群租房综合整治专题会商", ("housing", "police", "fire"), "群租房联合整治行动方案"),
    (3, "电动自行车充电安全专题会商", ("fire", "housing", "market"), "电动自行车集中充电设施建设"),
)


@dataclass
class DemoMeetingsResult:
    meetings: int = 0
    agenda_items: int = 0
    action_items: int = 0
    done_on_time: int = 0
    done_late: int = 0
    open_overdue: int = 0

    def __str__(self) -> str:
        return (
            f"{self.meetings} meetings, {self.agenda_items} agenda items, "
            f"{self.action_items} action items ({self.done_on_time} done on time, "
            f"{self.done_late} late, {self.open_overdue} open and overdue now)"
        )


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(hour, minute)), timezone.get_default_timezone()
    )


def _month(day: dt.date, n: int) -> dt.date:
    """The first day of the month `n` months after `day`'s."""
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


class _Queue:
    """Timed steps, run in the order of their time (then of their scheduling)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self._heap: list[tuple[dt.datetime, int, Callable[[dt.datetime], Any]]] = []
        self._seq = itertools.count()

    def push(self, when: dt.datetime, step: Callable[[dt.datetime], Any]) -> None:
        if when <= self.now:  # what would happen after now has not happened yet
            heapq.heappush(self._heap, (when, next(self._seq), step))

    def run(self) -> None:
        while self._heap:
            when, _n, step = heapq.heappop(self._heap)
            step(when)


class _Demo:
    def __init__(
        self, district: District, actor: User, rng: random.Random, now: dt.datetime
    ) -> None:
        self.district, self.actor, self.rng, self.now = district, actor, rng, now
        self.queue = _Queue(now)
        self.result = DemoMeetingsResult()
        self.finished: dict[int, bool] = {}  # action item → done late
        liaisons: dict[int, User] = {}
        for user in User.objects.filter(
            role=Role.LIAISON, district=district, is_active=True
        ).order_by("username"):
            if user.department_id is not None:
                liaisons.setdefault(user.department_id, user)
        self.departments = list(
            Department.objects.filter(
                district=district,
                kind=DepartmentKind.FUNCTIONAL,
                is_active=True,
                pk__in=list(liaisons),
            ).order_by("code")
        )
        self.liaisons = liaisons
        sub_users: dict[int, User] = {}
        for user in User.objects.filter(
            role__in=list(SUBDISTRICT_ROLES), district=district, is_active=True
        ).order_by("role", "username"):
            if user.subdistrict_id is not None:
                sub_users.setdefault(user.subdistrict_id, user)
        self.subdistricts = list(
            Subdistrict.objects.filter(district=district, pk__in=list(sub_users)).order_by("code")
        )
        self.sub_users = sub_users
        self.types = dict(ViolationType.objects.values_list("code", "name"))
        self.leader = (
            User.objects.filter(role=Role.LEADER, district=district, is_active=True)
            .order_by("pk")
            .first()
        )

    # -- meetings ------------------------------------------------------------------------------

    def schedule(
        self,
        *,
        title: str,
        when: dt.datetime,
        kind: str = MeetingKind.REGULAR,
        codes: tuple[str, ...] = (),
        topic: str = "",
    ) -> None:
        if codes:
            departments = [d for d in self.departments if d.code in codes] or self.departments[:3]
            subdistricts = self.rng.sample(self.subdistricts, k=min(4, len(self.subdistricts)))
        else:
            departments, subdistricts = self.departments, self.subdistricts

        def create(moment: dt.datetime) -> None:
            meeting = services.meeting_create(
                actor=self.actor,
                district=self.district,
                title=title,
                kind=kind,
                scheduled_at=when,
                place=PLACE,
                chair=(self.leader.name if self.leader and self.leader.name else "分管副局长"),
                purpose=topic,
                departments=departments,
                subdistricts=subdistricts,
                is_demo=True,
                at=moment,
            )
            if topic:
                services.agenda_item_add(
                    meeting=meeting, actor=self.actor, title=topic, detail="", at=moment
                )
            self.result.meetings += 1
            self.queue.push(when, lambda at: self.hold(meeting, at))

        # scheduled three days ahead; the next meeting is planned with its agenda drafted now
        self.queue.push(min(when - dt.timedelta(days=3), self.now), create)

    def hold(self, meeting: Meeting, moment: dt.datetime) -> None:
        rng = self.rng
        meeting = services.meeting_hold(meeting=meeting, actor=self.actor, at=moment)
        agenda = list(meeting.agenda.order_by("position"))
        self.result.agenda_items += len(agenda)
        attendance = {}
        for part in meeting.participants.all():
            present = rng.random() < 0.92
            attendance[part.pk] = (
                present,
                f"{person_name(rng)}（{rng.choice(('科长', '副科长', '副主任', '队长'))}）"
                if present
                else "",
            )
        discussions = {a.pk: self._discussion(a) for a in agenda}
        decisions = self._decisions(meeting, agenda, moment)
        minutes = (
            f"会议由{meeting.chair}主持，听取了各单位对上次会商督办事项的落实情况汇报，"
            f"逐项研究了逾期移交、退回移交和反复投诉问题，形成决定事项{len(decisions)}项，"
            "明确责任单位和办结时限，由区城管执法局指挥中心跟踪督办。"
        )
        services.meeting_minutes_record(
            meeting=meeting,
            actor=self.actor,
            minutes=minutes,
            attendance=attendance,
            discussions=discussions,
            at=moment + dt.timedelta(hours=1),
        )
        # a few items stay open and overdue now: the first decision of the meetings held
        # one to four months ago
        recent = dt.timedelta(days=35) < self.now - moment < dt.timedelta(days=120)
        for n, (agenda_item, unit, text) in enumerate(decisions):
            self._decide(
                meeting,
                agenda_item,
                unit,
                text,
                moment + dt.timedelta(hours=2),
                keep_open=recent and n == 0,
            )
        closing = moment + dt.timedelta(days=rng.randint(1, 3))
        self.queue.push(
            closing,
            lambda at: services.meeting_close(meeting=meeting, actor=self.actor, at=at),
        )

    def _discussion(self, item: AgendaItem) -> str:
        texts: dict[str, str] = {
            AgendaSource.ACTION_ITEM: "责任单位汇报了落实进展，会议要求按期办结并书面反馈。",
            AgendaSource.OVERDUE: "部门说明逾期原因，会议要求逐件明确办理时限。",
            AgendaSource.RETURNED: "会议研究了管辖争议，明确由属地街镇牵头、相关部门配合。",
            AgendaSource.CHRONIC: "该问题反复投诉，会议要求开展联合整治，物业企业落实日常巡查。",
            AgendaSource.FIGURES: "指挥中心通报了投诉万人比和按期办结率，各单位对照查找不足。",
            AgendaSource.MANUAL: "会议讨论了工作方案，明确了分工。",
        }
        return texts.get(item.source, "")

    def _decisions(
        self, meeting: Meeting, agenda: list[AgendaItem], moment: dt.datetime
    ) -> list[tuple[AgendaItem, Any, str]]:
        rng = self.rng
        depts = {d.pk: d for d in self.departments}
        subs = {s.pk: s for s in self.subdistricts}
        out: list[tuple[AgendaItem, Any, str]] = []
        by_source: dict[str, list[AgendaItem]] = {}
        for item in agenda:
            by_source.setdefault(item.source, []).append(item)
        for item in by_source.get(AgendaSource.OVERDUE, [])[:2]:
            dept = depts.get(item.data.get("department"))
            if dept is not None:
                out.append((item, dept, f"{dept.name}对逾期的移交和协助事项逐件反馈办理结果"))
        for item in by_source.get(AgendaSource.RETURNED, [])[:1]:
            lead_sub = self._lead_subdistrict(item)
            if lead_sub is not None and lead_sub in subs:
                out.append(
                    (item, subs[lead_sub], "属地执法中队会同相关部门现场会勘，明确管辖后依法处置")
                )
        for item in by_source.get(AgendaSource.CHRONIC, [])[: rng.randint(1, 2)]:
            estate = self._estate(item)
            vtype = self.types.get(item.data.get("violation_type", ""), "")
            if estate is not None and estate.subdistrict_id in subs:
                out.append(
                    (
                        item,
                        subs[estate.subdistrict_id],
                        f"组织{estate.name}{vtype}问题联合整治，督促物业企业落实日常巡查",
                    )
                )
        manual = by_source.get(AgendaSource.MANUAL, [])
        if manual and self.departments:
            dept = rng.choice([d for d in self.departments if d.pk in depts])
            out.append((manual[0], dept, f"{dept.name}牵头制定并落实“{manual[0].title}”"))
        return out

    def _lead_subdistrict(self, item: AgendaItem) -> int | None:
        from xiaoqu.referrals.models import Referral

        pk = item.data.get("referral")
        return Referral.objects.filter(pk=pk).values_list("lead__subdistrict_id", flat=True).first()

    def _estate(self, item: AgendaItem) -> Any:
        from xiaoqu.estates.models import Estate

        return Estate.objects.filter(pk=item.data.get("estate")).first()

    # -- action items --------------------------------------------------------------------------

    def _unit_user(self, item: ActionItem) -> User:
        if item.department_id is not None:
            return self.liaisons[item.department_id]
        assert item.subdistrict_id is not None
        return self.sub_users[item.subdistrict_id]

    def _decide(
        self,
        meeting: Meeting,
        agenda_item: AgendaItem,
        unit: Any,
        text: str,
        moment: dt.datetime,
        *,
        keep_open: bool = False,
    ) -> None:
        rng = self.rng
        deadline = timezone.localtime(moment).date() + dt.timedelta(
            days=rng.choice((10, 15, 20, 30))
        )
        is_dept = isinstance(unit, Department)
        item = services.action_item_create(
            meeting=meeting,
            actor=self.actor,
            description=text,
            deadline=deadline,
            department=unit if is_dept else None,
            subdistrict=None if is_dept else unit,
            agenda_item=agenda_item,
            is_demo=True,
            at=moment,
        )
        self.result.action_items += 1
        due = item.due_at
        assert due is not None
        # the nightly sweep after the deadline: marks it overdue if it is still open then
        from xiaoqu.supervision.services import action_items_sweep

        self.queue.push(due + dt.timedelta(hours=3), lambda at: action_items_sweep(at=at))
        fate = 1.0 if keep_open else rng.random()
        if fate >= 0.93 and not keep_open and self.now - moment > dt.timedelta(days=120):
            fate = 0.8  # left open for months would be a failure of the supervision: done late
        user = self._unit_user(item)
        span = max((due - moment).days, 2)
        if fate < 0.72:  # done on time, accepted a few days later
            done_at = moment + dt.timedelta(days=rng.randint(1, span - 1), hours=rng.randint(0, 6))
            self.queue.push(done_at, lambda at: self._done(item, user, at, late=False))
        elif fate < 0.88:  # done late
            done_at = due + dt.timedelta(days=rng.randint(2, 15), hours=rng.randint(1, 8))
            self.queue.push(done_at, lambda at: self._done(item, user, at, late=True))
        elif fate < 0.93:  # done, found not done, reopened, done again
            done_at = moment + dt.timedelta(days=rng.randint(1, span - 1))
            self.queue.push(done_at, lambda at: self._done(item, user, at, late=False, reopen=True))
        # else: still open (overdue once its deadline has passed)

    def _done(
        self, item: ActionItem, user: User, moment: dt.datetime, *, late: bool, reopen: bool = False
    ) -> None:
        rng = self.rng
        notes = (
            "已会同物业企业完成整改，现场复查无反弹，附整改前后照片。",
            "已逐件核查并书面反馈，相关线索已移交属地处置。",
            "已召开协调会明确分工，联合执法已完成，后续纳入日常巡查。",
        )
        item = services.action_item_done(item=item, actor=user, note=rng.choice(notes), at=moment)
        # an item done, reopened and done again counts once, by its last completion
        self.finished[item.pk] = late
        if reopen:

            def reopen_step(at: dt.datetime) -> None:
                new_deadline = timezone.localtime(at).date() + dt.timedelta(days=10)
                reopened = services.action_item_reopen(
                    item=item,
                    actor=self.actor,
                    reason="复查发现问题反弹，请继续落实",
                    deadline=new_deadline,
                    at=at,
                )
                due = reopened.due_at
                assert due is not None
                self.queue.push(
                    at + dt.timedelta(days=rng.randint(2, 8)),
                    lambda at2: self._done(reopened, user, at2, late=False),
                )

            self.queue.push(moment + dt.timedelta(days=2), reopen_step)
        else:
            self.queue.push(
                moment + dt.timedelta(days=rng.randint(1, 4)),
                lambda at: services.action_item_accept(item=item, actor=self.actor, at=at),
            )


def demo_meetings(
    *, district: District, seed: int, now: dt.datetime | None = None
) -> DemoMeetingsResult:
    """A year of the district's consultation meetings (idempotent: none when it has some)."""
    moment = now or timezone.now()
    if Meeting.objects.filter(district=district, is_demo=True).exists():
        return DemoMeetingsResult()
    actor = (
        User.objects.filter(role=Role.DISPATCHER, district=district, is_demo=True, is_active=True)
        .order_by("pk")
        .first()
    )
    if actor is None:
        return DemoMeetingsResult()
    rng = random.Random(f"meetings-{seed}")
    demo = _Demo(district, actor, rng, moment)
    if not demo.departments and not demo.subdistricts:
        return DemoMeetingsResult()
    today = timezone.localtime(moment).date()
    for back in range(MONTHS, -2, -1):  # a year back, this month's and the next meeting
        month = _month(today, -back)
        day = month + dt.timedelta(days=rng.randint(4, 11))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        local = _at(day, 9, 30)
        if back == -1 and local - dt.timedelta(days=31) > moment:
            break  # this month's meeting is still ahead: it is the next one
        demo.schedule(title=f"{day.year}年{day.month}月城管执法协作例会", when=local)
    for back, title, codes, topic in SPECIALS:
        month = _month(today, -back)
        day = month + dt.timedelta(days=rng.randint(16, 24))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        demo.schedule(
            title=title, when=_at(day, 14), kind=MeetingKind.SPECIAL, codes=codes, topic=topic
        )
    with transaction.atomic():
        demo.queue.run()
    result = demo.result
    result.done_late = sum(1 for late in demo.finished.values() if late)
    result.done_on_time = len(demo.finished) - result.done_late
    result.open_overdue = ActionItem.objects.filter(
        district=district,
        is_demo=True,
        status__in=(ActionItemStatus.OPEN, ActionItemStatus.REOPENED),
        overdue_at__isnull=False,
    ).count()
    return result

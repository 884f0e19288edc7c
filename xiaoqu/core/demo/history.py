"""A year of generated history of the closed loop (演示数据), written through the real services.

Complaints arrive over the last months from every channel, spread over the demo estates by
population; each raises a lead or repeats an open one, and the lead lives its life: dispatch,
on-site verification, rectification and re-inspection, referral to the competent department
and its answer or return, assistance requests, replies to the reporter, merges, reopening,
extensions. Every step is a service call with its own past timestamp (`at=`), so the event
chains, the stored deadlines and the figures are the ones the system itself would hold.

The history is a discrete-event simulation: every step is queued at the moment it happens and
the queue is worked in time order, so that each service sees the world as it was at that
moment (which leads were open for a repeat, which deadlines had passed for the daily sweep).
Delays follow working hours and the official calendar; most steps are on time, some are late,
and a few stall long enough to be overdue now. Steps that would fall after "now" do not
happen: the matter stays where it is, which gives the recent complaints their open states.

Deterministic for a random seed and a "now"; generated once (a second run finds the demo
complaints and creates nothing); only about the demo estates, by demo users; never changes a
record that is not demo data (notifications the services address to other users are removed).
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import math
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.audit.models import Notification
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate, PropertyCompany, Studio
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import OPEN_LEAD_STATUSES, Channel, LeadStatus, PartyKind
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.law.models import ReferralTarget, ViolationType
from xiaoqu.referrals import services as referrals
from xiaoqu.referrals.choices import (
    OPEN_ASSISTANCE_STATUSES,
    OPEN_REFERRAL_STATUSES,
    ReferralStatus,
)
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.regions.models import District
from xiaoqu.supervision import services as supervision
from xiaoqu.supervision.models import ExtensionRequest, UrgeNotice

from . import history_texts as words
from .clock import DUTY, FIELD, OFFICE, Clock
from .history_texts import MatterTexts, Place, ReferralTexts
from .plan import DEMO_SEED

DEFAULT_MONTHS = 12
# Complaints a year per 10,000 residents: about 3,100 a year for Putuo's 1.24 million.
RATE_PER_10K = 25.0
REPEAT_SHARE = 0.15  # arrivals that repeat a matter still open
CHRONIC_SHARE = 0.07  # arrivals about the chronic estates
UNCLASSIFIED_SHARE = 0.02  # 12345 summaries too vague to classify, merged by the dispatcher
CHRONIC_ESTATES = 12

# How often each kind of matter is complained about (relative weights).
VIOLATION_WEIGHTS: dict[str, float] = {
    "common_area_occupation": 19,
    "renovation_unregistered": 9,
    "illegal_construction": 9,
    "ebike_parking": 8,
    "ebike_charging": 7,
    "group_rental": 8,
    "household_waste": 8,
    "construction_waste": 4,
    "greenery_damage": 3,
    "small_ads": 3,
    "use_change": 3,
    "structure_damage": 2,
    "property_negligence": 2,
}
REFERRAL_WEIGHTS: dict[str, float] = {
    "noise": 4,
    "property": 4,
    "fire_lane": 2,
    "tree_pruning": 2,
    "fumes": 1.5,
    "pigeons": 1,
    "elevator": 0.5,
}
CHRONIC_KINDS = (
    "group_rental",
    "ebike_charging",
    "illegal_construction",
    "common_area_occupation",
    "household_waste",
    "ebike_parking",
    "pigeons",
    "noise",
    "construction_waste",
    "property",
)

# Channels (hotline, resident, property company, studio, patrol) by kind of matter.
CH = (Channel.HOTLINE, Channel.RESIDENT, Channel.PROPERTY_COMPANY, Channel.STUDIO, Channel.PATROL)
CHANNELS_DEFAULT: tuple[int, ...] = (58, 12, 8, 16, 12)
CHANNELS: dict[str, tuple[int, ...]] = {
    "renovation_unregistered": (50, 10, 20, 12, 12),
    "structure_damage": (53, 12, 20, 10, 8),
    "illegal_construction": (50, 10, 14, 16, 16),
    "common_area_occupation": (52, 10, 14, 18, 12),
    "use_change": (58, 14, 10, 16, 6),
    "small_ads": (38, 8, 6, 20, 36),
    "household_waste": (42, 10, 4, 22, 30),
    "construction_waste": (42, 8, 8, 18, 30),
    "greenery_damage": (47, 10, 8, 20, 22),
    "group_rental": (58, 10, 6, 28, 8),
    "ebike_parking": (54, 10, 8, 28, 10),
    "ebike_charging": (56, 10, 8, 28, 8),
    "property_negligence": (68, 20, 0, 16, 0),
}
CHANNELS_REFERRAL: tuple[int, ...] = (80, 17, 0, 3, 0)
REPEAT_CHANNELS = (75, 17, 4, 4, 0)

# Decisions on site: (no violation, rectification, assistance, filing, referral).
DECISIONS_DEFAULT = (0.34, 0.61, 0.0, 0.01, 0.04)
DECISIONS: dict[str, tuple[float, ...]] = {
    "illegal_construction": (0.20, 0.50, 0.20, 0.07, 0.03),
    "group_rental": (0.27, 0.53, 0.14, 0.03, 0.03),
    "structure_damage": (0.20, 0.40, 0.30, 0.07, 0.03),
    "greenery_damage": (0.25, 0.52, 0.20, 0.01, 0.02),
    "use_change": (0.30, 0.47, 0.15, 0.03, 0.05),
    "small_ads": (0.40, 0.57, 0.0, 0.0, 0.03),
}
# Calendar days given to rectify, by kind.
RECTIFY_DAYS: dict[str, tuple[int, int]] = {
    "ebike_parking": (1, 3),
    "ebike_charging": (1, 3),
    "household_waste": (1, 3),
    "construction_waste": (1, 3),
    "small_ads": (2, 5),
    "common_area_occupation": (3, 7),
    "renovation_unregistered": (3, 7),
    "illegal_construction": (7, 15),
    "greenery_damage": (7, 15),
    "group_rental": (10, 20),
    "use_change": (10, 20),
    "structure_damage": (15, 30),
}
RECTIFY_DEFAULT = (5, 10)
CLUE_RULE = "clue_verification"
EXTENSION_DAYS = 10

# Hours of the day 12345 calls come in (weights, 0–23 h).
HOTLINE_HOURS = (
    0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 3, 5, 5, 4,
    3, 3, 4, 4, 4, 3, 3, 3, 3, 2, 1, 0.6,
)  # fmt: skip


@dataclass(frozen=True)
class Kind:
    """A kind of matter: one of the catalog's violation types, or a matter to refer."""

    code: str
    texts: MatterTexts
    weight: float
    violation_type: ViolationType | None = None
    referral: ReferralTexts | None = None


@dataclass
class _Estate:
    estate: Estate
    lanes: list[str]
    buildings: int
    floors: int
    company: PropertyCompany | None
    studio: Studio | None

    def place(self, rng: random.Random) -> Place:
        lane = rng.choice(self.lanes)
        per_lane = max(1, math.ceil(self.buildings / len(self.lanes)))
        return Place(
            estate=self.estate.name,
            lane=lane,
            building=rng.randint(1, per_lane),
            floor=rng.randint(1, self.floors),
            unit=rng.randint(1, 4 if self.floors <= 7 else 6),
            top_floor=self.floors,
        )


@dataclass
class _Cast:
    """The demo users who act, and the departments they write to."""

    dispatcher: User
    approvers: list[User]
    officers: dict[int, User]
    managers: dict[int, User]
    liaisons: dict[str, User]
    departments: dict[str, Department]
    property_staff: dict[int, User]
    studio_members: dict[int, User]


@dataclass
class _Arrival:
    entered_at: dt.datetime
    received_at: dt.datetime
    category: str  # normal, repeat, unclassified
    channel: str
    estate: _Estate | None = None
    kind: Kind | None = None


@dataclass(eq=False)
class _Story:
    """One lead's life."""

    kind: Kind
    place: Place
    estate: _Estate
    lead: Lead
    last_at: dt.datetime
    complaints: list[Complaint] = field(default_factory=list)
    status: str = LeadStatus.PENDING_DISPATCH
    reply_state: str = "pending"
    department: str = ""  # named in replies (referred to, assistance asked of)
    referral: Referral | None = None
    referral_texts: ReferralTexts | None = None
    referral_department: str = ""  # code of the department the referral is with
    returned_once: bool = False
    assistance: AssistanceRequest | None = None
    assistance_answer: str = ""
    merge_into: _Story | None = None
    reopened: bool = False
    tried_extension: bool = False

    @property
    def subdistrict_id(self) -> int:
        return self.estate.estate.subdistrict_id  # type: ignore[return-value]


@dataclass
class HistoryResult:
    """What the demo history holds (also when it was there already)."""

    created: bool = False
    skipped: str = ""  # why nothing was generated
    months: int = 0
    now: dt.datetime | None = None
    complaints: int = 0
    repeats: int = 0
    channels: Counter[str] = field(default_factory=Counter)
    leads: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    referrals: Counter[str] = field(default_factory=Counter)
    assistance: Counter[str] = field(default_factory=Counter)
    overdue: Counter[str] = field(default_factory=Counter)
    extensions: int = 0
    urge_notices: int = 0
    # ran; off (not asked for); foreign (records that are not demo data are overdue)
    sweep: str = ""
    seconds: float = 0.0


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    local = timezone.localtime(moment)
    index = local.year * 12 + local.month - 1 - months
    year, month = divmod(index, 12)
    return local.replace(year=year, month=month + 1, day=min(local.day, 28))


def _choose(rng: random.Random, options: list[Any], weights: list[float]) -> Any:
    return rng.choices(options, weights=weights)[0]


class _Simulation:
    def __init__(
        self,
        *,
        rng: random.Random,
        clock: Clock,
        start: dt.datetime,
        now: dt.datetime,
        cast: _Cast,
        estates: list[_Estate],
        kinds: list[Kind],
        referral_kinds: dict[str, Kind],
        blocked: set[tuple[int, str]],
        sweeps: bool,
    ) -> None:
        self.rng = rng
        self.clock = clock
        self.start = start
        self.now = now
        self.cast = cast
        self.estates = estates
        self.kinds = kinds
        self.referral_kinds = referral_kinds
        self.blocked = blocked
        self.sweeps = sweeps
        self.queue: list[tuple[dt.datetime, int, Callable[[dt.datetime], None]]] = []
        self.seq = 0
        self.stories: dict[int, _Story] = {}
        self.open: dict[int, _Story] = {}  # open stories a repeat can attach to, by lead
        self.replied: set[int] = set()
        self.forgotten: set[int] = set()  # complaints whose reply waits until it is overdue
        self.work_orders = 0
        self.taken_orders = set(
            Complaint.objects.exclude(external_no="").values_list("external_no", flat=True)
        )
        self.created: dict[str, list[int]] = {
            "complaints": [],
            "leads": [],
            "referrals": [],
            "assistance": [],
        }

    # The queue -------------------------------------------------------------------------------

    def at(self, when: dt.datetime, step: Callable[[dt.datetime], None]) -> None:
        """Queue a step; a step after "now" does not happen."""
        if when <= self.now:
            self.seq += 1
            heapq.heappush(self.queue, (when, self.seq, step))

    def run(self) -> None:
        for arrival in self._arrivals():
            self.at(arrival.entered_at, partial(self._arrive, arrival))
        if self.sweeps:
            day = self.clock.local(self.start).date() + dt.timedelta(days=1)
            while True:
                moment = self.clock.make(day, 5)
                if moment > self.now:
                    break
                self.at(moment, self._sweep)
                day += dt.timedelta(days=1)
        while self.queue:
            when, _seq, step = heapq.heappop(self.queue)
            step(when)

    @staticmethod
    def _sweep(when: dt.datetime) -> None:
        supervision.sweep(at=when)

    # Arrivals --------------------------------------------------------------------------------

    def _arrivals(self) -> list[_Arrival]:
        rng = self.rng
        residents = sum(e.estate.residents or 0 for e in self.estates)
        span_days = (self.now - self.start).total_seconds() / 86400
        total = round(RATE_PER_10K * residents / 10_000 * span_days / 365.25)
        estate_weights = list(
            itertools.accumulate(float(e.estate.residents or 0) for e in self.estates)
        )
        kind_weights = list(itertools.accumulate(k.weight for k in self.kinds))
        chronic = self._chronic()
        arrivals = []
        for _ in range(total):
            roll = rng.random()
            estate: _Estate | None = None
            kind: Kind | None = None
            if roll < REPEAT_SHARE:
                category, channel = "repeat", _choose(rng, list(CH), list(REPEAT_CHANNELS))
            elif roll < REPEAT_SHARE + UNCLASSIFIED_SHARE:
                category, channel = "unclassified", Channel.HOTLINE
            else:
                category = "normal"
                if chronic and roll < REPEAT_SHARE + UNCLASSIFIED_SHARE + CHRONIC_SHARE:
                    estate, kind = rng.choice(chronic)
                else:
                    estate = rng.choices(self.estates, cum_weights=estate_weights)[0]
                    kind = rng.choices(self.kinds, cum_weights=kind_weights)[0]
                channel = self._channel(kind, estate)
            received = self._received_at(channel)
            arrivals.append(
                _Arrival(
                    entered_at=self._entered_at(received, channel),
                    received_at=received,
                    category=category,
                    channel=channel,
                    estate=estate,
                    kind=kind,
                )
            )
        return arrivals

    def _chronic(self) -> list[tuple[_Estate, Kind]]:
        """A few estates that complain about the same thing all year."""
        kinds = {k.code: k for k in self.kinds}
        options = [kinds[c] for c in CHRONIC_KINDS if c in kinds]
        if not options:
            return []
        older = sorted(self.estates, key=lambda e: (e.estate.build_year or 2000, e.estate.pk))
        pool = older[: max(CHRONIC_ESTATES, len(older) // 3)]
        chosen = self.rng.sample(pool, min(CHRONIC_ESTATES, len(pool)))
        return [(estate, options[i % len(options)]) for i, estate in enumerate(chosen)]

    def _channel(self, kind: Kind, estate: _Estate) -> str:
        if kind.referral is not None:
            weights = CHANNELS_REFERRAL
        else:
            weights = CHANNELS.get(kind.code, CHANNELS_DEFAULT)
        channel = _choose(self.rng, list(CH), list(weights))
        if channel == Channel.PROPERTY_COMPANY and estate.company is None:
            return Channel.HOTLINE
        if channel == Channel.STUDIO and estate.studio is None:
            return Channel.HOTLINE
        return str(channel)

    def _received_at(self, channel: str) -> dt.datetime:
        rng, clock = self.rng, self.clock
        first = clock.local(self.start).date()
        days = max(1, (clock.local(self.now).date() - first).days + 1)
        while True:
            day = first + dt.timedelta(days=rng.randrange(days))
            season = 1 + 0.15 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 100) / 365)
            working = clock.is_working_day(day)
            if channel == Channel.HOTLINE:
                odds = season * (1.0 if working else 0.7) / 1.15
                if rng.random() >= odds:
                    continue
                hour = _choose(rng, list(range(24)), list(HOTLINE_HOURS))
                moment = clock.make(day, hour * 60 + rng.randrange(60))
            else:
                if not working or rng.random() >= season / 1.15:
                    continue
                moment = clock.office_time(day, rng)
            moment += dt.timedelta(seconds=rng.randrange(60))
            if self.start <= moment <= self.now:
                return moment

    def _entered_at(self, received: dt.datetime, channel: str) -> dt.datetime:
        if channel == Channel.HOTLINE:  # the work order reaches the command centre
            return self.clock.later(received, self.rng.uniform(5, 40), DUTY, self.rng)
        return received + dt.timedelta(minutes=self.rng.uniform(2, 25))

    def _arrive(self, arrival: _Arrival, when: dt.datetime) -> None:
        rng = self.rng
        target: _Story | None = None
        if arrival.category in ("repeat", "unclassified"):
            candidates = [s for s in self.open.values() if s.kind.violation_type is not None]
            if not candidates:
                return
            target = _choose(rng, candidates, [1.0 + len(s.complaints) for s in candidates])
            estate, kind, place = target.estate, target.kind, target.place
        else:
            assert arrival.estate is not None and arrival.kind is not None
            estate, kind = arrival.estate, arrival.kind
            place = estate.place(rng)
            if kind.violation_type is not None and (estate.estate.pk, kind.code) in self.blocked:
                return  # an open matter that is not demo data: leave it alone
        channel = arrival.channel
        if channel == Channel.PROPERTY_COMPANY and estate.company is None:
            channel = Channel.HOTLINE
        if channel == Channel.STUDIO and estate.studio is None:
            channel = Channel.HOTLINE
        if channel == Channel.PATROL and arrival.category == "repeat":
            channel = Channel.HOTLINE
        complaint = self._complaint(
            arrival=arrival,
            when=when,
            channel=channel,
            estate=estate,
            kind=kind,
            place=place,
            repeat=arrival.category == "repeat",
            unclassified=arrival.category == "unclassified",
        )
        self.created["complaints"].append(complaint.pk)
        assert complaint.lead is not None
        lead = complaint.lead
        story = self.stories.get(lead.pk)
        if story is not None:  # attached to an open matter by the intake
            story.complaints.append(complaint)
            story.last_at = when
            state = story.reply_state if story.reply_state != "pending" else "repeat"
            self._reply_soon(story, complaint, when, state=state)
            return
        self.created["leads"].append(lead.pk)
        story = _Story(kind=kind, place=place, estate=estate, lead=lead, last_at=when)
        story.complaints.append(complaint)
        self.stories[lead.pk] = story
        if lead.violation_type_id is not None:
            self.open[lead.pk] = story
        if target is not None and arrival.category == "unclassified":
            story.merge_into = target
        self._reply_fallback(story, complaint)
        delay = rng.uniform(10, 90) if rng.random() < 0.7 else rng.uniform(90, 360)
        if rng.random() < 0.04:
            delay = rng.uniform(24 * 60, 4 * 24 * 60)  # forgotten over a busy week
        self.at(self.clock.later(when, delay, DUTY, rng), partial(self._dispatch, story))

    def _complaint(
        self,
        *,
        arrival: _Arrival,
        when: dt.datetime,
        channel: str,
        estate: _Estate,
        kind: Kind,
        place: Place,
        repeat: bool,
        unclassified: bool,
    ) -> Complaint:
        rng, cast = self.rng, self.cast
        sd = estate.estate.subdistrict_id
        assert sd is not None
        ongoing = kind.code == "illegal_construction" and not repeat and rng.random() < 0.35
        fields: dict[str, Any] = {}
        actor = cast.dispatcher
        style = "hotline"
        if channel == Channel.HOTLINE:
            day = f"{timezone.localtime(arrival.received_at):%Y%m%d}"
            number = ""
            while not number or number in self.taken_orders:
                self.work_orders += 1
                number = f"{day}{self.work_orders:05d}"
            fields["external_no"] = number
            if rng.random() < 0.15:
                fields.update(anonymous=True, reporter_phone=words.phone(rng))
            else:
                fields.update(reporter_name=words.caller_name(rng), reporter_phone=words.phone(rng))
        elif channel == Channel.RESIDENT:
            style = "resident"
            if rng.random() < 0.5:
                actor = cast.officers[sd]
            fields.update(reporter_name=words.caller_name(rng), reporter_phone=words.phone(rng))
        elif channel == Channel.PROPERTY_COMPANY:
            style = "property"
            company = estate.company
            assert company is not None
            actor = cast.property_staff.get(company.pk, cast.dispatcher)
            manager = estate.estate.project_manager
            fields.update(
                reporter_company=company,
                reporter_name=manager.name if manager else words.person_name(rng),
                reporter_phone=words.phone(rng),
                dissuaded_at=arrival.received_at - dt.timedelta(hours=rng.uniform(4, 96)),
                dissuasion=words.dissuasion_text(rng),
            )
        elif channel == Channel.STUDIO:
            style = "studio"
            studio = estate.studio
            assert studio is not None
            actor = cast.studio_members.get(studio.pk, cast.dispatcher)
            fields.update(
                reporter_studio=studio,
                reporter_name=words.person_name(rng),
                reporter_phone=words.phone(rng),
            )
        else:
            style = "patrol"
            actor = cast.managers.get(sd) or cast.officers[sd]
            if rng.random() < 0.3:
                actor = cast.officers[sd]
        if unclassified:
            content = words.unclassified_text(texts=kind.texts, place=place, rng=rng)
        else:
            content = words.complaint_text(
                style=style,
                texts=kind.texts,
                place=place,
                rng=rng,
                company=estate.company.name if estate.company else "",
                studio=estate.studio.name if estate.studio else "",
                repeat=repeat,
                ongoing=ongoing,
            )
        return intake.complaint_create(
            actor=actor,
            channel=channel,
            content=content,
            received_at=arrival.received_at,
            address=place.address,
            estate=estate.estate,
            violation_type=None if unclassified else kind.violation_type,
            ongoing=ongoing,
            at=when,
            **fields,
        )

    # Replies to reporters --------------------------------------------------------------------

    def _reply_fallback(self, story: _Story, complaint: Complaint) -> None:
        """Most reporters are told something before the reply deadline, whatever the state."""
        due = complaint.reply_due_at
        roll = self.rng.random()
        if due is None or roll < 0.04:
            return  # told only once something has been done, which may be late
        if roll < 0.1:  # forgotten until the reply is overdue
            self.forgotten.add(complaint.pk)
            moment = self.clock.office_after(due, self.rng.randint(2, 8), self.rng)
            self.at(moment, partial(self._reply, story, complaint, None))
            return
        days = self.rng.randint(1, 4)
        moment = self.clock.office_after(complaint.received_at, days, self.rng)
        moment = min(moment, due - dt.timedelta(minutes=self.rng.randint(30, 300)))
        moment = max(moment, story.last_at + dt.timedelta(minutes=5))
        self.at(moment, partial(self._reply, story, complaint, None))

    def _reply_soon(
        self, story: _Story, complaint: Complaint, when: dt.datetime, *, state: str
    ) -> None:
        if (
            complaint.reply_due_at is None
            or complaint.pk in self.replied
            or complaint.pk in self.forgotten
        ):
            return
        officer = self._handled_by_team(story)
        shift = OFFICE if officer else DUTY
        minutes = self.rng.uniform(20, 600)
        self.at(
            self.clock.later(when, minutes, shift, self.rng),
            partial(self._reply, story, complaint, state),
        )

    def _replies_after_step(self, story: _Story, when: dt.datetime) -> None:
        for complaint in story.complaints:
            self._reply_soon(story, complaint, when, state=story.reply_state)

    @staticmethod
    def _handled_by_team(story: _Story) -> bool:
        """Once dispatched, the team answers the reporter; before, the command centre."""
        return story.lead.team_id is not None

    def _reply(
        self, story: _Story, complaint: Complaint, state: str | None, when: dt.datetime
    ) -> None:
        if complaint.pk in self.replied:
            return
        self.replied.add(complaint.pk)
        team = self._handled_by_team(story)
        actor = self.cast.officers[story.subdistrict_id] if team else self.cast.dispatcher
        if state is None:
            state = story.reply_state
            if state == "pending" and story.status == LeadStatus.DISPATCHED:
                state = "dispatched"
        if state == "pending" and complaint.is_repeat:
            state = "repeat"
        text = words.reply_text(
            state=state,
            texts=story.kind.texts,
            department=story.department,
            rng=self.rng,
            day=self.clock.local(when).date(),
        )
        intake.complaint_reply(complaint=complaint, actor=actor, text=text, at=when)

    # Dispatch --------------------------------------------------------------------------------

    def _dispatch(self, story: _Story, when: dt.datetime) -> None:
        rng, dispatcher = self.rng, self.cast.dispatcher
        target = story.merge_into
        if target is not None and target.status in OPEN_LEAD_STATUSES:
            into = Lead.objects.get(pk=target.lead.pk)
            story.lead = intake.lead_merge(lead=story.lead, into=into, actor=dispatcher, at=when)
            story.status = LeadStatus.CLOSED
            target.complaints.extend(story.complaints)
            for complaint in story.complaints:
                self._reply_soon(target, complaint, when, state="repeat")
            return
        if story.kind.referral is not None and rng.random() < 0.75:
            # Not ours: the command centre refers it at once (3 working days).
            if rng.random() < 0.05:
                when = self.clock.office_after(when, rng.randint(4, 7), rng)
                self.at(when, partial(self._refer, story, dispatcher, story.kind.referral))
                return
            self._refer(story, dispatcher, story.kind.referral, when)
            return
        story.lead = intake.lead_dispatch(
            lead=story.lead, actor=dispatcher, subdistrict=story.estate.estate.subdistrict, at=when
        )
        story.status, story.last_at = LeadStatus.DISPATCHED, when
        self._plan_visit(story, when)

    # On site ---------------------------------------------------------------------------------

    def _plan_visit(self, story: _Story, when: dt.datetime, *, second: bool = False) -> None:
        rng, clock = self.rng, self.clock
        stall = rng.random() < 0.07
        if story.kind.code == "illegal_construction" and not second:
            lead = story.lead
            if lead.ongoing:
                hours = rng.uniform(0.3, 1.7) if rng.random() < 0.9 else rng.uniform(2.2, 8)
            else:
                hours = rng.uniform(1, 20) if rng.random() < 0.9 else rng.uniform(25, 60)
            start = max(when, lead.received_at)
            moment = clock.later(start, hours * 60, FIELD, rng)
        else:
            days = _choose(rng, [0, 1, 2, 3, 4, 6, 9], [25, 30, 20, 10, 7, 5, 3])
            if stall:
                days = rng.randint(14, 45)
            moment = clock.office_after(when, days, rng)
        if stall and not story.tried_extension:
            self._maybe_extend(story, moment, when)
        self.at(moment, partial(self._visit, story))

    def _visit_record(
        self, story: _Story, when: dt.datetime, *, found: bool, text: str
    ) -> intake.Visit:
        rng = self.rng
        earliest = story.last_at + dt.timedelta(minutes=1)
        inspected = max(earliest, when - dt.timedelta(minutes=rng.uniform(15, 90)))
        party: dict[str, str] = {}
        if found:
            company = story.estate.company
            if story.kind.code in ("property_negligence", "household_waste") and company:
                party = {
                    "party_kind": PartyKind.ORGANISATION,
                    "party_name": company.name,
                    "party_uscc": company.uscc,
                }
            else:
                party = {"party_kind": PartyKind.PERSON, "party_name": words.person_name(rng)}
        return intake.Visit(
            inspected_at=inspected,
            place=words.spot(story.place, rng),
            findings=text,
            violation_found=found,
            **party,
        )

    def _officer(self, story: _Story) -> User:
        return self.cast.officers[story.subdistrict_id]

    def _visit(self, story: _Story, when: dt.datetime) -> None:
        rng = self.rng
        if story.status != LeadStatus.DISPATCHED:
            return
        officer = self._officer(story)
        if story.kind.referral is not None:
            self._refer(story, officer, story.kind.referral, when)
            return
        if not story.reopened and story.lead.on_site_at is None and rng.random() < 0.08:
            visit = self._visit_record(story, when, found=False, text=rng.choice(words.NOT_AT_HOME))
            story.lead = intake.lead_record_visit(
                lead=story.lead, actor=officer, visit=visit, at=when
            )
            story.last_at = when
            self._plan_visit(story, when, second=True)
            return
        weights = DECISIONS.get(story.kind.code, DECISIONS_DEFAULT)
        if story.reopened:
            weights = (0.3, 0.7, 0.0, 0.0, 0.0)
        elif story.kind.code not in words.ASSISTANCE:
            weights = (weights[0], weights[1], 0.0, weights[3], weights[4])
        decision = _choose(rng, ["none", "rectify", "assist", "filing", "refer"], list(weights))
        if decision == "none":
            self._close_no_violation(story, when)
        elif decision == "rectify":
            self._order_rectification(story, when)
        elif decision == "assist":
            texts = story.kind.texts
            visit = self._visit_record(
                story, when, found=True, text=words.findings(texts, found=True, rng=rng)
            )
            story.lead = intake.lead_record_visit(
                lead=story.lead, actor=officer, visit=visit, at=when
            )
            story.last_at = when
            moment = self.clock.later(when, rng.uniform(40, 240), OFFICE, rng)
            self.at(moment, partial(self._request_assistance, story))
        elif decision == "filing":
            texts = story.kind.texts
            visit = self._visit_record(
                story, when, found=True, text=words.findings(texts, found=True, rng=rng)
            )
            story.lead = intake.lead_record_visit(
                lead=story.lead, actor=officer, visit=visit, at=when
            )
            story.last_at = when
            moment = self.clock.later(when, rng.uniform(60, 600), OFFICE, rng)
            self.at(moment, partial(self._hand_to_filing, story))
        elif "property" in self.referral_kinds:
            self._refer(
                story, officer, self.referral_kinds["property"].referral, when, own_problem=True
            )
        else:
            self._order_rectification(story, when)

    def _close_no_violation(self, story: _Story, when: dt.datetime, *, reason: str = "") -> None:
        rng = self.rng
        text = reason or words.findings(story.kind.texts, found=False, rng=rng)
        visit = self._visit_record(story, when, found=False, text=text)
        story.lead = intake.lead_close_no_violation(
            lead=story.lead,
            actor=self._officer(story),
            visit=visit,
            reason=reason or rng.choice(words.NO_VIOLATION_REASONS),
            at=when,
        )
        self._closed(story, when, "no_violation")

    def _closed(self, story: _Story, when: dt.datetime, state: str) -> None:
        story.status, story.last_at, story.reply_state = LeadStatus.CLOSED, when, state
        self.open.pop(story.lead.pk, None)
        self._replies_after_step(story, when)
        if (
            state in ("no_violation", "rectified")
            and not story.reopened
            and self.rng.random() < 0.015
        ):
            moment = self.clock.later(when, self.rng.uniform(2, 10) * 24 * 60, DUTY, self.rng)
            self.at(moment, partial(self._reopen, story))

    def _order_rectification(self, story: _Story, when: dt.datetime) -> None:
        rng, clock = self.rng, self.clock
        texts = story.kind.texts
        low, high = RECTIFY_DAYS.get(story.kind.code, RECTIFY_DEFAULT)
        today = clock.local(when).date()
        rectify_by = clock.working_day_after(today + dt.timedelta(days=rng.randint(low, high)), 0)
        visit = self._visit_record(
            story,
            when,
            found=True,
            text=words.findings(texts, found=True, rng=rng)
            + f"当场下达责令改正通知，要求{texts.order}。",
        )
        story.lead = intake.lead_order_rectification(
            lead=story.lead, actor=self._officer(story), visit=visit, rectify_by=rectify_by, at=when
        )
        story.status, story.last_at, story.reply_state = LeadStatus.RECTIFYING, when, "rectifying"
        self._replies_after_step(story, when)
        roll = rng.random()
        if roll < 0.15:  # corrected early, re-inspected before the date
            day = clock.working_day_after(today, rng.randint(1, 3))
            day = min(day, rectify_by)
        elif roll < 0.87:
            day = rectify_by
        elif roll < 0.96:
            day = clock.working_day_after(rectify_by, rng.randint(1, 3))
        else:
            day = clock.working_day_after(rectify_by, rng.randint(10, 40))
        moment = clock.office_time(day, rng)
        if moment <= when:
            moment = clock.office_after(when, 1, rng)
        self.at(moment, partial(self._reinspect, story))

    def _reinspect(self, story: _Story, when: dt.datetime) -> None:
        rng = self.rng
        corrected = rng.random() < 0.92
        text = words.reinspection_findings(story.kind.texts, corrected=corrected, rng=rng)
        visit = self._visit_record(story, when, found=not corrected, text=text)
        story.lead = intake.lead_reinspect(
            lead=story.lead, actor=self._officer(story), visit=visit, corrected=corrected, at=when
        )
        if corrected:
            self._closed(story, when, "rectified")
        else:
            self._to_filing(story, when)

    def _hand_to_filing(self, story: _Story, when: dt.datetime) -> None:
        if story.status != LeadStatus.DISPATCHED:
            return
        story.lead = intake.lead_hand_to_filing(
            lead=story.lead,
            actor=self._officer(story),
            reason=self.rng.choice(words.FILING_REASONS),
            at=when,
        )
        self._to_filing(story, when)

    def _to_filing(self, story: _Story, when: dt.datetime) -> None:
        story.status, story.last_at, story.reply_state = LeadStatus.TO_FILING, when, "to_filing"
        self.open.pop(story.lead.pk, None)
        self._replies_after_step(story, when)

    def _reopen(self, story: _Story, when: dt.datetime) -> None:
        if story.status != LeadStatus.CLOSED:
            return
        story.lead = intake.lead_reopen(
            lead=story.lead,
            actor=self.cast.dispatcher,
            reason=self.rng.choice(words.REOPEN_REASONS),
            at=when,
        )
        story.status, story.last_at, story.reopened = LeadStatus.DISPATCHED, when, True
        self.open[story.lead.pk] = story
        self.at(
            self.clock.office_after(when, self.rng.randint(0, 2), self.rng),
            partial(self._visit, story),
        )

    # Extensions ------------------------------------------------------------------------------

    def _maybe_extend(self, story: _Story, planned: dt.datetime, when: dt.datetime) -> None:
        """An officer who will be late asks for more time before the deadline; most are
        approved."""
        rng = self.rng
        if rng.random() >= 0.4:
            return
        story.tried_extension = True
        due_at, rule_code, extension_days = Lead.objects.values_list(
            "due_at", "due_rule__code", "extension_days"
        ).get(pk=story.lead.pk)
        if due_at is None or rule_code != CLUE_RULE or extension_days or planned <= due_at:
            return
        day = self.clock.local(due_at).date()
        ask_day = self.clock.working_day_after(day - dt.timedelta(days=rng.randint(3, 5)), 0)
        moment = self.clock.office_time(ask_day, rng)
        if moment <= when or moment >= due_at:
            return
        self.at(moment, partial(self._ask_extension, story))

    def _ask_extension(self, story: _Story, when: dt.datetime) -> None:
        if story.status not in (LeadStatus.DISPATCHED, LeadStatus.AWAITING_ASSISTANCE):
            return
        lead = Lead.objects.get(pk=story.lead.pk)
        request = supervision.extension_request(
            lead=lead,
            actor=self._officer(story),
            days=EXTENSION_DAYS,
            reason=self.rng.choice(words.EXTENSION_REASONS),
            at=when,
        )
        moment = self.clock.later(when, self.rng.uniform(30, 600), DUTY, self.rng)
        self.at(moment, partial(self._decide_extension, story, request))

    def _decide_extension(
        self, story: _Story, request: ExtensionRequest, when: dt.datetime
    ) -> None:
        approve = self.rng.random() < 0.85
        supervision.extension_decide(
            extension=request,
            actor=self.rng.choice(self.cast.approvers),
            approve=approve,
            note="同意延期。" if approve else self.rng.choice(words.EXTENSION_REFUSALS),
            at=when,
        )

    # Assistance ------------------------------------------------------------------------------

    def _request_assistance(self, story: _Story, when: dt.datetime) -> None:
        rng, clock = self.rng, self.clock
        if story.status != LeadStatus.DISPATCHED:
            return
        options = [o for o in words.ASSISTANCE[story.kind.code] if o[0] in self.cast.liaisons]
        if not options:
            self._order_rectification(story, when)
            return
        code, kind, request, answer = rng.choice(options)
        department = self.cast.departments[code]
        item = referrals.lead_request_assistance(
            lead=story.lead,
            actor=self._officer(story),
            department=department,
            kind=kind,
            request=request.format(a=story.place.flat),
            at=when,
        )
        self.created["assistance"].append(item.pk)
        story.assistance, story.department = item, department.short_name or department.name
        story.assistance_answer = answer.format(a=story.place.flat, n=rng.randint(2, 12))
        story.status, story.last_at, story.reply_state = (
            LeadStatus.AWAITING_ASSISTANCE,
            when,
            "assistance",
        )
        self._replies_after_step(story, when)
        liaison = self.cast.liaisons[code]
        roll = rng.random()
        if roll < 0.05:  # no answer for weeks
            self.at(
                clock.office_after(when, rng.randint(0, 1), rng),
                partial(self._assistance_receive, story, liaison),
            )
            days = rng.randint(25, 60)
        else:
            if rng.random() < 0.8:
                self.at(
                    clock.office_after(when, rng.randint(0, 1), rng),
                    partial(self._assistance_receive, story, liaison),
                )
            days = rng.randint(2, 9) if roll < 0.87 else rng.randint(11, 20)
        moment = clock.day_after(when, days, OFFICE, rng)
        decision_at = clock.office_after(moment, rng.randint(1, 3), rng)
        self._maybe_extend(story, decision_at, when)
        self.at(moment, partial(self._assistance_answer, story, liaison))

    def _assistance_receive(self, story: _Story, liaison: User, when: dt.datetime) -> None:
        item = story.assistance
        if item is None or story.status != LeadStatus.AWAITING_ASSISTANCE:
            return
        story.assistance = referrals.assistance_receive(request=item, actor=liaison, at=when)

    def _assistance_answer(self, story: _Story, liaison: User, when: dt.datetime) -> None:
        item = story.assistance
        if item is None or story.status != LeadStatus.AWAITING_ASSISTANCE:
            return
        story.assistance = referrals.assistance_answer(
            request=item, actor=liaison, answer=story.assistance_answer, at=when
        )
        story.status, story.last_at = LeadStatus.DISPATCHED, when
        moment = self.clock.office_after(when, self.rng.randint(1, 3), self.rng)
        self.at(moment, partial(self._decide_after_assistance, story))

    def _decide_after_assistance(self, story: _Story, when: dt.datetime) -> None:
        if story.status != LeadStatus.DISPATCHED:
            return
        decision = _choose(self.rng, ["rectify", "filing", "none"], [60, 22, 18])
        if decision == "rectify":
            self._order_rectification(story, when)
        elif decision == "filing":
            self._hand_to_filing(story, when)
        else:
            self._close_no_violation(story, when)

    # Referrals -------------------------------------------------------------------------------

    def _refer(
        self,
        story: _Story,
        actor: User,
        texts: ReferralTexts | None,
        when: dt.datetime,
        *,
        own_problem: bool = False,
    ) -> None:
        """Refer the matter. `own_problem`: the matter is the lead's own violation found on
        site (e.g. a property company's failure), described in the lead's own words."""
        assert texts is not None
        if story.status not in (LeadStatus.PENDING_DISPATCH, LeadStatus.DISPATCHED):
            return
        department = self.cast.departments[texts.target]
        name = department.short_name or department.name
        referral = referrals.lead_refer(
            lead=story.lead,
            actor=actor,
            department=department,
            matter=words.referral_matter(
                story.kind.texts if own_problem else texts.texts, story.place, name, self.rng
            ),
            target_code=texts.target,
            at=when,
        )
        self.created["referrals"].append(referral.pk)
        story.referral, story.referral_texts, story.department = referral, texts, name
        story.referral_department = texts.target
        story.status, story.last_at, story.reply_state = LeadStatus.REFERRED, when, "referred"
        self.open.pop(story.lead.pk, None)
        self._replies_after_step(story, when)
        self._plan_referral(story, when, may_return=not story.returned_once)

    def _plan_referral(self, story: _Story, when: dt.datetime, *, may_return: bool) -> None:
        rng, clock = self.rng, self.clock
        liaison = self.cast.liaisons[story.referral_department]
        stall = rng.random() < 0.05
        receive_days = rng.randint(20, 50) if stall else rng.randint(0, 1)
        received = clock.office_after(when, receive_days, rng)
        self.at(received, partial(self._referral_receive, story, liaison))
        if may_return and rng.random() < 0.12:
            moment = clock.office_after(received, rng.randint(0, 3), rng)
            self.at(moment, partial(self._referral_return, story, liaison))
            return
        roll = rng.random()
        days = rng.randint(2, 12) if roll < 0.86 else rng.randint(16, 30)
        if roll >= 0.96:
            days = rng.randint(35, 80)
        moment = max(clock.office_after(when, days, rng), received + dt.timedelta(hours=1))
        self.at(moment, partial(self._referral_answer, story, liaison))

    def _referral_receive(self, story: _Story, liaison: User, when: dt.datetime) -> None:
        referral = story.referral
        if referral is None or referral.status != ReferralStatus.SENT:
            return
        story.referral = referrals.referral_receive(referral=referral, actor=liaison, at=when)

    def _referral_answer(self, story: _Story, liaison: User, when: dt.datetime) -> None:
        referral = story.referral
        if referral is None or referral.status != ReferralStatus.RECEIVED:
            return
        assert story.referral_texts is not None
        story.referral = referrals.referral_answer(
            referral=referral,
            actor=liaison,
            answer=self.rng.choice(story.referral_texts.answers),
            at=when,
        )
        story.status, story.last_at = LeadStatus.CLOSED, when

    def _referral_return(self, story: _Story, liaison: User, when: dt.datetime) -> None:
        referral = story.referral
        if referral is None or referral.status not in (
            ReferralStatus.SENT,
            ReferralStatus.RECEIVED,
        ):
            return
        assert story.referral_texts is not None
        story.referral = referrals.referral_return(
            referral=referral,
            actor=liaison,
            reason=self.rng.choice(story.referral_texts.return_reasons),
            at=when,
        )
        story.returned_once = True
        self.at(self._consultation_after(when), partial(self._referral_decide, story))

    def _consultation_after(self, moment: dt.datetime) -> dt.datetime:
        """Returned referrals are decided at the bureau's consultation (会商) every other
        Thursday (or the next working day), once the department's reasons have been checked
        for two working days."""
        day = self.clock.working_day_after(self.clock.local(moment).date(), 2)
        while day.weekday() != 3 or day.isocalendar().week % 2:
            day += dt.timedelta(days=1)
        day = self.clock.working_day_after(day, 0)
        return self.clock.make(day, 14 * 60 + self.rng.randint(0, 150))

    def _referral_decide(self, story: _Story, when: dt.datetime) -> None:
        rng, dispatcher = self.rng, self.cast.dispatcher
        referral = story.referral
        assert referral is not None and story.referral_texts is not None
        alternative = story.referral_texts.alternative
        roll = rng.random()
        if roll < 0.35 and story.lead.team_id is not None:
            story.referral = referrals.referral_withdraw(
                referral=referral,
                actor=dispatcher,
                reason=rng.choice(words.WITHDRAW_REASONS),
                at=when,
            )
            story.status, story.last_at, story.reply_state = LeadStatus.DISPATCHED, when, "pending"
            moment = self.clock.office_after(when, rng.randint(1, 3), rng)
            self.at(moment, partial(self._close_withdrawn, story))
        elif roll < 0.7 and alternative in self.cast.liaisons:
            department = self.cast.departments[alternative]
            story.referral = referrals.referral_redirect(
                referral=referral, actor=dispatcher, department=department, at=when
            )
            self.created["referrals"].append(story.referral.pk)
            story.department = department.short_name or department.name
            story.referral_department, story.last_at = alternative, when
            self._plan_referral(story, when, may_return=False)
        else:
            story.referral = referrals.referral_resend(
                referral=referral,
                actor=dispatcher,
                reason=rng.choice(words.RESEND_REASONS),
                at=when,
            )
            story.last_at = when
            self._plan_referral(story, when, may_return=False)

    def _close_withdrawn(self, story: _Story, when: dt.datetime) -> None:
        if story.status != LeadStatus.DISPATCHED:
            return
        self._close_no_violation(story, when, reason=words.WITHDRAWN_CLOSING)


# ---------------------------------------------------------------------------------------------
# Loading


def _cast(district: District) -> _Cast | None:
    users = list(
        User.objects.filter(district=district, is_demo=True, is_active=True)
        .select_related("department")
        .order_by("username")
    )
    dispatchers = [u for u in users if u.role == Role.DISPATCHER]
    if not dispatchers:
        return None
    leaders = [u for u in users if u.role == Role.LEADER]

    def by(role: str, key: str) -> dict[Any, User]:
        found: dict[Any, User] = {}
        for user in users:
            value = getattr(user, key)
            if user.role == role and value is not None:
                found.setdefault(value, user)
        return found

    departments = {d.code: d for d in Department.objects.filter(district=district, is_active=True)}
    liaisons = {
        u.department.code: u
        for u in users
        if u.role == Role.LIAISON and u.department is not None and u.department.code in departments
    }
    return _Cast(
        dispatcher=dispatchers[0],
        approvers=[dispatchers[0], *leaders[:1]],
        officers=by(Role.OFFICER, "subdistrict_id"),
        managers=by(Role.SUBDISTRICT_MANAGER, "subdistrict_id"),
        liaisons=liaisons,
        departments=departments,
        property_staff=by(Role.PROPERTY_STAFF, "property_company_id"),
        studio_members=by(Role.STUDIO_MEMBER, "studio_id"),
    )


def _estates(district: District, cast: _Cast) -> list[_Estate]:
    estates = (
        Estate.objects.filter(
            district=district,
            is_demo=True,
            subdistrict_id__in=list(cast.officers),
            residents__gt=0,
        )
        .select_related("district", "subdistrict", "property_company", "project_manager")
        .prefetch_related("addresses", "studios")
        .order_by("pk")
    )
    result = []
    for estate in estates:
        lanes = sorted(a.address for a in estate.addresses.all())
        if not lanes:
            continue
        studios = sorted((s for s in estate.studios.all() if s.is_demo), key=lambda s: s.pk)
        company = estate.property_company
        year = estate.build_year or 2000
        if len(lanes) == 1 and lanes[0].endswith("号"):
            floors = 18  # a single block (大楼)
        else:
            floors = 6 if year < 1990 else (12 if year < 2005 else 24)
        result.append(
            _Estate(
                estate=estate,
                lanes=lanes,
                buildings=estate.buildings or 1,
                floors=floors,
                company=company if company is not None and company.is_demo else None,
                studio=studios[0] if studios else None,
            )
        )
    return result


def _kinds(cast: _Cast) -> tuple[list[Kind], dict[str, Kind]]:
    types = {vt.code: vt for vt in ViolationType.objects.effective()}
    targets = {
        t.code: t.department.code
        for t in ReferralTarget.objects.effective().select_related("department")
        if t.department is not None
    }
    kinds = [
        Kind(code=code, texts=words.VIOLATIONS[code], weight=w, violation_type=types[code])
        for code, w in VIOLATION_WEIGHTS.items()
        if code in types
    ]
    referral_kinds = {}
    for code, w in REFERRAL_WEIGHTS.items():
        texts = words.REFERRALS[code]
        department = targets.get(texts.target)
        if department is None or department not in cast.liaisons:
            continue
        referral_kinds[code] = Kind(code=code, texts=texts.texts, weight=w, referral=texts)
    return kinds + list(referral_kinds.values()), referral_kinds


def _foreign_overdue(now: dt.datetime) -> bool:
    """Whether records that are not demo data are past their deadline and not yet marked: a
    sweep would mark them, so it is left to `xiaoqu sweep`."""
    open_leads = Lead.objects.filter(
        is_demo=False, status__in=list(OPEN_LEAD_STATUSES), due_at__lt=now, overdue_at__isnull=True
    )
    open_referrals = Referral.objects.filter(
        is_demo=False,
        status__in=list(OPEN_REFERRAL_STATUSES),
        due_at__lt=now,
        overdue_at__isnull=True,
    )
    open_assistance = AssistanceRequest.objects.filter(
        is_demo=False,
        status__in=list(OPEN_ASSISTANCE_STATUSES),
        due_at__lt=now,
        overdue_at__isnull=True,
    )
    unreplied = Complaint.objects.filter(
        is_demo=False,
        reply_due_at__lt=now,
        replied_at__isnull=True,
        reply_overdue_at__isnull=True,
    )
    return any(qs.exists() for qs in (open_leads, open_referrals, open_assistance, unreplied))


def _flag(created: dict[str, list[int]]) -> None:
    """Label everything generated as demo data (a queryset update: the chains are untouched)."""
    models: dict[str, Any] = {
        "complaints": Complaint,
        "leads": Lead,
        "referrals": Referral,
        "assistance": AssistanceRequest,
    }
    for key, model in models.items():
        pks = created[key]
        for i in range(0, len(pks), 500):
            model._default_manager.filter(pk__in=pks[i : i + 500]).update(is_demo=True)


def _tidy_notifications(first_pk: int, now: dt.datetime) -> None:
    """Notifications written during the generation: those for users who are not demo users
    are removed, and the demo users have read all but the last few days'."""
    written = Notification.objects.filter(pk__gt=first_pk)
    written.filter(recipient__is_demo=False).delete()
    written.filter(created_at__lt=now - dt.timedelta(days=3)).update(
        read_at=F("created_at") + dt.timedelta(hours=2)
    )


def history_summary(*, district: District, now: dt.datetime, result: HistoryResult) -> None:
    """Fill `result` with the figures of the demo history in the database."""
    complaints = Complaint.objects.filter(district=district, is_demo=True)
    leads = Lead.objects.filter(district=district, is_demo=True)
    referral_rows = Referral.objects.filter(lead__district=district, is_demo=True)
    assistance_rows = AssistanceRequest.objects.filter(lead__district=district, is_demo=True)
    result.complaints = complaints.count()
    result.repeats = complaints.filter(is_repeat=True).count()
    result.channels = Counter(dict(_counts(complaints, "channel")))
    result.leads = Counter(dict(_counts(leads, "status")))
    result.outcomes = Counter(dict(_counts(leads.exclude(outcome=""), "outcome")))
    result.referrals = Counter(dict(_counts(referral_rows, "status")))
    result.assistance = Counter(dict(_counts(assistance_rows, "status")))
    result.overdue = Counter(
        {
            "leads": leads.filter(status__in=list(OPEN_LEAD_STATUSES), due_at__lt=now).count(),
            "referrals": referral_rows.filter(
                status__in=list(OPEN_REFERRAL_STATUSES), due_at__lt=now
            ).count(),
            "assistance": assistance_rows.filter(
                status__in=list(OPEN_ASSISTANCE_STATUSES), due_at__lt=now
            ).count(),
            "replies": complaints.filter(reply_due_at__lt=now, replied_at__isnull=True).count(),
            "marked": leads.filter(
                status__in=list(OPEN_LEAD_STATUSES), overdue_at__isnull=False
            ).count(),
        }
    )
    result.extensions = ExtensionRequest.objects.filter(lead__in=leads).count()
    result.urge_notices = sum(
        UrgeNotice.objects.filter(
            record_type=ContentType.objects.get_for_model(rows.model),
            record_id__in=rows.values("pk"),
        ).count()
        for rows in (leads, complaints, referral_rows, assistance_rows)
    )


def _counts(queryset: Any, field_name: str) -> list[tuple[str, int]]:
    from django.db.models import Count

    return [
        (row[field_name], row["n"])
        for row in queryset.order_by().values(field_name).annotate(n=Count("pk"))
    ]


def history_generate(
    *,
    district: District,
    months: int = DEFAULT_MONTHS,
    seed: int = DEMO_SEED,
    now: dt.datetime | None = None,
    sweeps: bool = True,
) -> HistoryResult:
    """Generate `months` of history about the district's demo estates, once; returns what
    the demo history holds. `sweeps`: run the supervision sweep every night of the history
    and at the end."""
    started = time.monotonic()
    moment = (now or timezone.now()).replace(microsecond=0)
    result = HistoryResult(months=months, now=moment)
    if months < 1:
        raise ValueError("months must be at least 1")
    if Complaint.objects.filter(district=district, is_demo=True).exists():
        result.skipped = "already"
    cast = None if result.skipped else _cast(district)
    if not result.skipped and cast is None:
        result.skipped = "no_users"
    estates = _estates(district, cast) if cast is not None else []
    if cast is not None and not estates:
        result.skipped = "no_estates"
    if result.skipped or cast is None:
        history_summary(district=district, now=moment, result=result)
        result.seconds = time.monotonic() - started
        return result
    if not sweeps:
        result.sweep = "off"
    elif _foreign_overdue(moment):
        result.sweep = "foreign"
    start = months_before(moment, months)
    clock = Clock(since=timezone.localtime(start).date() - dt.timedelta(days=7))
    kinds, referral_kinds = _kinds(cast)
    blocked = set(
        Lead.objects.filter(
            is_demo=False, status__in=list(OPEN_LEAD_STATUSES), estate__isnull=False
        ).values_list("estate_id", "violation_type__code")
    )
    simulation = _Simulation(
        rng=random.Random(seed),
        clock=clock,
        start=start,
        now=moment,
        cast=cast,
        estates=estates,
        kinds=kinds,
        referral_kinds=referral_kinds,
        blocked=blocked,
        sweeps=not result.sweep,
    )
    first_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    with transaction.atomic():
        simulation.run()
        _flag(simulation.created)
        if not result.sweep:
            supervision.sweep(at=moment)
            result.sweep = "ran"
        _tidy_notifications(first_notification or 0, moment)
    result.created = True
    history_summary(district=district, now=moment, result=result)
    result.seconds = time.monotonic() - started
    return result


__all__ = [
    "DEFAULT_MONTHS",
    "HistoryResult",
    "Kind",
    "history_generate",
    "history_summary",
    "months_before",
]

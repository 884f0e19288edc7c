"""Reads of supervision, through the user's jurisdiction. Every figure is read from the
records' stored deadlines: an item is overdue now when it is open and its deadline passed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.departments.models import Department
from xiaoqu.intake.choices import OPEN_LEAD_STATUSES
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.meetings.models import ActionItem
from xiaoqu.referrals.choices import (
    OPEN_ASSISTANCE_STATUSES,
    OPEN_REFERRAL_STATUSES,
    ReferralStatus,
)
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.regions.models import Subdistrict

from .choices import ExtensionStatus
from .models import ExtensionRequest, UrgeNotice

# kind -> model, for urls that name a record ("lead", 12)
RECORD_KINDS: dict[str, type[models.Model]] = {
    "lead": Lead,
    "referral": Referral,
    "assistance": AssistanceRequest,
    "complaint": Complaint,
    "action_item": ActionItem,
}


def kind_of(record: models.Model) -> str:
    for kind, model in RECORD_KINDS.items():
        if isinstance(record, model):
            return kind
    raise TypeError(f"not a supervised record: {record!r}")


def overdue_leads(*, user: Any, now: dt.datetime) -> QuerySet[Lead]:
    return Lead.objects.restrict(user).filter(status__in=list(OPEN_LEAD_STATUSES), due_at__lt=now)


def overdue_referrals(*, user: Any, now: dt.datetime) -> QuerySet[Referral]:
    return Referral.objects.restrict(user).filter(
        status__in=list(OPEN_REFERRAL_STATUSES), due_at__lt=now
    )


def overdue_assistance(*, user: Any, now: dt.datetime) -> QuerySet[AssistanceRequest]:
    return AssistanceRequest.objects.restrict(user).filter(
        status__in=list(OPEN_ASSISTANCE_STATUSES), due_at__lt=now
    )


def overdue_replies(*, user: Any, now: dt.datetime) -> QuerySet[Complaint]:
    return Complaint.objects.restrict(user).filter(reply_due_at__lt=now, replied_at__isnull=True)


@dataclass(frozen=True)
class OverdueItem:
    kind: str
    kind_label: str
    record: Any
    number: str
    due_at: dt.datetime
    marked_at: dt.datetime | None  # when the sweep marked it
    rule: Any
    subdistrict: Subdistrict | None
    department: Department | None
    responsible: str
    url: str
    now: dt.datetime

    @property
    def late(self) -> dt.timedelta:
        return self.now - self.due_at

    @property
    def late_text(self) -> str:
        from .services import lateness

        return lateness(self.late)


@dataclass
class Group:
    key: Any  # a Subdistrict, a Department, or None
    leads: int = 0
    referrals: int = 0
    assistance: int = 0
    replies: int = 0
    oldest: dt.datetime | None = None

    @property
    def total(self) -> int:
        return self.leads + self.referrals + self.assistance + self.replies

    def add(self, kind: str, n: int, oldest: dt.datetime | None) -> None:
        setattr(self, kind, getattr(self, kind) + n)
        if oldest is not None and (self.oldest is None or oldest < self.oldest):
            self.oldest = oldest


@dataclass
class Board:
    now: dt.datetime
    items: list[OverdueItem]
    total: int
    by_subdistrict: list[Group]
    by_department: list[Group]
    counts: dict[str, int] = field(default_factory=dict)


def _groups(
    rows: Iterable[tuple[str, Any, int, dt.datetime | None]], keys: dict[Any, Any]
) -> list[Group]:
    groups: dict[Any, Group] = {}
    for kind, key, n, oldest in rows:
        group = groups.setdefault(key, Group(keys.get(key)))
        group.add(kind, n, oldest)
    # most items first, then the oldest deadline
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(groups.values(), key=lambda g: (-g.total, g.oldest or far))


def board(
    *,
    user: Any,
    now: dt.datetime | None = None,
    subdistrict: int | None = None,
    department: int | None = None,
    kind: str | None = None,
    limit: int = 200,
) -> Board:
    """Overdue items now, grouped by subdistrict and by department, oldest first."""
    moment = now or timezone.now()
    querysets: dict[str, QuerySet[Any]] = {
        "leads": overdue_leads(user=user, now=moment),
        "referrals": overdue_referrals(user=user, now=moment),
        "assistance": overdue_assistance(user=user, now=moment),
        "replies": overdue_replies(user=user, now=moment),
    }
    due_field = {"replies": "reply_due_at"}
    subdistrict_path = {"leads": "subdistrict", "replies": "lead__subdistrict"}

    # Groups: counts in the database, not in Python.
    sd_rows: list[tuple[str, Any, int, dt.datetime | None]] = []
    dept_rows: list[tuple[str, Any, int, dt.datetime | None]] = []
    for name, qs in querysets.items():
        due = due_field.get(name, "due_at")
        sd_path = subdistrict_path.get(name, "lead__subdistrict")
        for row in qs.order_by().values(sd_path).annotate(n=Count("pk"), oldest=Min(due)):
            sd_rows.append((name, row[sd_path], row["n"], row["oldest"]))
        if name in ("referrals", "assistance"):
            for row in qs.order_by().values("department").annotate(n=Count("pk"), oldest=Min(due)):
                dept_rows.append((name, row["department"], row["n"], row["oldest"]))
    subdistricts = {s.pk: s for s in Subdistrict.objects.filter(pk__in={r[1] for r in sd_rows})}
    departments = {d.pk: d for d in Department.objects.filter(pk__in={r[1] for r in dept_rows})}

    # The items, filtered as asked, oldest deadline first.
    if subdistrict:
        for name in querysets:
            querysets[name] = querysets[name].filter(
                **{subdistrict_path.get(name, "lead__subdistrict"): subdistrict}
            )
    if department:
        querysets = {
            n: qs.filter(department=department)
            for n, qs in querysets.items()
            if n in ("referrals", "assistance")
        }
    if kind:
        querysets = {n: qs for n, qs in querysets.items() if n == kind}
    counts = {n: qs.count() for n, qs in querysets.items()}
    items: list[OverdueItem] = []
    for lead in (
        querysets["leads"].select_related("subdistrict", "due_rule").order_by("due_at")[:limit]
        if "leads" in querysets
        else []
    ):
        assert lead.due_at is not None
        items.append(
            OverdueItem(
                "lead",
                str(_("lead")),
                lead,
                lead.number,
                lead.due_at,
                lead.overdue_at,
                lead.due_rule,
                lead.subdistrict,
                None,
                str(lead.subdistrict or _("the command centre")),
                lead.get_absolute_url(),
                moment,
            )
        )
    for name, label in (("referrals", _("referral")), ("assistance", _("assistance request"))):
        if name not in querysets:
            continue
        rows = querysets[name].select_related("lead__subdistrict", "department", "due_rule")
        for record in rows.order_by("due_at")[:limit]:
            returned = getattr(record, "status", None) == ReferralStatus.RETURNED
            items.append(
                OverdueItem(
                    "referral" if name == "referrals" else "assistance",
                    str(label),
                    record,
                    record.number,
                    record.due_at,
                    record.overdue_at,
                    record.due_rule,
                    record.lead.subdistrict,
                    record.department,
                    str(_("the command centre")) if returned else record.department.name,
                    record.get_absolute_url(),
                    moment,
                )
            )
    if "replies" in querysets:
        rows = querysets["replies"].select_related("lead__subdistrict", "reply_rule")
        for complaint in rows.order_by("reply_due_at")[:limit]:
            assert complaint.reply_due_at is not None
            sd = complaint.lead.subdistrict if complaint.lead else None
            items.append(
                OverdueItem(
                    "complaint",
                    str(_("reply to the reporter")),
                    complaint,
                    complaint.number,
                    complaint.reply_due_at,
                    complaint.reply_overdue_at,
                    complaint.reply_rule,
                    sd,
                    None,
                    str(sd or _("the command centre")),
                    complaint.get_absolute_url(),
                    moment,
                )
            )
    items.sort(key=lambda i: i.due_at)
    return Board(
        now=moment,
        items=items[:limit],
        total=sum(counts.values()),
        by_subdistrict=_groups(sd_rows, subdistricts),
        by_department=_groups(dept_rows, departments),
        counts=counts,
    )


def pending_extensions(*, user: Any) -> QuerySet[ExtensionRequest]:
    return (
        ExtensionRequest.objects.restrict(user)
        .filter(status=ExtensionStatus.PENDING)
        .select_related("lead", "lead__subdistrict", "lead__due_rule", "requested_by")
        .order_by("requested_at", "pk")
    )


def urge_notice_list(*, user: Any) -> QuerySet[UrgeNotice]:
    return UrgeNotice.objects.restrict(user).select_related(
        "record_type", "subdistrict", "department", "issued_by", "rule"
    )


def record_urge_notices(*, record: models.Model, user: Any) -> QuerySet[UrgeNotice]:
    record_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    return urge_notice_list(user=user).filter(record_type=record_type, record_id=record.pk)

"""Reads of referrals and assistance requests, always through the user's jurisdiction: a
liaison sees what was addressed to his department, an officer his subdistrict's, the
command centre the district's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from .choices import OPEN_ASSISTANCE_STATUSES, OPEN_REFERRAL_STATUSES
from .models import AssistanceRequest, Referral

RELATED = (
    "lead",
    "lead__estate",
    "lead__subdistrict",
    "lead__violation_type",
    "department",
    "due_rule",
    "sent_by",
)


ORDER = ("open_rank", F("due_at").asc(nulls_last=True), "-sent_at", "-pk")


def _annotated(qs: QuerySet[Any], open_statuses: frozenset[str], now: dt.datetime) -> Any:
    is_open = Q(status__in=list(open_statuses))
    return qs.annotate(
        open_rank=Case(When(is_open, then=Value(0)), default=Value(1), output_field=IntegerField()),
        is_overdue=Case(
            When(is_open & Q(due_at__lt=now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def referral_list(*, user: Any, now: dt.datetime | None = None) -> QuerySet[Referral]:
    """Open first, the nearest deadline first, then the most recent."""
    qs = Referral.objects.restrict(user).select_related(*RELATED)
    return _annotated(qs, OPEN_REFERRAL_STATUSES, now or timezone.now()).order_by(*ORDER)


def assistance_list(*, user: Any, now: dt.datetime | None = None) -> QuerySet[AssistanceRequest]:
    qs = AssistanceRequest.objects.restrict(user).select_related(*RELATED)
    return _annotated(qs, OPEN_ASSISTANCE_STATUSES, now or timezone.now()).order_by(*ORDER)


@dataclass(frozen=True)
class InboxItem:
    record: Referral | AssistanceRequest
    kind: str  # "referral" | "assistance"

    @property
    def is_open(self) -> bool:
        return bool(getattr(self.record, "open_rank", 1) == 0)

    @property
    def is_overdue(self) -> bool:
        return bool(getattr(self.record, "is_overdue", False))


@dataclass
class Inbox:
    open: list[InboxItem]
    recent: list[InboxItem]

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.open if item.is_overdue)


def inbox(*, user: Any, recent: int = 20, now: dt.datetime | None = None) -> Inbox:
    """What awaits the user: open referrals and assistance requests in his jurisdiction (for a
    liaison, addressed to his department), nearest deadline first; then the latest finished."""
    moment = now or timezone.now()
    referrals = referral_list(user=user, now=moment)
    requests = assistance_list(user=user, now=moment)
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    open_r, open_a = list(OPEN_REFERRAL_STATUSES), list(OPEN_ASSISTANCE_STATUSES)
    open_items = [InboxItem(r, "referral") for r in referrals.filter(status__in=open_r)] + [
        InboxItem(a, "assistance") for a in requests.filter(status__in=open_a)
    ]
    open_items.sort(key=lambda i: (i.record.due_at or far, i.record.sent_at))
    done = [InboxItem(r, "referral") for r in referrals.exclude(status__in=open_r)[:recent]] + [
        InboxItem(a, "assistance") for a in requests.exclude(status__in=open_a)[:recent]
    ]
    done.sort(key=lambda i: i.record.sent_at, reverse=True)
    return Inbox(open=open_items, recent=done[:recent])

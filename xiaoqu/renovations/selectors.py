"""Reads of the renovation register, always through the user's jurisdiction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.roles import may_see_contacts

from .choices import RenovationStatus
from .models import Renovation, RenovationCheck

RECENTLY_FINISHED = dt.timedelta(days=30)


def renovation_list(*, user: Any) -> QuerySet[Renovation]:
    return (
        Renovation.objects.restrict(user)
        .select_related("estate", "subdistrict", "registered_by")
        .order_by("-start_date", "-pk")
    )


def status_q(status: str, day: dt.date) -> Q:
    """The rows of a computed status on `day`."""
    live = Q(cancelled_at__isnull=True)
    if status == RenovationStatus.CANCELLED:
        return Q(cancelled_at__isnull=False)
    if status == RenovationStatus.REGISTERED:
        return live & Q(start_date__gt=day)
    if status == RenovationStatus.IN_PROGRESS:
        return live & Q(start_date__lte=day, end_date__gte=day)
    if status == RenovationStatus.FINISHED:
        return live & Q(end_date__lt=day)
    return Q()


def may_see_owner(user: Any, renovation: Renovation) -> bool:
    """The owner's and contractor's phones: the company that registered them, and those who
    call people back (dispatchers, the subdistrict's officers). Masked for everyone else."""
    if user.role == Role.PROPERTY_STAFF:
        return user.property_company_id == renovation.estate.property_company_id
    return may_see_contacts(user, renovation.subdistrict_id)


def checks_for_complaint(*, user: Any, complaint: Any) -> QuerySet[RenovationCheck]:
    return RenovationCheck.objects.restrict(user).filter(complaint=complaint)


def checks_for_lead(*, user: Any, lead: Any) -> QuerySet[RenovationCheck]:
    return (
        RenovationCheck.objects.restrict(user)
        .filter(Q(lead=lead) | Q(complaint__lead=lead))
        .select_related("complaint", "renovation", "lead", "estate")
        .order_by("checked_at", "pk")
    )


@dataclass
class UnitRow:
    renovation: Renovation
    state: str  # registered | in_progress | structural | finished


@dataclass
class EstatePanel:
    buildings: list[tuple[str, list[UnitRow]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(rows) for _b, rows in self.buildings)


def _building_key(name: str) -> tuple[int, str]:
    return (int(name), "") if name.isdigit() else (10**6, name)


def estate_panel(*, user: Any, estate: Any, day: dt.date | None = None) -> EstatePanel:
    """Units under renovation at an estate, by building: registered not started, in progress,
    structural (in progress or about to start), finished in the last 30 days."""
    today = day or timezone.localdate()
    rows = (
        Renovation.objects.restrict(user)
        .filter(estate=estate, cancelled_at__isnull=True)
        .filter(end_date__gte=today - RECENTLY_FINISHED)
        .order_by("building", "room", "start_date")
    )
    by_building: dict[str, list[UnitRow]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        status = r.status_on(today)
        state = status
        if r.structural and status != RenovationStatus.FINISHED:
            state = "structural"
        by_building[r.building].append(UnitRow(r, state))
        counts[state] += 1
    return EstatePanel(
        buildings=sorted(by_building.items(), key=lambda kv: _building_key(kv[0])),
        counts=dict(counts),
    )


@dataclass
class CompanyRenovations:
    total: int
    registered: int
    in_progress: int
    structural_in_progress: int
    finished_recently: int


def company_renovations(*, user: Any, company: Any, day: dt.date | None = None) -> Any:
    today = day or timezone.localdate()
    qs = Renovation.objects.restrict(user).filter(estate__property_company=company)
    live = qs.filter(cancelled_at__isnull=True)
    return CompanyRenovations(
        total=qs.count(),
        registered=live.filter(status_q(RenovationStatus.REGISTERED, today)).count(),
        in_progress=live.filter(status_q(RenovationStatus.IN_PROGRESS, today)).count(),
        structural_in_progress=live.filter(
            status_q(RenovationStatus.IN_PROGRESS, today), structural=True
        ).count(),
        finished_recently=live.filter(
            end_date__lt=today, end_date__gte=today - RECENTLY_FINISHED
        ).count(),
    )

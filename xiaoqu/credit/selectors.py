"""Reads of credit demerits, always through the user's jurisdiction. Points are computed from
the confirmed proposals whose window covers the moment asked about: nothing is totalled in
advance, so no figure can drift from the records it comes from.

Figures count what the user may see: the district's roles and the housing liaison see the
whole district, an officer his subdistrict's cases, a property company its own record."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from xiaoqu.estates.models import Estate, ProjectManager, PropertyCompany
from xiaoqu.estates.selectors import company_list

from .choices import OPEN_PROPOSAL_STATUSES, ProposalStatus
from .models import DemeritProposal, DemeritRule

RELATED = (
    "estate",
    "company",
    "project_manager",
    "subdistrict",
    "department",
    "rule",
    "violation_type",
    "due_rule",
    "answered_by",
)
# Rank companies on points per estate only from this many estates on (no tiny samples).
MIN_ESTATES = 3


def proposal_list(*, user: Any, now: dt.datetime | None = None) -> QuerySet[DemeritProposal]:
    """Open first, the nearest deadline first, then the most recent."""
    moment = now or timezone.now()
    is_open = Q(status__in=list(OPEN_PROPOSAL_STATUSES))
    return (
        DemeritProposal.objects.restrict(user)
        .select_related(*RELATED)
        .annotate(
            open_rank=Case(
                When(is_open, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            is_overdue=Case(
                When(is_open & Q(due_at__lt=moment), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("open_rank", F("due_at").asc(nulls_last=True), "-proposed_at", "-pk")
    )


def counting(qs: QuerySet[DemeritProposal], on: dt.datetime) -> QuerySet[DemeritProposal]:
    """The confirmed proposals whose points count at `on`."""
    return qs.filter(status=ProposalStatus.CONFIRMED, counts_from__lte=on, counts_until__gt=on)


def company_points(
    *, company: PropertyCompany, on: dt.datetime | None = None, user: Any = None
) -> int:
    """The company's points counting at `on` (now by default); from the user's view when a
    user is given, from every record otherwise."""
    qs = DemeritProposal.objects.restrict(user) if user is not None else DemeritProposal.objects
    total = counting(qs.filter(company=company), on or timezone.now()).aggregate(
        s=Sum("company_points")
    )["s"]
    return int(total or 0)


def manager_points(
    *, manager: ProjectManager, on: dt.datetime | None = None, user: Any = None
) -> int:
    qs = DemeritProposal.objects.restrict(user) if user is not None else DemeritProposal.objects
    total = counting(qs.filter(project_manager=manager), on or timezone.now()).aggregate(
        s=Sum("manager_points")
    )["s"]
    return int(total or 0)


def _rate(points: int, base: int | None, per: int = 1) -> Decimal | None:
    if not base:
        return None
    return (Decimal(points * per) / Decimal(base)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class RankingRow:
    company: PropertyCompany
    points: int = 0  # counting at the moment of the ranking
    confirmed: int = 0  # confirmed demerits counting
    pending: int = 0  # proposals awaiting the housing bureau
    rejected: int = 0
    estates: int = 0
    households: int | None = None
    rank: int | None = None  # by points; none without points
    rate_rank: int | None = None  # by points per estate, from MIN_ESTATES estates, with points

    @property
    def per_estate(self) -> Decimal | None:
        return _rate(self.points, self.estates)

    @property
    def per_thousand_households(self) -> Decimal | None:
        return _rate(self.points, self.households, 1000)

    @property
    def rated(self) -> bool:
        return self.rate_rank is not None

    @property
    def too_few_estates(self) -> bool:
        return bool(self.points and self.rate_rank is None)


@dataclass
class Ranking:
    on: dt.datetime
    rows: list[RankingRow]
    min_estates: int
    total_points: int = 0
    companies_with_points: int = 0
    pending: int = 0


def _competition_ranks(rows: list[RankingRow], key: Any, attr: str) -> None:
    """1, 2, 2, 4: equal values share a rank; rows with a None key get none."""
    ranked = [r for r in rows if key(r) is not None]
    ranked.sort(key=key, reverse=True)
    previous: Any = object()
    rank = 0
    for position, row in enumerate(ranked, start=1):
        value = key(row)
        if value != previous:
            rank, previous = position, value
        setattr(row, attr, rank)


def company_ranking(
    *, user: Any, on: dt.datetime | None = None, min_estates: int = MIN_ESTATES
) -> Ranking:
    """Every property company the user may see, with its points counting at `on`, its counts,
    the estates and households it manages in the user's view and the points per estate and
    per 1,000 households. Ranked by points; ranked by points per estate only with at least
    `min_estates` estates, so that one estate's bad year does not top the table."""
    moment = on or timezone.now()
    companies: list[Any] = list(company_list(user=user))  # annotated: estate_count, households
    rows = {c.pk: RankingRow(c, estates=c.estate_count, households=c.households) for c in companies}
    proposals = DemeritProposal.objects.restrict(user).filter(company_id__in=list(rows))
    for company_id, points, n in (
        counting(proposals, moment)
        .order_by()
        .values("company_id")
        .annotate(points=Sum("company_points"), n=Count("pk"))
        .values_list("company_id", "points", "n")
    ):
        rows[company_id].points, rows[company_id].confirmed = int(points or 0), int(n)
    for company_id, status, n in (
        proposals.exclude(status=ProposalStatus.CONFIRMED)
        .order_by()
        .values("company_id", "status")
        .annotate(n=Count("pk"))
        .values_list("company_id", "status", "n")
    ):
        if status == ProposalStatus.PROPOSED:
            rows[company_id].pending = int(n)
        elif status == ProposalStatus.REJECTED:
            rows[company_id].rejected = int(n)
    result = list(rows.values())
    # Companies without points are not ranked: there is nothing to rank them on.
    _competition_ranks(result, lambda r: r.points or None, "rank")
    _competition_ranks(
        result,
        lambda r: r.per_estate if r.points and r.estates >= max(min_estates, 1) else None,
        "rate_rank",
    )
    result.sort(key=lambda r: (-r.points, -(r.per_estate or 0), r.company.name))
    return Ranking(
        on=moment,
        rows=result,
        min_estates=min_estates,
        total_points=sum(r.points for r in result),
        companies_with_points=sum(1 for r in result if r.points),
        pending=sum(r.pending for r in result),
    )


@dataclass
class ManagerPoints:
    manager: ProjectManager
    points: int
    confirmed: int
    estates: list[Estate]


@dataclass
class CompanyRecord:
    company: PropertyCompany
    on: dt.datetime
    points: int
    confirmed: int
    pending: int
    rejected: int
    expired: int  # confirmed, window ended
    estates: int
    households: int | None
    next_expiry: DemeritProposal | None
    managers: list[ManagerPoints]
    proposals: QuerySet[DemeritProposal]


def company_record(
    *, user: Any, company: PropertyCompany, on: dt.datetime | None = None
) -> CompanyRecord:
    """A company's credit record in the user's view: its proposals, the points counting now,
    and each project manager's points."""
    moment = on or timezone.now()
    proposals = proposal_list(user=user, now=moment).filter(company=company)
    now_counting = counting(proposals, moment)
    by_status: dict[str, int] = defaultdict(int)
    for status in proposals.values_list("status", flat=True):
        by_status[status] += 1
    confirmed_counting = list(
        now_counting.values_list("pk", "project_manager_id", "manager_points", "company_points")
    )
    points = sum(row[3] for row in confirmed_counting)
    manager_totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for _pk, manager_id, m_points, _c in confirmed_counting:
        if manager_id is not None:
            manager_totals[manager_id][0] += m_points
            manager_totals[manager_id][1] += 1
    estates = [
        e
        for e in Estate.objects.restrict(user)
        .filter(property_company=company)
        .select_related("project_manager")
    ]
    estates_of: dict[int, list[Estate]] = defaultdict(list)
    for estate in estates:
        if estate.project_manager_id is not None:
            estates_of[estate.project_manager_id].append(estate)
    managers = list(
        ProjectManager.objects.restrict(user).filter(
            Q(company=company) | Q(pk__in=list(manager_totals))
        )
    )
    manager_rows = [
        ManagerPoints(m, manager_totals[m.pk][0], manager_totals[m.pk][1], estates_of[m.pk])
        for m in managers
    ]
    manager_rows.sort(key=lambda r: (-r.points, r.manager.name))
    households = [e.households for e in estates if e.households is not None]
    return CompanyRecord(
        company=company,
        on=moment,
        points=points,
        confirmed=len(confirmed_counting),
        pending=by_status[ProposalStatus.PROPOSED],
        rejected=by_status[ProposalStatus.REJECTED],
        expired=proposals.filter(status=ProposalStatus.CONFIRMED, counts_until__lte=moment).count(),
        estates=len(estates),
        households=sum(households) if households else None,
        next_expiry=now_counting.order_by("counts_until").first(),
        managers=manager_rows,
        proposals=proposals,
    )


def rule_list(*, user: Any) -> QuerySet[DemeritRule]:
    return DemeritRule.objects.restrict(user).select_related("provision__statute")


# ---------------------------------------------------------------------------------------------
# The property company's desk

# The rules ask a property company to report a violation it could not dissuade within 24 hours.
REPORT_WITHIN = dt.timedelta(hours=24)


@dataclass
class DeskReport:
    complaint: Any
    late: bool | None  # None: no dissuasion recorded

    @property
    def hours(self) -> float | None:
        c = self.complaint
        if c.dissuaded_at is None:
            return None
        return round((c.received_at - c.dissuaded_at).total_seconds() / 3600, 1)


@dataclass
class CompanyDesk:
    company: PropertyCompany
    on: dt.datetime
    estates: list[Estate]
    open_leads: list[Any]
    overdue: int
    reports: list[DeskReport]
    reports_total: int
    reports_late: int
    record: CompanyRecord
    renovations: Any


def company_desk(
    *, user: Any, company: PropertyCompany, now: dt.datetime | None = None, limit: int = 100
) -> CompanyDesk:
    """What a property company sees of its own estates: their grades, the open matters at
    them with their deadlines, its own reports (reported within 24 hours of dissuasion?), its
    credit record and its renovation register. Only the estates it manages in the user's
    view: company 甲's staff never see the estates of company 丙."""
    from xiaoqu.intake.choices import OPEN_LEAD_STATUSES, Channel
    from xiaoqu.intake.models import Complaint, Lead
    from xiaoqu.renovations.selectors import company_renovations

    moment = now or timezone.now()
    estates = list(
        Estate.objects.restrict(user)
        .filter(property_company=company)
        .select_related("subdistrict")
        .order_by("name")
    )
    # A company may not browse leads; it sees the open matters of its own estates here.
    leads_qs = (
        Lead.objects.filter(estate__in=estates, status__in=list(OPEN_LEAD_STATUSES))
        .select_related("estate", "violation_type")
        .annotate(
            late=Case(
                When(due_at__lt=moment, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(F("due_at").asc(nulls_last=True), "-received_at")
    )
    reports_qs = (
        Complaint.objects.restrict(user)
        .filter(reporter_company=company, channel=Channel.PROPERTY_COMPANY)
        .select_related("estate", "violation_type", "lead")
        .order_by("-received_at")
    )
    late_q = Q(dissuaded_at__isnull=False) & Q(received_at__gt=F("dissuaded_at") + REPORT_WITHIN)
    reports = [
        DeskReport(
            c,
            None if c.dissuaded_at is None else c.received_at - c.dissuaded_at > REPORT_WITHIN,
        )
        for c in reports_qs[:limit]
    ]
    return CompanyDesk(
        company=company,
        on=moment,
        estates=estates,
        open_leads=list(leads_qs[:limit]),
        overdue=leads_qs.filter(due_at__lt=moment).count(),
        reports=reports,
        reports_total=reports_qs.count(),
        reports_late=reports_qs.filter(late_q).count(),
        record=company_record(user=user, company=company, on=moment),
        renovations=company_renovations(user=user, company=company),
    )

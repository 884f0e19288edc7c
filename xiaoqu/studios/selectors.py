"""Reads of the community studio, always through the user's jurisdiction.

A studio member sees their own studio; a subdistrict's staff the studios of their subdistrict;
the district's roles all of them. Property companies and departments see the base-data studio
list of the estates app, not these pages. Figures are computed from the records each time
(complaints, leads, reports), for the period stated beside them, and broken down per estate so
that each total can be traced to the complaints it counts."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xiaoqu.core.aggregates import count_of, sum_of
from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.estates.models import Estate, Studio
from xiaoqu.estates.selectors import estate_list
from xiaoqu.intake.choices import OPEN_LEAD_STATUSES, Channel, LeadStatus
from xiaoqu.intake.models import Complaint, Lead

from .models import StudioActivity, StudioMember, StudioReport

YEAR = dt.timedelta(days=365)
MONTH = dt.timedelta(days=30)
HIDDEN_SCOPES = frozenset({ScopeKind.PROPERTY_COMPANY, ScopeKind.DEPARTMENT})


def _hidden(user: Any) -> bool:
    return (
        not getattr(user, "is_superuser", False)
        and getattr(user, "scope_kind", None) in HIDDEN_SCOPES
    )


def studio_list(*, user: Any, now: dt.datetime | None = None) -> QuerySet[Studio]:
    """The studios the user may see, each with its figures over the last 12 months."""
    if _hidden(user):
        return Studio.objects.none()
    since = (now or timezone.now()) - YEAR
    through = Studio.estates.through.objects.all()
    return (
        Studio.objects.restrict(user)
        .select_related("subdistrict")
        .annotate(
            estate_count=count_of(through, "studio"),
            residents=sum_of(through, "studio", "estate__residents"),
            active_members=count_of(StudioMember.objects.filter(active=True), "studio"),
            complaints_12m=count_of(
                Complaint.objects.filter(received_at__gte=since), "estate__studios"
            ),
            reports_12m=count_of(
                Complaint.objects.filter(channel=Channel.STUDIO, received_at__gte=since),
                "reporter_studio",
            ),
            open_leads=count_of(
                Lead.objects.filter(status__in=list(OPEN_LEAD_STATUSES)), "estate__studios"
            ),
        )
    )


def studio_for(*, user: Any, pk: int) -> Studio | None:
    return studio_list(user=user).filter(pk=pk).first()


def per_10k(count: int, residents: int | None) -> Decimal | None:
    if not residents:
        return None
    return (Decimal(count) * 10000 / residents).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class EstateRow:
    estate: Estate
    complaints_30d: int = 0
    complaints_12m: int = 0
    repeats_12m: int = 0
    open_leads: int = 0

    @property
    def per_10k_12m(self) -> Decimal | None:
        return per_10k(self.complaints_12m, self.estate.residents)


@dataclass
class StudioFigures:
    since_30d: dt.datetime
    since_12m: dt.datetime
    residents: int = 0
    complaints_30d: int = 0
    complaints_12m: int = 0
    repeats_12m: int = 0
    reports_12m: int = 0
    reports_closed: int = 0
    reports_open: int = 0
    median_days_to_close: float | None = None
    early_signs_12m: int = 0
    open_leads: int = 0
    estates: list[EstateRow] = field(default_factory=list)

    @property
    def per_10k_30d(self) -> Decimal | None:
        return per_10k(self.complaints_30d, self.residents)

    @property
    def per_10k_12m(self) -> Decimal | None:
        return per_10k(self.complaints_12m, self.residents)


def studio_figures(
    *, studio: Studio, estates: list[Estate], now: dt.datetime | None = None
) -> StudioFigures:
    """Complaints about the studio's estates (30 days, 12 months, per 10,000 residents,
    repeats), the reports its members made in 12 months and how many were closed and how fast.
    A report counts as closed when its lead is closed; days run from the report to the lead's
    closure."""
    moment = now or timezone.now()
    figures = StudioFigures(since_30d=moment - MONTH, since_12m=moment - YEAR)
    rows = {e.pk: EstateRow(estate=e) for e in estates}
    figures.residents = sum(e.residents or 0 for e in estates)
    complaints = Complaint.objects.filter(
        estate__in=list(rows), received_at__gte=figures.since_12m, received_at__lte=moment
    )
    for estate_id, recent, total, repeats in (
        complaints.order_by()
        .values_list("estate")
        .annotate(
            recent=Count("pk", filter=Q(received_at__gte=figures.since_30d)),
            total=Count("pk"),
            repeats=Count("pk", filter=Q(is_repeat=True)),
        )
    ):
        row = rows[estate_id]
        row.complaints_30d, row.complaints_12m, row.repeats_12m = recent, total, repeats
    for estate_id, n in (
        Lead.objects.filter(estate__in=list(rows), status__in=list(OPEN_LEAD_STATUSES))
        .order_by()
        .values_list("estate")
        .annotate(n=Count("pk"))
    ):
        rows[estate_id].open_leads = n
    figures.estates = list(rows.values())
    figures.complaints_30d = sum(r.complaints_30d for r in figures.estates)
    figures.complaints_12m = sum(r.complaints_12m for r in figures.estates)
    figures.repeats_12m = sum(r.repeats_12m for r in figures.estates)
    figures.open_leads = sum(r.open_leads for r in figures.estates)
    reports = Complaint.objects.filter(
        reporter_studio=studio,
        channel=Channel.STUDIO,
        received_at__gte=figures.since_12m,
        received_at__lte=moment,
    ).select_related("lead")
    days = []
    for complaint in reports:
        figures.reports_12m += 1
        lead = complaint.lead
        if lead is not None and lead.status == LeadStatus.CLOSED and lead.closed_at:
            figures.reports_closed += 1
            days.append((lead.closed_at - complaint.received_at).total_seconds() / 86400)
        else:
            figures.reports_open += 1
    if days:
        figures.median_days_to_close = round(statistics.median(days), 1)
    figures.early_signs_12m = StudioReport.objects.filter(
        studio=studio,
        kind="early_sign",
        created_at__gte=figures.since_12m,
        created_at__lte=moment,
    ).count()
    return figures


def studio_estates(*, user: Any, studio: Studio) -> list[Estate]:
    return list(estate_list(user=user).filter(studios=studio).order_by("name"))


def members_of(*, user: Any, studio: Studio) -> QuerySet[StudioMember]:
    return (
        StudioMember.objects.restrict(user)
        .filter(studio=studio)
        .select_related("estate", "user")
        .order_by("-active", "kind", "name")
    )


def open_leads(*, estates: list[Estate]) -> QuerySet[Lead]:
    return (
        Lead.objects.filter(estate__in=estates, status__in=list(OPEN_LEAD_STATUSES))
        .select_related("estate", "violation_type")
        .order_by("due_at", "received_at")
    )


def activity_list(*, user: Any) -> QuerySet[StudioActivity]:
    if _hidden(user):
        return StudioActivity.objects.none()
    return StudioActivity.objects.restrict(user).select_related(
        "studio", "studio__subdistrict", "estate"
    )


def upcoming_activities(
    *, user: Any, studio: Studio, now: dt.datetime | None = None
) -> QuerySet[StudioActivity]:
    moment = now or timezone.now()
    return (
        activity_list(user=user)
        .filter(studio=studio, starts_at__gte=moment)
        .order_by("starts_at", "pk")
    )


def past_activities(
    *, user: Any, studio: Studio, now: dt.datetime | None = None
) -> QuerySet[StudioActivity]:
    moment = now or timezone.now()
    return activity_list(user=user).filter(studio=studio, starts_at__lt=moment)


def report_list(*, user: Any) -> QuerySet[StudioReport]:
    """Reports the user may see: a studio member only their own; staff their studios'."""
    if _hidden(user):
        return StudioReport.objects.none()
    qs = StudioReport.objects.restrict(user)
    if getattr(user, "scope_kind", None) == ScopeKind.STUDIO:
        qs = qs.filter(reporter=user)
    return qs.select_related(
        "complaint",
        "complaint__lead",
        "complaint__estate",
        "complaint__violation_type",
        "member",
        "reporter",
        "studio",
    )


def my_reports(*, user: Any) -> QuerySet[StudioReport]:
    return report_list(user=user).filter(reporter=user)

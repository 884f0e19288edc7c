"""Reads of complaints and leads, always through the jurisdiction filter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.departments.choices import DepartmentKind
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate

from .choices import LeadStatus
from .models import Complaint, Inspection, Lead

# Leads that wait for the officer (verification, assistance answered soon, re-inspection);
# a referred lead waits for the department, a lead handed on to filing for the case.
NEEDS_OFFICER = (LeadStatus.DISPATCHED, LeadStatus.AWAITING_ASSISTANCE, LeadStatus.RECTIFYING)


def may_browse_leads(user: Any) -> bool:
    """Leads are the bureau's and the subdistricts' working records; property companies,
    studios and departments see the outcome of what they reported or were sent, not leads."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.scope_kind in (ScopeKind.DISTRICT, ScopeKind.SUBDISTRICT))
    )


def may_browse_complaints(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.scope_kind != "department"))


def is_reporter_role(user: Any) -> bool:
    return getattr(user, "role", None) in (Role.PROPERTY_STAFF, Role.STUDIO_MEMBER)


def complaint_list(*, user: Any) -> QuerySet[Complaint]:
    return Complaint.objects.restrict(user).select_related(
        "estate", "subdistrict", "violation_type", "lead", "reply_rule"
    )


def lead_list(*, user: Any) -> QuerySet[Lead]:
    return Lead.objects.restrict(user).select_related(
        "estate", "subdistrict", "violation_type", "team", "due_rule"
    )


def dispatch_inbox(*, user: Any) -> QuerySet[Lead]:
    """Leads awaiting dispatch, the oldest first, each with the department triage suggests
    referring it to (`suggested_refer`, `suggested_department`), if any."""
    from xiaoqu.law.models import ReferralTarget
    from xiaoqu.triage.models import TriageRecord

    first_guess = TriageRecord.objects.filter(complaint__lead=OuterRef("pk")).order_by(
        "complaint__received_at", "complaint__pk"
    )
    department = ReferralTarget.objects.filter(code=OuterRef("suggested_refer")).order_by(
        "-effective_from"
    )
    return (
        lead_list(user=user)
        .filter(status=LeadStatus.PENDING_DISPATCH)
        .annotate(suggested_refer=Subquery(first_guess.values("refer_to")[:1]))
        .annotate(suggested_department=Subquery(department.values("department__name")[:1]))
        .order_by("received_at", "pk")
    )


def _due_first(qs: QuerySet[Any], field: str) -> QuerySet[Any]:
    return qs.order_by(F(field).asc(nulls_last=True), "pk")


def officer_leads(*, user: Any) -> QuerySet[Lead]:
    """The open leads of the officer's subdistrict that need him, due first."""
    if user.role != Role.OFFICER or user.subdistrict_id is None:
        return Lead.objects.none()
    return _due_first(
        lead_list(user=user).filter(subdistrict_id=user.subdistrict_id, status__in=NEEDS_OFFICER),
        "due_at",
    )


def replies_awaiting(*, user: Any) -> QuerySet[Complaint]:
    """Complaints of the officer's subdistrict whose reporter still waits for the reply."""
    if user.role != Role.OFFICER or user.subdistrict_id is None:
        return Complaint.objects.none()
    mine = Q(lead__subdistrict_id=user.subdistrict_id) | Q(
        lead__isnull=True, subdistrict_id=user.subdistrict_id
    )
    return _due_first(
        complaint_list(user=user).filter(mine, replied_at__isnull=True, reply_due_at__isnull=False),
        "reply_due_at",
    )


@dataclass(frozen=True)
class TodoSummary:
    leads: list[Lead]
    replies: list[Complaint]
    lead_count: int
    reply_count: int
    overdue_count: int
    due_soon_count: int


def officer_todo_summary(
    *, user: Any, limit: int = 5, now: dt.datetime | None = None
) -> TodoSummary:
    """What the officer's home page shows: the first items and the figures."""
    moment = now or timezone.now()
    leads = officer_leads(user=user)
    replies = replies_awaiting(user=user)
    soon = moment + dt.timedelta(days=2)
    overdue = (
        leads.filter(due_at__lt=moment).count() + replies.filter(reply_due_at__lt=moment).count()
    )
    due_soon = (
        leads.filter(due_at__gte=moment, due_at__lt=soon).count()
        + replies.filter(reply_due_at__gte=moment, reply_due_at__lt=soon).count()
    )
    return TodoSummary(
        leads=list(leads[:limit]),
        replies=list(replies[:limit]),
        lead_count=leads.count(),
        reply_count=replies.count(),
        overdue_count=overdue,
        due_soon_count=due_soon,
    )


def estate_search(*, user: Any, term: str, limit: int = 10) -> list[Estate]:
    """Estates the user may report about whose name, alias or lane address contains `term`."""
    term = term.strip()
    if not term:
        return []
    base = Estate.objects.restrict(user)
    matches = base.filter(
        Q(name__icontains=term) | Q(aliases__icontains=term) | Q(addresses__address__icontains=term)
    ).values("pk")
    return list(
        base.filter(pk__in=matches)
        .select_related("subdistrict")
        .prefetch_related("addresses")
        .order_by("name")[:limit]
    )


def lead_complaints(*, user: Any, lead: Lead) -> QuerySet[Complaint]:
    return complaint_list(user=user).filter(lead=lead).order_by("received_at", "pk")


def lead_inspections(*, user: Any, lead: Lead) -> QuerySet[Inspection]:
    return (
        Inspection.objects.restrict(user)
        .filter(lead=lead)
        .select_related("officer")
        .order_by("inspected_at", "pk")
    )


def lead_for_merge(*, user: Any, number: str) -> Lead | None:
    return Lead.objects.restrict(user).filter(number=number.strip().upper()).first()


def departments_to_ask(*, lead: Lead) -> QuerySet[Department]:
    """The departments a lead can be referred to or ask assistance of: its district's
    functional departments and subdistrict offices."""
    return Department.objects.filter(
        district_id=lead.district_id,
        is_active=True,
        kind__in=(DepartmentKind.FUNCTIONAL, DepartmentKind.SUBDISTRICT_OFFICE),
    ).order_by("kind", "code")

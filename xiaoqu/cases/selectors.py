"""Reads of penalty cases, always through the jurisdiction filter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.audit.models import Event
from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.intake.choices import LeadStatus
from xiaoqu.intake.models import Lead

from .choices import OPEN_CASE_STATUSES, CaseStatus, EvidenceKind
from .models import Case, Evidence, Execution
from .services import amount_due, late_fee
from .workflow import BEFORE_DECISION, is_approver, is_reviewer

# How close the decision deadline of art. 60 must be for "decision due soon".
DECISION_SOON_DAYS = 15


def may_browse_cases(user: Any) -> bool:
    """Cases are the bureau's and the subdistricts' records: property companies, studios and
    departments do not browse them."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.scope_kind in (ScopeKind.DISTRICT, ScopeKind.SUBDISTRICT))
    )


def case_list(*, user: Any) -> QuerySet[Case]:
    return Case.objects.restrict(user).select_related(
        "subdistrict", "estate", "violation_type", "due_rule", "lead"
    )


def case_get(*, user: Any, pk: int) -> Case | None:
    return (
        case_list(user=user)
        .select_related(
            "violation_type__penalty_provision__statute",
            "filed_by",
            "reviewed_by",
            "decided_by",
            "property_company",
            "district",
        )
        .filter(pk=pk)
        .first()
    )


def case_provisions(*, case: Case) -> list[Any]:
    return list(case.provisions.select_related("statute").order_by("statute__code", "article"))


def case_evidence(*, case: Case) -> list[Evidence]:
    return list(
        Evidence.objects.filter(case=case)
        .select_related("collected_by")
        .prefetch_related("event__attachments")
        .order_by("collected_at", "pk")
    )


def case_executions(*, case: Case) -> list[Execution]:
    return list(
        Execution.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("event__attachments")
        .order_by("executed_at", "pk")
    )


def pending_preservations(*, case: Case) -> QuerySet[Evidence]:
    return Evidence.objects.filter(
        case=case, kind=EvidenceKind.PRESERVATION, preservation_done_at__isnull=True
    ).order_by("preservation_due", "pk")


def _due_first(qs: QuerySet[Any], field: str) -> QuerySet[Any]:
    return qs.order_by(F(field).asc(nulls_last=True), "pk")


def officer_cases(*, user: Any) -> QuerySet[Case]:
    """The open cases of the officer's subdistrict, the next deadline first."""
    if user.role != Role.OFFICER or user.subdistrict_id is None:
        return Case.objects.none()
    return _due_first(
        case_list(user=user).filter(
            subdistrict_id=user.subdistrict_id, status__in=OPEN_CASE_STATUSES
        ),
        "due_at",
    )


def lead_cases(*, user: Any, lead: Lead) -> QuerySet[Case]:
    return case_list(user=user).filter(lead=lead).order_by("filed_at", "pk")


def lead_may_be_filed(lead: Lead, cases: list[Case]) -> bool:
    """A case can be filed from a lead verified on site (awaiting verification with a visit),
    or handed on to filing, without an open case."""
    if any(c.status in OPEN_CASE_STATUSES for c in cases):
        return False
    if lead.status == LeadStatus.DISPATCHED:
        return lead.on_site_at is not None
    return lead.status == LeadStatus.TO_FILING


# ---------------------------------------------------------------------------------------------
# Queues: legal review, approvals


def review_queue(*, user: Any) -> QuerySet[Case]:
    """Cases awaiting legal review, the oldest request first (reviewers only)."""
    if not is_reviewer(user):
        return Case.objects.none()
    return (
        case_list(user=user)
        .filter(status=CaseStatus.UNDER_REVIEW)
        .annotate(
            review_requested_at=_last("request_review", "occurred_at", DateTimeField()),
            evidence_count=Count("evidence"),
        )
        .order_by("review_requested_at", "pk")
    )


def _last(action: str, field: str, output: Any) -> Subquery:
    """The `field` of the case's last event of `action`."""
    return Subquery(
        Event.objects.filter(
            record_type=ContentType.objects.get_for_model(Case),
            record_id=OuterRef("pk"),
            action=action,
        )
        .order_by("-seq")
        .values(field)[:1],
        output_field=output,
    )


def _last_seq(action: str) -> Subquery:
    return _last(action, "seq", IntegerField())


@dataclass(frozen=True)
class PendingExtension:
    case: Case
    event: Event  # the request_extension event: days, reason, who, when

    @property
    def days(self) -> int:
        return int(self.event.data.get("days") or 0)


def pending_extensions(*, user: Any) -> list[PendingExtension]:
    """Cases whose last extension request has not been decided: the request is the
    `request_extension` event, the decision an `approve_extension` or `reject_extension` event."""
    if not is_approver(user):
        return []
    cases = list(
        case_list(user=user)
        .filter(status__in=BEFORE_DECISION)
        .annotate(
            last_request=_last_seq("request_extension"),
            last_approval=Coalesce(_last_seq("approve_extension"), Value(0)),
            last_refusal=Coalesce(_last_seq("reject_extension"), Value(0)),
        )
        .filter(last_request__gt=F("last_approval"))
        .filter(last_request__gt=F("last_refusal"))
        .order_by("decision_due_at", "pk")
    )
    if not cases:
        return []
    record_type = ContentType.objects.get_for_model(Case)
    wanted = Q()
    for case in cases:
        wanted |= Q(record_id=case.pk, seq=case.last_request)
    events = {
        e.record_id: e
        for e in Event.objects.filter(wanted, record_type=record_type).select_related("actor")
    }
    return [PendingExtension(case=c, event=events[c.pk]) for c in cases if c.pk in events]


def pending_extension(*, case: Case) -> PendingExtension | None:
    """The case's extension request awaiting approval, if any."""
    if case.status not in BEFORE_DECISION:
        return None
    last = (
        Event.objects.filter(
            record_type=ContentType.objects.get_for_model(Case),
            record_id=case.pk,
            action__in=("request_extension", "approve_extension", "reject_extension"),
        )
        .select_related("actor")
        .order_by("-seq")
        .first()
    )
    if last is None or last.action != "request_extension":
        return None
    return PendingExtension(case=case, event=last)


def closed_cases(*, user: Any, term: str = "", limit: int = 20) -> list[Case]:
    """Closed cases a leader may reopen: the most recently closed, or those matching `term`."""
    if not is_approver(user):
        return []
    qs = case_list(user=user).filter(status=CaseStatus.CLOSED)
    term = term.strip()
    if term:
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(decision_number__icontains=term)
            | Q(party_name__icontains=term)
        )
    return list(qs.order_by(F("closed_at").desc(nulls_last=True), "-pk")[:limit])


# ---------------------------------------------------------------------------------------------
# The case's clock and payment


@dataclass(frozen=True)
class Clock:
    """The decision deadline of art. 60: 90 days after filing, plus approved extensions."""

    filed_at: dt.datetime
    due_at: dt.datetime
    days_left: int | None  # None once decided
    extension_days: int
    extension_reasons: list[str]
    decided_at: dt.datetime | None
    running: bool

    @property
    def overdue(self) -> bool:
        return self.running and self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue and self.days_left is not None else 0


def case_clock(case: Case, *, now: dt.datetime | None = None) -> Clock:
    moment = now or timezone.now()
    running = case.status in BEFORE_DECISION
    days_left = (
        (timezone.localtime(case.decision_due_at).date() - timezone.localtime(moment).date()).days
        if running
        else None
    )
    reasons = [r for r in case.extension_reason.splitlines() if r.strip()]
    return Clock(
        filed_at=case.filed_at,
        due_at=case.decision_due_at,
        days_left=days_left,
        extension_days=case.extension_days,
        extension_reasons=reasons,
        decided_at=case.decided_at,
        running=running,
    )


@dataclass(frozen=True)
class Payment:
    fine: Decimal
    paid: Decimal
    unpaid: Decimal
    late_fee: Decimal
    amount_due: Decimal
    due_at: dt.datetime | None
    days_late: int
    capped: bool

    @property
    def settled(self) -> bool:
        return self.unpaid <= 0

    @property
    def paid_beyond_fine(self) -> Decimal:
        """What was paid on top of the fine: the late fee paid with it."""
        return max(self.paid - self.fine, Decimal(0))


def case_payment(case: Case, *, on: dt.date | None = None) -> Payment | None:
    """What the party owes today: the unpaid fine and the late fee of art. 72."""
    if not case.fine:
        return None
    day = on or timezone.localdate()
    fine = case.fine
    unpaid = max(fine - case.paid_amount, Decimal(0))
    fee = late_fee(fine=fine, payment_due=case.payment_due, paid_amount=case.paid_amount, on=day)
    days_late = 0
    if case.payment_due is not None:
        days_late = max((day - timezone.localtime(case.payment_due).date()).days, 0)
    return Payment(
        fine=fine,
        paid=case.paid_amount,
        unpaid=unpaid,
        late_fee=fee,
        amount_due=amount_due(case, on=day),
        due_at=case.payment_due,
        days_late=days_late if unpaid > 0 else 0,
        capped=unpaid > 0 and fee >= unpaid,
    )

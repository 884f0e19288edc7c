"""Reads of the case clinics, always through the user's jurisdiction, and the suggestions of
chronic problems from the repeats the triage marks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from xiaoqu.cases.models import Case
from xiaoqu.estates.models import Estate
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.law.models import ViolationType

from .choices import OPEN_CLINIC_STATUSES
from .figures import add_months
from .models import Clinic, Measure

SUGGEST_MONTHS = 12
MIN_COMPLAINTS = 3  # complaints about the estate × type in the window
MIN_REPEATS = 1  # of them repeats of an open matter, or a lead marked chronic


def clinic_list(*, user: Any) -> QuerySet[Clinic]:
    return (
        Clinic.objects.restrict(user)
        .select_related("violation_type", "opened_by")
        .prefetch_related("estates", "subdistricts")
        .annotate(
            n_complaints=Count("complaints", distinct=True),
            n_measures=Count("measures", distinct=True),
            n_open_measures=Count(
                "measures", filter=Q(measures__done_at__isnull=True), distinct=True
            ),
        )
        .order_by("-opened_at", "-pk")
    )


def clinic_get(*, user: Any) -> QuerySet[Clinic]:
    return Clinic.objects.restrict(user).select_related("violation_type", "district", "opened_by")


def measures_of(*, clinic: Clinic) -> QuerySet[Measure]:
    return clinic.measures.select_related("department", "subdistrict", "done_by").order_by(
        "due_date", "pk"
    )


def gathered(*, user: Any, clinic: Clinic) -> dict[str, QuerySet[Any]]:
    """The records gathered into the clinic that the user may see."""
    return {
        "complaints": Complaint.objects.restrict(user)
        .filter(clinics=clinic)
        .select_related("estate", "violation_type", "lead")
        .order_by("received_at", "pk"),
        "leads": Lead.objects.restrict(user)
        .filter(clinics=clinic)
        .select_related("estate", "violation_type")
        .order_by("received_at", "pk"),
        "cases": Case.objects.restrict(user)
        .filter(clinics=clinic)
        .select_related("estate", "violation_type")
        .order_by("filed_at", "pk"),
    }


def gather_search(*, user: Any, clinic: Clinic, term: str, limit: int = 25) -> dict[str, list[Any]]:
    """Complaints, leads and cases the user may see matching `term` (number, work order, text,
    estate), not yet gathered; without a term, those about the clinic's problem."""
    term = term.strip()
    estate_ids = list(clinic.estates.values_list("pk", flat=True))
    code = clinic.violation_type.code
    complaints = Complaint.objects.restrict(user).exclude(clinics=clinic)
    leads = Lead.objects.restrict(user).exclude(clinics=clinic)
    cases = Case.objects.restrict(user).exclude(clinics=clinic)
    if term:
        for t in term.split():
            complaints = complaints.filter(
                Q(number__icontains=t)
                | Q(external_no__icontains=t)
                | Q(content__icontains=t)
                | Q(estate__name__icontains=t)
            )
            leads = leads.filter(
                Q(number__icontains=t) | Q(summary__icontains=t) | Q(estate__name__icontains=t)
            )
            cases = cases.filter(
                Q(number__icontains=t) | Q(facts__icontains=t) | Q(estate__name__icontains=t)
            )
    else:
        scope = Q(estate_id__in=estate_ids, violation_type__code=code)
        complaints, leads, cases = (
            complaints.filter(scope),
            leads.filter(scope),
            cases.filter(scope),
        )
    return {
        "complaints": list(
            complaints.select_related("estate", "violation_type").order_by("-received_at")[:limit]
        ),
        "leads": list(
            leads.select_related("estate", "violation_type").order_by("-received_at")[:limit]
        ),
        "cases": list(
            cases.select_related("estate", "violation_type").order_by("-filed_at")[:limit]
        ),
    }


@dataclass(frozen=True)
class Suggestion:
    """A chronic problem the data suggests: an estate × type with repeated complaints."""

    estate: Estate
    violation_type: ViolationType
    complaints: int
    repeats: int
    chronic_leads: int
    last_received: dt.datetime

    @property
    def residents(self) -> int:
        return int(self.estate.residents or 0)

    @property
    def per_10k(self) -> float | None:
        return self.complaints * 10_000 / self.residents if self.residents else None


def chronic_suggestions(
    *,
    user: Any,
    today: dt.date | None = None,
    months: int = SUGGEST_MONTHS,
    min_complaints: int = MIN_COMPLAINTS,
    limit: int = 30,
) -> list[Suggestion]:
    """Estate × violation type groups of the last `months` months with at least
    `min_complaints` complaints of which some repeat an open matter (triage's `is_repeat`) or
    whose matter the triage marked chronic (3 complaints within 90 days), most repeats first.
    Problems already before an open clinic are left out."""
    today = today or timezone.localdate()
    start_day = add_months(today.replace(day=1), -months + 1)
    since = dt.datetime.combine(start_day, dt.time.min, tzinfo=timezone.get_current_timezone())
    groups = (
        Complaint.objects.restrict(user)
        .filter(received_at__gte=since, estate__isnull=False, violation_type__isnull=False)
        .values("estate_id", "violation_type__code")
        .annotate(
            n=Count("id"),
            r=Count("id", filter=Q(is_repeat=True)),
            last=Max("received_at"),
        )
        .filter(n__gte=min_complaints)
        .order_by()
    )
    chronic = {
        (row["estate_id"], row["violation_type__code"]): row["c"]
        for row in Lead.objects.restrict(user)
        .filter(chronic_since__isnull=False, estate__isnull=False, violation_type__isnull=False)
        .filter(Q(received_at__gte=since) | Q(chronic_since__gte=since))
        .values("estate_id", "violation_type__code")
        .annotate(c=Count("id"))
        .order_by()
    }
    taken = set(
        Clinic.objects.filter(status__in=sorted(OPEN_CLINIC_STATUSES))
        .values_list("estates", "violation_type__code")
        .order_by()
    )
    rows = []
    for g in groups:
        key = (g["estate_id"], g["violation_type__code"])
        if key in taken:
            continue
        n_chronic = chronic.get(key, 0)
        if g["r"] < MIN_REPEATS and not n_chronic:
            continue
        rows.append((g, n_chronic))
    rows.sort(key=lambda x: (-x[0]["r"], -x[1], -x[0]["n"], x[0]["estate_id"]))
    rows = rows[:limit]
    estates = Estate.objects.in_bulk([g["estate_id"] for g, _c in rows])
    types = {
        vt.code: vt
        for vt in ViolationType.objects.effective(today).filter(
            code__in={g["violation_type__code"] for g, _c in rows}
        )
    }
    return [
        Suggestion(
            estate=estates[g["estate_id"]],
            violation_type=types[g["violation_type__code"]],
            complaints=g["n"],
            repeats=g["r"],
            chronic_leads=n_chronic,
            last_received=g["last"],
        )
        for g, n_chronic in rows
        if g["violation_type__code"] in types
    ]


def records_of_month(
    *, user: Any, clinic: Clinic, month: dt.date, fold: bool
) -> QuerySet[Complaint]:
    """The complaints behind one month's figure of the clinic (its estates × its type)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(month, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(add_months(month, 1), dt.time.min, tzinfo=tz)
    qs = (
        Complaint.objects.restrict(user)
        .filter(
            estate__in=clinic.estates.all(),
            violation_type__code=clinic.violation_type.code,
            received_at__gte=start,
            received_at__lt=end,
        )
        .select_related("estate", "violation_type", "lead")
        .order_by("received_at", "pk")
    )
    return qs.filter(is_repeat=False) if fold else qs

"""Reads of triage, always through the jurisdiction filter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xiaoqu.accounts.roles import is_dispatcher
from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.estates.models import Estate
from xiaoqu.intake.choices import LeadStatus
from xiaoqu.intake.models import Complaint
from xiaoqu.intake.selectors import estate_search
from xiaoqu.law.models import ReferralTarget, ViolationType

from .models import Correction, ModelVersion, TriageRecord

OTHER = "other:"


def may_triage(user: Any) -> bool:
    """The manual triage queue and corrections: the bureau's dispatchers, leaders and
    administrators (district scope)."""
    return bool(
        user.is_authenticated
        and is_dispatcher(user)
        and (user.is_superuser or user.scope_kind == ScopeKind.DISTRICT)
    )


def triage_queue(*, user: Any) -> QuerySet[TriageRecord]:
    """Complaints awaiting manual triage, the oldest first: only while their matter still
    awaits dispatch (once a dispatcher or officer has taken the lead on, triage is moot)."""
    return (
        TriageRecord.objects.restrict(user)
        .filter(needs_review=True, reviewed_at__isnull=True)
        .filter(
            Q(complaint__lead__isnull=True) | Q(complaint__lead__status=LeadStatus.PENDING_DISPATCH)
        )
        .select_related(
            "complaint",
            "complaint__subdistrict",
            "complaint__estate",
            "complaint__violation_type",
            "complaint__lead",
            "estate",
            "estate__subdistrict",
            "repeat_of",
        )
        .prefetch_related("estate__studios")
        .order_by("complaint__received_at", "pk")
    )


def triage_of(*, user: Any, complaint: Complaint) -> TriageRecord | None:
    return (
        TriageRecord.objects.restrict(user)
        .filter(complaint=complaint)
        .select_related("estate", "repeat_of", "reviewed_by")
        .first()
    )


def model_versions(*, user: Any) -> QuerySet[ModelVersion]:
    return ModelVersion.objects.restrict(user).select_related("trained_by")


def corrections_waiting(*, user: Any) -> int:
    """Corrections of the type or referral target not yet used by a training run."""
    return (
        Correction.objects.restrict(user)
        .filter(used_in="", field__in=("violation_type", "refer_to"))
        .count()
    )


def corrections_recent(*, user: Any, limit: int = 20) -> list[Correction]:
    return list(
        Correction.objects.restrict(user).select_related("complaint", "corrected_by")[:limit]
    )


def estate_options(*, user: Any, term: str) -> list[Estate]:
    return estate_search(user=user, term=term, limit=15)


def label_choices(*, on: dt.date | None = None) -> list[tuple[str, str]]:
    """The 13 violation types by code, then the referral targets as "other:<code>"."""
    types = [(vt.code, vt.name) for vt in ViolationType.objects.effective(on).order_by("code")]
    targets = [
        (f"{OTHER}{t.code}", _("Refer: %(department)s") % {"department": t})
        for t in ReferralTarget.objects.effective(on).select_related("department").order_by("code")
    ]
    return types + targets


def label_names(*, on: dt.date | None = None) -> dict[str, str]:
    """Code → name of the types, and referral target code → department."""
    names = {vt.code: vt.name for vt in ViolationType.objects.effective(on)}
    for t in ReferralTarget.objects.effective(on).select_related("department"):
        names[f"{OTHER}{t.code}"] = str(t)
    return names

"""Reads of exemplary cases. Inside the platform: through the user's jurisdiction, for the
roles that draft, review or publish. Outside: only the published texts (`public_list`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from xiaoqu.cases.choices import CaseStatus
from xiaoqu.cases.models import Case

from .choices import ExemplaryStatus
from .models import ExemplaryCase
from .permissions import may_author, may_see


def exemplary_list(*, user: Any) -> QuerySet[ExemplaryCase]:
    if not may_see(user):
        return ExemplaryCase.objects.none()
    return ExemplaryCase.objects.restrict(user).select_related(
        "case", "subdistrict", "violation_type", "created_by", "reviewed_by"
    )


def exemplary_get(*, user: Any, pk: int) -> ExemplaryCase | None:
    return exemplary_list(user=user).filter(pk=pk).first()


def public_list(*, violation_type: str = "", q: str = "") -> QuerySet[ExemplaryCase]:
    """Published cases only (approved, published, not withdrawn), newest first."""
    qs = ExemplaryCase.objects.filter(
        status=ExemplaryStatus.PUBLISHED, published_at__isnull=False
    ).select_related("subdistrict", "violation_type")
    if violation_type:
        qs = qs.filter(violation_type__code=violation_type)
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(facts__icontains=word)
            | Q(handling__icontains=word)
            | Q(lesson__icontains=word)
            | Q(legal_basis__icontains=word)
        )
    return qs.order_by("-published_at", "-pk")


def public_types() -> list[tuple[str, str]]:
    """The violation types that published cases have, as (code, name), for the search."""
    seen: dict[str, str] = {}
    for code, name in (
        ExemplaryCase.objects.filter(status=ExemplaryStatus.PUBLISHED)
        .order_by("violation_type__sort_order", "violation_type__code")
        .values_list("violation_type__code", "violation_type__name")
    ):
        seen.setdefault(code, name)
    return list(seen.items())


def current_for_case(*, case: Case) -> ExemplaryCase | None:
    """The case's exemplary case that is not withdrawn, if any."""
    return (
        ExemplaryCase.objects.filter(case=case)
        .exclude(status=ExemplaryStatus.WITHDRAWN)
        .order_by("-pk")
        .first()
    )


def may_draft_from(*, user: Any, case: Case) -> bool:
    return (
        case.status == CaseStatus.CLOSED
        and may_author(user)
        and current_for_case(case=case) is None
    )

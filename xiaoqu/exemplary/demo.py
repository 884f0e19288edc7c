"""Demo exemplary cases (演示数据): drafts generated from real closed demo cases, one per
violation type (the latest case closed at least three weeks before now), written by the
command centre's dispatcher through the real services. Most were approved by the legal
section and published; the second-latest was returned with reasons and the latest waits for
review. Deterministic from the seed, idempotent (nothing is created when the district already
has demo exemplary cases), and fast (a dozen drafts)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.cases.choices import CaseStatus, ClosureKind
from xiaoqu.cases.models import Case

from . import services
from .models import ExemplaryCase

MAX_CASES = 12
SETTLED = dt.timedelta(days=21)
APPROVAL_NOTES = (
    "已核对脱敏情况，事实清楚，适用法律正确，同意发布。",
    "文字表述规范，个人信息已隐去，同意作为典型案例发布。",
    "经审核，符合以案释法宣传要求，同意。",
)
RETURN_REASON = "“处理结果”部分请补充当事人整改情况，法律依据请注明条款原文后再报。"


@dataclass
class DemoExemplaryResult:
    created: int = 0
    published: int = 0
    returned: int = 0
    submitted: int = 0
    skipped: str = ""


def _actor(role: str, district: Any) -> User | None:
    return (
        User.objects.filter(role=role, district=district, is_demo=True, is_active=True)
        .order_by("pk")
        .first()
    )


def _pick(district: Any, now: dt.datetime) -> list[Case]:
    """The latest case of each violation type closed with its penalty executed."""
    chosen: dict[str, Case] = {}
    for case in (
        Case.objects.filter(
            district=district,
            is_demo=True,
            status=CaseStatus.CLOSED,
            closure_kind=ClosureKind.EXECUTED,
            closed_at__lte=now - SETTLED,
        )
        .select_related("violation_type")
        .order_by("-closed_at", "-pk")
    ):
        chosen.setdefault(case.violation_type.code, case)
    cases = sorted(chosen.values(), key=lambda c: (c.closed_at, c.pk))
    return cases[-MAX_CASES:]


def demo_exemplary(
    *, district: Any, seed: int, now: dt.datetime | None = None
) -> DemoExemplaryResult:
    moment = (now or timezone.now()).replace(microsecond=0)
    result = DemoExemplaryResult()
    if ExemplaryCase.objects.filter(district=district, is_demo=True).exists():
        result.skipped = "already"
        return result
    author = _actor(Role.DISPATCHER, district)
    legal = _actor(Role.LEGAL, district)
    if author is None or legal is None:
        result.skipped = "no_users"
        return result
    cases = _pick(district, moment)
    if not cases:
        result.skipped = "no_cases"
        return result
    rng = random.Random(f"exemplary-{seed}")
    with transaction.atomic():
        for index, case in enumerate(cases):
            assert case.closed_at is not None
            at = case.closed_at + dt.timedelta(days=rng.randint(3, 8), hours=rng.randint(1, 5))
            exemplary = services.exemplary_draft(
                actor=author,
                case=case,
                at=at,
                public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                is_demo=True,
            )
            result.created += 1
            at += dt.timedelta(days=rng.randint(1, 3))
            exemplary = services.exemplary_submit(actor=author, exemplary=exemplary, at=at)
            remaining = len(cases) - index
            if remaining == 1:  # the latest waits for the legal section
                result.submitted += 1
                continue
            at = min(at + dt.timedelta(days=rng.randint(1, 4)), moment)
            if remaining == 2:
                services.exemplary_return(
                    actor=legal, exemplary=exemplary, reason=RETURN_REASON, at=at
                )
                result.returned += 1
                continue
            exemplary = services.exemplary_approve(
                actor=legal, exemplary=exemplary, note=rng.choice(APPROVAL_NOTES), at=at
            )
            at = min(at + dt.timedelta(days=rng.randint(0, 2), hours=2), moment)
            services.exemplary_publish(actor=legal, exemplary=exemplary, at=at)
            result.published += 1
    return result

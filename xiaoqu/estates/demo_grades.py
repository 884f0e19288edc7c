"""Demo risk grades: the grades of each of the last 12 months computed from the demo history
(so that an estate page shows its history), and two overrides by a bureau leader with their
reasons. Deterministic and idempotent: a second call creates nothing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.regions.models import District

from .choices import GradeSource, RiskGrade
from .grading import (
    add_months,
    current_month,
    estate_grade_override,
    estate_grades_recompute,
)
from .models import Estate, EstateGrade

MONTHS = 12
OVERRIDES = (
    (
        RiskGrade.KEY,
        "试点小区，居民反映群租和违法搭建苗头较多，经会商决定本季度按重点小区加密巡查。",
        2,
    ),
    (
        RiskGrade.GENERAL,
        "原物业服务企业已更换，历史投诉集中在换管期间，经现场核查已明显好转，调整为一般。",
        None,
    ),
)


def demo_grades(*, district: District, now: dt.datetime) -> int:
    """Compute the demo district's grades for the last 12 months up to `now`'s month and add
    the demo overrides; returns the number of grade rows created."""
    created = 0
    this_month = current_month(now)
    for i in range(MONTHS - 1, -1, -1):
        month = add_months(this_month, -i)
        created += estate_grades_recompute(district=district, month=month, at=now)["created"]
    if EstateGrade.objects.filter(
        estate__district=district, source=GradeSource.OVERRIDE, is_demo=True
    ).exists():
        return created
    leader = (
        User.objects.filter(district=district, role=Role.LEADER, is_active=True)
        .order_by("pk")
        .first()
    )
    if leader is None:
        return created
    demo = Estate.objects.filter(district=district, is_demo=True)
    grades = EstateGrade.objects.filter(month=this_month, source=GradeSource.COMPUTED)
    # A pilot estate computed as general, and the estate with the most complaints graded key.
    first = (
        demo.filter(is_pilot=True, grades__in=grades.filter(grade=RiskGrade.GENERAL))
        .order_by("pk")
        .first()
    )
    second = (
        demo.filter(grades__in=grades.filter(grade=RiskGrade.KEY))
        .annotate(n=Count("complaints", filter=Q(complaints__is_demo=True)))
        .order_by("-n", "pk")
        .first()
    )
    for estate, (grade, reason, months) in zip((first, second), OVERRIDES, strict=True):
        if estate is None:
            continue
        estate_grade_override(
            estate=estate,
            grade=grade,
            reason=reason,
            actor=leader,
            valid_until=add_months(this_month, months) if months else None,
            at=now,
            is_demo=True,
        )
        created += 1
    return created

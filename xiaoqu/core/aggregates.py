"""Correlated sub-queries for per-row counts and sums (no join fan-out, no GROUP BY on the list)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def count_of(qs: QuerySet[Any], fk: str) -> Coalesce:
    """Number of rows of `qs` whose `fk` points at the outer row."""
    inner = (
        qs.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def sum_of(qs: QuerySet[Any], fk: str, field: str) -> Subquery:
    """Sum of `field` over rows of `qs` whose `fk` points at the outer row (NULL when none)."""
    inner = (
        qs.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(s=Sum(field)).values("s")
    )
    return Subquery(inner, output_field=IntegerField())

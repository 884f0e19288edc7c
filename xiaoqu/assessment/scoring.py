"""Scoring formulas.

An indicator scores, with f = (value − floor) ÷ (target − floor) clamped to [0, 1]:

    points = weight × f

so the floor ("zero points at") scores nothing, the target scores the full weight, and values
in between score linearly. The same formula serves both directions: for "lower is better" the
target lies below the floor (e.g. rework rate: floor 10 %, target 2 %, 6 % scores half).

A unit's total is the sum of its points over the indicators that apply to it. An indicator
without a value for that unit (nothing due, or fewer than `MIN_COUNT` items) is left out and
the total is scaled to the weights that did apply:

    total = Σ points × (Σ weights applying ÷ Σ weights with a value)

so that a unit is neither rewarded nor punished for having nothing to assess. Ranks follow
the total (highest first; equal totals share a rank); units without any value are not ranked.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

TWO = Decimal("0.01")


def _dec(value: Decimal | float | int) -> Decimal:
    return Decimal(str(value))


def points(
    *,
    value: float | Decimal | None,
    floor: Decimal | float,
    target: Decimal | float,
    weight: Decimal | float,
) -> Decimal | None:
    """Points of one indicator (None when there is no value)."""
    if value is None:
        return None
    floor_d, target_d, weight_d = _dec(floor), _dec(target), _dec(weight)
    span = target_d - floor_d
    if span == 0:
        fraction = Decimal(1) if _dec(value) == target_d else Decimal(0)
    else:
        fraction = (_dec(value) - floor_d) / span
    fraction = min(max(fraction, Decimal(0)), Decimal(1))
    return (weight_d * fraction).quantize(TWO, rounding=ROUND_HALF_UP)


def total(cells: Sequence[tuple[Decimal | float, Decimal | None]]) -> Decimal | None:
    """The total of (weight, points) pairs of the indicators applying to a unit."""
    applying = sum((_dec(w) for w, _p in cells), Decimal(0))
    scored = [(_dec(w), p) for w, p in cells if p is not None]
    with_value = sum((w for w, _p in scored), Decimal(0))
    if not scored or with_value == 0:
        return None
    earned = sum((p for _w, p in scored if p is not None), Decimal(0))
    return (earned * applying / with_value).quantize(TWO, rounding=ROUND_HALF_UP)


def ranks(totals: Sequence[Decimal | None]) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) of the totals, highest first; None is not ranked."""
    ordered = sorted((t for t in totals if t is not None), reverse=True)
    return [None if t is None else ordered.index(t) + 1 for t in totals]

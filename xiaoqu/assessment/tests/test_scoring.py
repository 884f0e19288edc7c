"""The scoring formulas on hand-computed cases."""

from __future__ import annotations

from decimal import Decimal

from xiaoqu.assessment import scoring


def test_linear_between_the_floor_and_the_target_higher_is_better():
    # on-time rate: 60 % scores nothing, 95 % the full 20 points
    assert scoring.points(value=95, floor=60, target=95, weight=20) == Decimal("20.00")
    assert scoring.points(value=60, floor=60, target=95, weight=20) == Decimal("0.00")
    # 81 % = (81 − 60) ÷ 35 = 0.6 of 20 = 12
    assert scoring.points(value=81, floor=60, target=95, weight=20) == Decimal("12.00")
    # capped at the weight and at zero
    assert scoring.points(value=100, floor=60, target=95, weight=20) == Decimal("20.00")
    assert scoring.points(value=30, floor=60, target=95, weight=20) == Decimal("0.00")


def test_lower_is_better_uses_the_same_formula_with_the_target_below_the_floor():
    # rework: 10 % scores nothing, 2 % the full 10 points; 6 % scores half
    assert scoring.points(value=6, floor=10, target=2, weight=10) == Decimal("5.00")
    assert scoring.points(value=1, floor=10, target=2, weight=10) == Decimal("10.00")
    assert scoring.points(value=12, floor=10, target=2, weight=10) == Decimal("0.00")
    # complaints per 10k change: +10 % nothing, −10 % full 25; −4 % = 14 ÷ 20 × 25 = 17.5
    assert scoring.points(value=-4, floor=10, target=-10, weight=25) == Decimal("17.50")
    # 1 overdue of floor 20 → target 0: 19 ÷ 20 × 15 = 14.25
    assert scoring.points(value=1, floor=20, target=0, weight=15) == Decimal("14.25")


def test_no_value_scores_nothing_and_is_left_out_of_the_total():
    assert scoring.points(value=None, floor=60, target=95, weight=20) is None
    # 12 of 20 and 5 of 10 with a 30-point indicator without a value: (12 + 5) × 60 ÷ 30 = 34
    assert scoring.total([(20, Decimal(12)), (10, Decimal(5)), (30, None)]) == Decimal("34.00")
    assert scoring.total([(20, Decimal(12)), (10, Decimal(5))]) == Decimal("17.00")
    assert scoring.total([(20, None)]) is None


def test_ranks_share_equal_totals_and_leave_out_units_without_a_total():
    assert scoring.ranks([Decimal(80), Decimal(90), None, Decimal(80), Decimal(70)]) == [
        2,
        1,
        None,
        2,
        4,
    ]

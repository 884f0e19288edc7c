"""The difference-in-differences figure on constructed data with a known effect."""

from __future__ import annotations

import numpy as np
import pytest

from xiaoqu.oversight.did import did_estimate, match_controls

MONTHS, START = 18, 12


def _panel(rng: np.random.Generator, n: int, *, level: float, trend: float, effect: float):
    """Monthly rates per estate: an estate level, a common trend, noise, and `effect` added
    from the start month on."""
    base = rng.normal(level, 4.0, size=(n, 1))
    months = np.arange(MONTHS)
    rates = base + trend * months + rng.normal(0.0, 3.0, size=(n, MONTHS))
    rates[:, START:] += effect
    return rates


def test_known_effect_is_recovered_and_covered():
    rng = np.random.default_rng(1)
    pilot = _panel(rng, 20, level=40.0, trend=-0.3, effect=-5.0)
    control = _panel(rng, 60, level=30.0, trend=-0.3, effect=0.0)
    result = did_estimate(pilot, control, START)
    assert result.estimate == pytest.approx(-5.0, abs=1.5)
    assert result.low < -5.0 < result.high
    assert result.high < 0  # a clear fall
    assert result.clear
    assert result.n_pilot == 20 and result.n_control == 60
    assert len(result.pilot_monthly) == MONTHS


def test_no_effect_interval_covers_zero():
    rng = np.random.default_rng(2)
    pilot = _panel(rng, 15, level=40.0, trend=0.2, effect=0.0)
    control = _panel(rng, 45, level=35.0, trend=0.2, effect=0.0)
    result = did_estimate(pilot, control, START)
    assert result.low < 0.0 < result.high
    assert not result.clear


def test_common_trend_and_levels_cancel_out():
    """Different levels and a common fall: only the extra change is the effect."""
    pilot = np.array([[50.0] * START + [40.0] * (MONTHS - START)] * 3)
    control = np.array([[20.0] * START + [15.0] * (MONTHS - START)] * 3)
    result = did_estimate(pilot, control, START)
    assert result.estimate == pytest.approx(-5.0)
    assert result.pilot_change == pytest.approx(-10.0)
    assert result.control_change == pytest.approx(-5.0)
    # no variation between estates: the interval collapses on the estimate
    assert result.low == pytest.approx(-5.0) and result.high == pytest.approx(-5.0)


def test_same_seed_same_interval():
    rng = np.random.default_rng(3)
    pilot, control = (
        _panel(rng, 10, level=30, trend=0, effect=-2),
        _panel(rng, 30, level=30, trend=0, effect=0),
    )
    assert did_estimate(pilot, control, START) == did_estimate(pilot, control, START)


@pytest.mark.parametrize("start", [0, MONTHS])
def test_needs_months_on_both_sides(start):
    with pytest.raises(ValueError):
        did_estimate(np.ones((2, MONTHS)), np.ones((2, MONTHS)), start)


def test_controls_matched_in_the_same_subdistrict_on_pre_period_rate():
    pilots = {1: (10, 50.0), 2: (20, 10.0)}
    pool = {
        11: (10, 49.0),
        12: (10, 20.0),
        13: (10, 52.0),
        21: (20, 11.0),
        22: (20, 60.0),  # closer to pilot 1's rate, but another subdistrict
        23: (30, 50.0),
    }
    chosen = match_controls(pilots, pool, per_pilot=2)
    assert sorted(chosen) == [11, 13, 21, 22]
    # pilot 1's first picks are in its subdistrict; pilot 2 takes 21 then the rest of 20
    assert chosen[:2] == [11, 13]
    assert len(set(chosen)) == len(chosen)  # without replacement


def test_controls_fall_back_to_the_district_when_a_subdistrict_is_short():
    chosen = match_controls({1: (10, 30.0)}, {2: (10, 5.0), 3: (20, 29.0)}, per_pilot=2)
    assert chosen == [2, 3]

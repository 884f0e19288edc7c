"""Difference in differences for the pilot, without the database.

Input: complaints per 10,000 residents per estate and month, one row per estate, for the
pilot estates and for their comparison estates, and the index of the pilot's first month.

Estimate: for every estate, the mean monthly rate after the start minus the mean before; the
effect is the mean change of the pilot estates minus the mean change of the comparison
estates (each estate weighs the same). A negative effect means the pilot estates fell more.

Uncertainty: a cluster bootstrap by estate (estates are resampled with replacement within
each group, all their months together, so that months of one estate are not taken as
independent), percentile interval, fixed seed so that a page shows the same interval twice.

Comparison estates (`match_controls`): for every pilot estate the non-pilot estates of the
same subdistrict nearest to it in complaints per 10k before the start, without replacement;
when a subdistrict has too few, the nearest of the whole district.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

DRAWS = 2000
SEED = 20260701


@dataclass(frozen=True)
class DidResult:
    estimate: float
    low: float
    high: float
    level: float
    pilot_change: float
    control_change: float
    pilot_monthly: list[float]
    control_monthly: list[float]
    n_pilot: int
    n_control: int

    @property
    def clear(self) -> bool:
        """True when the interval does not cross 0."""
        return not (self.low <= 0.0 <= self.high)


def _changes(rates: np.ndarray, start: int) -> np.ndarray:
    return rates[:, start:].mean(axis=1) - rates[:, :start].mean(axis=1)


def did_estimate(
    pilot: Sequence[Sequence[float]] | np.ndarray,
    control: Sequence[Sequence[float]] | np.ndarray,
    start: int,
    *,
    draws: int = DRAWS,
    seed: int = SEED,
    level: float = 0.95,
) -> DidResult:
    p = np.asarray(pilot, dtype=float)
    c = np.asarray(control, dtype=float)
    if p.ndim != 2 or c.ndim != 2 or len(p) == 0 or len(c) == 0:
        raise ValueError("both groups need at least one estate")
    months = p.shape[1]
    if c.shape[1] != months:
        raise ValueError("both groups need the same months")
    if not 0 < start < months:
        raise ValueError("there must be months before and after the start")
    dp, dc = _changes(p, start), _changes(c, start)
    estimate = float(dp.mean() - dc.mean())
    rng = np.random.default_rng(seed)
    ip = rng.integers(0, len(dp), size=(draws, len(dp)))
    ic = rng.integers(0, len(dc), size=(draws, len(dc)))
    boot = dp[ip].mean(axis=1) - dc[ic].mean(axis=1)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(boot, [tail, 100.0 - tail])
    return DidResult(
        estimate=estimate,
        low=float(low),
        high=float(high),
        level=level,
        pilot_change=float(dp.mean()),
        control_change=float(dc.mean()),
        pilot_monthly=[float(v) for v in p.mean(axis=0)],
        control_monthly=[float(v) for v in c.mean(axis=0)],
        n_pilot=len(dp),
        n_control=len(dc),
    )


def match_controls(
    pilots: Mapping[int, tuple[int | None, float]],
    pool: Mapping[int, tuple[int | None, float]],
    *,
    per_pilot: int = 3,
) -> list[int]:
    """Comparison estates: for each pilot estate (id → (subdistrict id, pre-period rate)) the
    `per_pilot` nearest estates of `pool` in the same subdistrict, then of the whole pool."""
    free = {k: v for k, v in pool.items() if k not in pilots}
    chosen: list[int] = []
    for _pid, (subdistrict, rate) in sorted(pilots.items(), key=lambda kv: (-kv[1][1], kv[0])):
        for _ in range(per_pilot):
            same = [k for k, v in free.items() if v[0] == subdistrict]
            options = same or list(free)
            if not options:
                return chosen
            best = min(options, key=lambda k: (abs(free[k][1] - rate), k))
            chosen.append(best)
            del free[best]
    return chosen

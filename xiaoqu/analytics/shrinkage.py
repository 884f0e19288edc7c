"""Fair rankings of estates (DESIGN § Figures: "rankings never rank on tiny samples").

Model (gamma-Poisson, empirical Bayes): the complaints y of an estate in the period are
Poisson(λ · n), with n its residents in units of 10,000 and λ its true rate per 10,000; λ
follows a gamma prior with mean m, the rate of the whole scope (the district's when ranking a
district), and shape α. The posterior mean

    λ̂ = (α + y) / (α / m + n)

is the shrunk rate: a large estate keeps close to its raw rate y / n, a tiny one is pulled to
m. α is estimated by the method of moments from the spread of the estates' raw rates (the
variance of λ between estates is the observed variance minus the Poisson part m / n̄), and
kept between `ALPHA_MIN` and `ALPHA_MAX`; with too few estates it is `ALPHA_DEFAULT`.

An estate is ranked only with at least `definitions.MIN_COUNT` complaints; the others are
listed after the ranked ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .definitions import MIN_COUNT, PER

ALPHA_DEFAULT = 2.0
ALPHA_MIN = 0.5
ALPHA_MAX = 50.0


@dataclass(frozen=True)
class Prior:
    mean: float  # complaints per 10,000 residents
    alpha: float

    @property
    def beta(self) -> float:
        return self.alpha / self.mean if self.mean > 0 else float("inf")


def prior_fit(counts: Sequence[int], residents: Sequence[int]) -> Prior:
    """The gamma prior from every estate in scope (zeros included)."""
    pairs = [(y, r / PER) for y, r in zip(counts, residents, strict=True) if r and r > 0]
    total_n = sum(n for _y, n in pairs)
    if not pairs or total_n <= 0:
        return Prior(mean=0.0, alpha=ALPHA_DEFAULT)
    mean = sum(y for y, _n in pairs) / total_n
    if len(pairs) < 5 or mean <= 0:
        return Prior(mean=mean, alpha=ALPHA_DEFAULT)
    # residents-weighted variance of the raw rates, minus the expected Poisson variance
    var = sum(n * (y / n - mean) ** 2 for y, n in pairs) / total_n
    poisson = mean * len(pairs) / total_n  # m / n̄
    between = var - poisson
    if between <= 0:
        return Prior(mean=mean, alpha=ALPHA_MAX)
    alpha = mean * mean / between
    return Prior(mean=mean, alpha=min(max(alpha, ALPHA_MIN), ALPHA_MAX))


def shrunk_rate(count: int, residents: int, prior: Prior) -> float | None:
    """The posterior mean of complaints per 10,000 residents (None without residents)."""
    if not residents:
        return None
    n = residents / PER
    if prior.mean <= 0:
        return count / n
    return (prior.alpha + count) / (prior.beta + n)


def rankable(count: int) -> bool:
    return count >= MIN_COUNT

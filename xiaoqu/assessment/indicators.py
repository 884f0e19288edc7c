"""The registry of what an indicator can measure, on top of `xiaoqu.analytics.figures`.

Each measure takes the unit's scope (a subdistrict or a department of the district) and the
assessed period and returns the value in its unit with the counts behind it. A rate whose
denominator is below `MIN_COUNT` is not scored ("too few to score"), so that a unit with two
items due is not ranked on them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xiaoqu.analytics import figures
from xiaoqu.analytics.figures import Period, Scope

from .choices import AppliesTo, Direction

MIN_COUNT = 5


@dataclass(frozen=True)
class Measured:
    value: float | None
    numerator: float
    denominator: float | None  # None: a count, not a rate
    note: str = ""  # why there is no value


@dataclass(frozen=True)
class Measure:
    code: str
    label: Promise
    unit: str  # "%" or "" (a count)
    description: Promise
    compute: Callable[[Scope, Period], Measured]
    figure: str  # the drill-down figure of `analytics:records`
    kind: str | None = None  # the drill-down item kind
    # Defaults of a new indicator
    applies_to: str = AppliesTo.BOTH
    direction: str = Direction.HIGHER
    weight: Decimal = Decimal(10)
    floor: Decimal = Decimal(0)
    target: Decimal = Decimal(100)
    numerator_label: Promise | None = None
    denominator_label: Promise | None = None


def _rate(rate: Any) -> Measured:
    numerator, denominator = rate.numerator, rate.denominator
    if not denominator or denominator < MIN_COUNT:
        return Measured(None, numerator, denominator, note="few")
    return Measured(round(numerator * 100 / denominator, 2), numerator, denominator)


def _rates_attr(name: str) -> Callable[[Scope, Period], Measured]:
    def compute(scope: Scope, period: Period) -> Measured:
        return _rate(getattr(figures.rates(scope, period), name))

    return compute


def per_10k_change(scope: Scope, period: Period) -> Measured:
    """Change of complaints per 10,000 residents against the same months a year earlier, in
    per cent (negative: fewer complaints)."""
    now = figures.per_10k(scope, period)
    before = figures.per_10k(scope, period.shifted(-1))
    if now.value is None or not before.value:
        return Measured(None, now.numerator, before.numerator, note="none")
    if before.numerator < MIN_COUNT:
        return Measured(None, now.numerator, before.numerator, note="few")
    return Measured(
        round((now.value - before.value) * 100 / before.value, 2), now.numerator, before.numerator
    )


def overdue_now(scope: Scope, period: Period) -> Measured:
    """Items open past their deadline at the time of the evaluation (不作为)."""
    count = figures.overdue_now(scope)
    return Measured(float(count), count, None)


def referral_on_time(scope: Scope, period: Period) -> Measured:
    """Referral and assistance answers of the department due in the period and given by
    their deadline ÷ those due (a subdistrict has none)."""
    if not scope.department_id:
        return Measured(None, 0, 0, note="none")
    by_kind = figures.rates(scope, period).by_kind
    on_time = due = 0
    for kind in ("referral", "assistance"):
        sums = by_kind.get(kind, {})
        on_time += sums.get("on_time", 0)
        due += sums.get("due", 0)
    return _rate(figures.Rate(on_time, due))


MEASURES: tuple[Measure, ...] = (
    Measure(
        "per_10k_change",
        _("Complaints per 10,000 residents, change on a year earlier"),
        "%",
        _("Complaints per 10,000 residents in the period against the same months a year earlier."),
        per_10k_change,
        "complaints",
        applies_to=AppliesTo.SUBDISTRICTS,
        direction=Direction.LOWER,
        weight=Decimal(25),
        floor=Decimal(10),
        target=Decimal(-10),
        numerator_label=_("complaints in the period"),
        denominator_label=_("complaints a year earlier"),
    ),
    Measure(
        "on_time",
        _("On-time rate"),
        "%",
        _("Items finished by their deadline ÷ items due in the period."),
        _rates_attr("on_time"),
        "on_time",
        weight=Decimal(20),
        floor=Decimal(60),
        target=Decimal(95),
        numerator_label=_("items on time"),
        denominator_label=_("items due"),
    ),
    Measure(
        "closure",
        _("Closure rate"),
        "%",
        _("Items closed ÷ items due in the period."),
        _rates_attr("closure"),
        "closed",
        applies_to=AppliesTo.SUBDISTRICTS,
        weight=Decimal(15),
        floor=Decimal(60),
        target=Decimal(95),
        numerator_label=_("items closed"),
        denominator_label=_("items due"),
    ),
    Measure(
        "rework",
        _("Rework rate"),
        "%",
        _("Items reopened after closure ÷ items closed (返工)."),
        _rates_attr("rework"),
        "reopened",
        applies_to=AppliesTo.SUBDISTRICTS,
        direction=Direction.LOWER,
        weight=Decimal(10),
        floor=Decimal(10),
        target=Decimal(2),
        numerator_label=_("items reopened"),
        denominator_label=_("items closed"),
    ),
    Measure(
        "extension",
        _("Extension rate"),
        "%",
        _("Items whose deadline was extended ÷ items due."),
        _rates_attr("extension"),
        "extended",
        applies_to=AppliesTo.SUBDISTRICTS,
        direction=Direction.LOWER,
        weight=Decimal(5),
        floor=Decimal(20),
        target=Decimal(5),
        numerator_label=_("items extended"),
        denominator_label=_("items due"),
    ),
    Measure(
        "recurrence",
        _("Recurrence rate"),
        "%",
        _("The same violation type at the same estate within 90 days after a closure (回潮)."),
        _rates_attr("recurrence"),
        "recurrence",
        applies_to=AppliesTo.SUBDISTRICTS,
        direction=Direction.LOWER,
        weight=Decimal(10),
        floor=Decimal(15),
        target=Decimal(5),
        numerator_label=_("recurring leads"),
        denominator_label=_("leads received"),
    ),
    Measure(
        "overdue_now",
        _("Overdue now (inaction)"),
        "",
        _("Items open past their deadline at the time of the evaluation (不作为)."),
        overdue_now,
        "overdue",
        direction=Direction.LOWER,
        weight=Decimal(15),
        floor=Decimal(20),
        target=Decimal(0),
        numerator_label=_("items overdue"),
    ),
    Measure(
        "referral_on_time",
        _("Referrals answered on time"),
        "%",
        _("Referrals and assistance requests answered by their deadline ÷ those due."),
        referral_on_time,
        "on_time",
        kind="referral",
        applies_to=AppliesTo.DEPARTMENTS,
        weight=Decimal(65),
        floor=Decimal(60),
        target=Decimal(95),
        numerator_label=_("items on time"),
        denominator_label=_("items due"),
    ),
)
MEASURE_BY_CODE: dict[str, Measure] = {m.code: m for m in MEASURES}


def measure_choices() -> list[tuple[str, Any]]:
    return [(m.code, m.label) for m in MEASURES]

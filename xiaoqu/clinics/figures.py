"""Before and after a clinic: complaints about its problem (its estates × its violation type)
per month, for `BEFORE_MONTHS` months before the month it was held and every month after it up
to now, raw and with repeats folded, per 10,000 residents of its estates, and a plain statement
of the change. Counted directly from the recorded complaints (a clinic is about a handful of
estates), so the figures are current whatever the state of the analytics tables.

The statement compares the mean monthly complaints of the months before with the complete
months after (the month it was held and the current, unfinished month are shown but not
compared):

- not held yet: no date to measure from;
- too early to tell: fewer than `MIN_AFTER_MONTHS` complete months after;
- too few complaints: fewer than `MIN_COMPLAINTS` in the months compared (a change of one or
  two complaints is not a change);
- otherwise fell / rose by x %, or about the same when the change is under `SAME_BELOW` %."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from xiaoqu.analytics.drilldown import records_url
from xiaoqu.analytics.figures import Period, Rate, Scope
from xiaoqu.intake.models import Complaint

BEFORE_MONTHS = 6
MIN_AFTER_MONTHS = 3
MIN_COMPLAINTS = 6
SAME_BELOW = 5.0
PER = 10_000


def add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_start(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def _bound(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True)
class MonthFigure:
    month: dt.date
    phase: str  # before | clinic | after
    complete: bool
    complaints: int
    folded: int
    per_10k: Rate
    per_10k_folded: Rate
    url: str = ""
    url_folded: str = ""

    @property
    def label(self) -> str:
        return self.month.strftime("%Y-%m")


@dataclass
class BeforeAfter:
    held_on: dt.date | None
    residents: int
    months: list[MonthFigure] = field(default_factory=list)
    verdict: str = "not_held"  # not_held | too_early | too_few | fell | rose | same
    change: float | None = None  # % change of the mean monthly complaints (raw)
    change_folded: float | None = None

    def _phase(self, phase: str, *, complete_only: bool = False) -> list[MonthFigure]:
        return [m for m in self.months if m.phase == phase and (m.complete or not complete_only)]

    @property
    def before(self) -> list[MonthFigure]:
        return self._phase("before")

    @property
    def after(self) -> list[MonthFigure]:
        return self._phase("after", complete_only=True)

    @property
    def before_total(self) -> int:
        return sum(m.complaints for m in self.before)

    @property
    def after_total(self) -> int:
        return sum(m.complaints for m in self.after)

    @property
    def before_total_folded(self) -> int:
        return sum(m.folded for m in self.before)

    @property
    def after_total_folded(self) -> int:
        return sum(m.folded for m in self.after)

    def _mean(self, total: int, months: int) -> Rate:
        """Mean monthly complaints per 10k residents (the count is the numerator)."""
        return Rate(total, self.residents * months if months else 0, PER)

    @property
    def before_rate(self) -> Rate:
        return self._mean(self.before_total, len(self.before))

    @property
    def after_rate(self) -> Rate:
        return self._mean(self.after_total, len(self.after))

    @property
    def before_rate_folded(self) -> Rate:
        return self._mean(self.before_total_folded, len(self.before))

    @property
    def after_rate_folded(self) -> Rate:
        return self._mean(self.after_total_folded, len(self.after))

    @property
    def before_mean(self) -> float | None:
        return self.before_total / len(self.before) if self.before else None

    @property
    def after_mean(self) -> float | None:
        return self.after_total / len(self.after) if self.after else None

    @property
    def abs_change(self) -> float | None:
        return abs(self.change) if self.change is not None else None

    def chart(self) -> dict[str, Any]:
        """The spec of the page's chart (see static/clinics/clinic-chart.js)."""
        clinic_month = self.held_on.replace(day=1).strftime("%Y-%m") if self.held_on else ""
        return {
            "months": [m.label for m in self.months],
            "raw": [
                {"value": _round(m.per_10k.value), "count": m.complaints, "url": m.url}
                for m in self.months
            ],
            "folded": [
                {"value": _round(m.per_10k_folded.value), "count": m.folded, "url": m.url_folded}
                for m in self.months
            ],
            "clinic_month": clinic_month,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _change(before: float | None, after: float | None) -> float | None:
    if before is None or after is None or before == 0:
        return None
    return (after - before) / before * 100


def month_url(clinic: Any, month: dt.date, *, fold: bool, estate_ids: list[int]) -> str:
    """The records behind one month's figure: the analytics drill-down when the clinic is about
    one estate (it filters estate × type × month), else the clinic's own list of them."""
    period = Period(month, add_months(month, 1))
    if len(estate_ids) == 1:
        scope = Scope(
            district_id=clinic.district_id,
            estate_id=estate_ids[0],
            violation_code=clinic.violation_type.code,
        )
        return records_url(figure="complaints", scope=scope, period=period, fold=fold)
    params = {"month": month.strftime("%Y-%m")}
    if fold:
        params["fold"] = "1"
    return reverse("clinics:clinic_records", args=[clinic.pk]) + "?" + urlencode(params)


def problem_complaints(clinic: Any, estate_ids: list[int] | None = None) -> Any:
    """Every recorded complaint about the clinic's problem (its estates × its type)."""
    if estate_ids is None:
        estate_ids = list(clinic.estates.values_list("pk", flat=True))
    return Complaint.objects.filter(
        estate_id__in=estate_ids, violation_type__code=clinic.violation_type.code
    )


def before_after(
    clinic: Any, *, today: dt.date | None = None, before_months: int = BEFORE_MONTHS
) -> BeforeAfter:
    """The clinic's before/after figures (see the module's docstring)."""
    today = today or timezone.localdate()
    estate_ids = sorted(clinic.estates.values_list("pk", flat=True))
    residents = int(clinic.estates.aggregate(n=Sum("residents"))["n"] or 0)
    held_on = clinic.held_on
    pivot = (held_on or today).replace(day=1)
    this_month = today.replace(day=1)
    start = add_months(pivot, -before_months)
    end = add_months(max(pivot, this_month), 1)
    counts: Counter[dt.date] = Counter()
    folded: Counter[dt.date] = Counter()
    rows = problem_complaints(clinic, estate_ids).filter(
        received_at__gte=_bound(start), received_at__lt=_bound(end)
    )
    for received_at, is_repeat in rows.values_list("received_at", "is_repeat"):
        month = _month_start(received_at)
        counts[month] += 1
        if not is_repeat:
            folded[month] += 1
    result = BeforeAfter(held_on=held_on, residents=residents)
    month = start
    while month < end:
        if month < pivot:
            phase = "before"
        elif month == pivot:
            phase = "clinic"
        else:
            phase = "after"
        result.months.append(
            MonthFigure(
                month=month,
                phase=phase,
                complete=add_months(month, 1) <= today,
                complaints=counts[month],
                folded=folded[month],
                per_10k=Rate(counts[month], residents, PER),
                per_10k_folded=Rate(folded[month], residents, PER),
                url=month_url(clinic, month, fold=False, estate_ids=estate_ids),
                url_folded=month_url(clinic, month, fold=True, estate_ids=estate_ids),
            )
        )
        month = add_months(month, 1)
    if held_on is None:
        result.verdict = "not_held"
        return result
    if len(result.after) < MIN_AFTER_MONTHS:
        result.verdict = "too_early"
        return result
    if result.before_total + result.after_total < MIN_COMPLAINTS:
        result.verdict = "too_few"
        return result
    result.change = _change(result.before_mean, result.after_mean)
    before_f = result.before_total_folded / len(result.before) if result.before else None
    after_f = result.after_total_folded / len(result.after)
    result.change_folded = _change(before_f, after_f)
    if result.change is None:  # none before, some after
        result.verdict = "rose"
    elif abs(result.change) < SAME_BELOW:
        result.verdict = "same"
    else:
        result.verdict = "fell" if result.change < 0 else "rose"
    return result

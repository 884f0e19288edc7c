"""The figures (DESIGN § Figures; formulas in `xiaoqu.analytics.definitions`).

Every function reads the pre-aggregated tables (`xiaoqu.analytics.models`), never the raw
complaint rows, so that a dashboard costs the same at 10,000 and at 1,000,000 complaints.
A `Scope` comes from `scope_for(user, ...)`, which applies the user's jurisdiction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import District, Subdistrict

from . import shrinkage
from .definitions import PER
from .models import (
    ComplaintArea,
    ComplaintEstate,
    ComplaintEstateType,
    DeadlineCount,
    DeadlineEstate,
    RecurrenceArea,
    RecurrenceCount,
)

# ---------------------------------------------------------------------------------------------
# Scope, period, rate


@dataclass(frozen=True)
class Scope:
    """What a figure is about; None = not restricted on that axis."""

    district_id: int
    subdistrict_id: int | None = None
    department_id: int | None = None  # a functional department or enforcement team
    estate_id: int | None = None
    violation_code: str | None = None  # one of the 13 codes


def _add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Months: `start` inclusive, `end` exclusive, both first days of a month."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start.day != 1 or self.end.day != 1 or self.end < self.start:
            raise ValueError("a period runs from the first day of a month to another")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = dt.date(year, month, 1)
        return cls(start, _add_months(start, 1))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    @classmethod
    def quarter(cls, year: int, q: int) -> Period:
        if q not in (1, 2, 3, 4):
            raise ValueError("a quarter is 1 to 4")
        start = dt.date(year, 3 * q - 2, 1)
        return cls(start, _add_months(start, 3))

    @classmethod
    def last_months(cls, n: int, *, today: dt.date | None = None) -> Period:
        """The `n` months up to and including the current one."""
        today = today or timezone.localdate()
        end = _add_months(today.replace(day=1), 1)
        return cls(_add_months(end, -n), end)

    def shifted(self, years: int) -> Period:
        return Period(_add_months(self.start, 12 * years), _add_months(self.end, 12 * years))

    def months(self) -> list[dt.date]:
        out, month = [], self.start
        while month < self.end:
            out.append(month)
            month = _add_months(month, 1)
        return out

    def __len__(self) -> int:
        return len(self.months())


@dataclass(frozen=True)
class Rate:
    """A rate always carries its count: value = numerator ÷ denominator × scale."""

    numerator: int | float
    denominator: int | float
    scale: int = 1

    @property
    def value(self) -> float | None:
        if not self.denominator:
            return None
        return self.numerator * self.scale / self.denominator

    @property
    def percent(self) -> float | None:
        v = self.value
        return None if v is None or self.scale != 1 else v * 100


# ---------------------------------------------------------------------------------------------
# The user's scope


def _user_district_id(user: Any) -> int:
    if getattr(user, "district_id", None):
        return int(user.district_id)
    district = District.objects.order_by("pk").first()
    if district is None:
        raise PermissionDenied
    return district.pk


def scope_for(
    user: Any,
    *,
    subdistrict_id: int | None = None,
    department_id: int | None = None,
    estate_id: int | None = None,
    violation_code: str | None = None,
) -> Scope:
    """The user's own scope (district, subdistrict or department), narrowed only inside it;
    PermissionDenied for a narrowing outside it or for users without analytics (property
    companies, studios)."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    district_id = _user_district_id(user)
    kind = ScopeKind.DISTRICT if user.is_superuser else user.scope_kind
    own_sub: int | None = None
    own_dept: int | None = None
    if kind == ScopeKind.SUBDISTRICT:
        own_sub = user.subdistrict_id
        if own_sub is None:
            raise PermissionDenied
    elif kind == ScopeKind.DEPARTMENT:
        own_dept = user.department_id
        if own_dept is None:
            raise PermissionDenied
    elif kind != ScopeKind.DISTRICT:
        raise PermissionDenied
    sub = own_sub
    if subdistrict_id is not None:
        if own_sub is not None and subdistrict_id != own_sub:
            raise PermissionDenied
        if not Subdistrict.objects.filter(pk=subdistrict_id, district_id=district_id).exists():
            raise PermissionDenied
        sub = subdistrict_id
    dept = own_dept
    if department_id is not None:
        if own_dept is not None and department_id != own_dept:
            raise PermissionDenied
        departments = Department.objects.filter(pk=department_id, district_id=district_id)
        if own_sub is not None:
            departments = departments.filter(
                Q(subdistrict_id=own_sub) | Q(subdistrict__isnull=True)
            )
        if not departments.exists():
            raise PermissionDenied
        dept = department_id
    if estate_id is not None:
        estates = Estate.objects.filter(pk=estate_id, district_id=district_id)
        if sub is not None:
            estates = estates.filter(subdistrict_id=sub)
        if own_dept is not None:
            dept_sub = (
                Department.objects.filter(pk=own_dept)
                .values_list("subdistrict_id", flat=True)
                .first()
            )
            if dept_sub is not None:
                estates = estates.filter(subdistrict_id=dept_sub)
        if not estates.exists():
            raise PermissionDenied
    if (
        violation_code is not None
        and not ViolationType.objects.filter(code=violation_code).exists()
    ):
        raise PermissionDenied
    return Scope(
        district_id=district_id,
        subdistrict_id=sub,
        department_id=dept,
        estate_id=estate_id,
        violation_code=violation_code or None,
    )


# ---------------------------------------------------------------------------------------------
# Reading the tables


def _filter(
    qs: models.QuerySet[Any], scope: Scope, *, fields: Iterable[str]
) -> models.QuerySet[Any]:
    names = set(fields)
    qs = qs.filter(district_id=scope.district_id)
    for axis in ("subdistrict_id", "department_id", "estate_id", "violation_code"):
        value = getattr(scope, axis)
        if value is not None:
            if axis not in names:
                raise ValueError(f"{qs.model.__name__} has no {axis}")
            qs = qs.filter(**{axis: value})
    return qs


def _in(qs: models.QuerySet[Any], period: Period | None) -> models.QuerySet[Any]:
    if period is None:
        return qs
    return qs.filter(month__gte=period.start, month__lt=period.end)


def _complaint_table(
    scope: Scope, *, by_estate: bool = False, by_type: bool = False
) -> models.QuerySet[Any]:
    """The coarsest table that can answer for `scope` (grouped by estate or type)."""
    if scope.estate_id is not None or by_estate:
        if scope.violation_code is None and not by_type:
            return _filter(
                ComplaintEstate.objects.all(),
                scope,
                fields=("subdistrict_id", "estate_id", "department_id"),
            )
        return _filter(
            ComplaintEstateType.objects.all(),
            scope,
            fields=("subdistrict_id", "estate_id", "department_id", "violation_code"),
        )
    return _filter(
        ComplaintArea.objects.all(),
        scope,
        fields=("subdistrict_id", "department_id", "violation_code"),
    )


def _count(qs: models.QuerySet[Any], fold_repeats: bool) -> int:
    sums = qs.aggregate(n=Sum("complaints"), r=Sum("repeats"))
    n, r = sums["n"] or 0, sums["r"] or 0
    return n - r if fold_repeats else n


def _estates(scope: Scope) -> models.QuerySet[Estate]:
    estates = Estate.objects.filter(district_id=scope.district_id)
    if scope.subdistrict_id is not None:
        estates = estates.filter(subdistrict_id=scope.subdistrict_id)
    if scope.estate_id is not None:
        estates = estates.filter(pk=scope.estate_id)
    if scope.department_id is not None:
        dept_sub = (
            Department.objects.filter(pk=scope.department_id)
            .values_list("subdistrict_id", flat=True)
            .first()
        )
        if dept_sub is not None:
            estates = estates.filter(subdistrict_id=dept_sub)
    return estates


def residents(scope: Scope) -> int:
    """Residents of the estates in scope (current register). A department serving one
    subdistrict covers that subdistrict's estates; a district-wide one the district's."""
    return int(_estates(scope).aggregate(n=Sum("residents"))["n"] or 0)


def complaints(scope: Scope, period: Period, *, fold_repeats: bool = False) -> int:
    return _count(_in(_complaint_table(scope), period), fold_repeats)


def per_10k(scope: Scope, period: Period, *, fold_repeats: bool = False) -> Rate:
    """Complaints × 10,000 ÷ residents (the count is the numerator)."""
    return Rate(complaints(scope, period, fold_repeats=fold_repeats), residents(scope), PER)


@dataclass(frozen=True)
class MonthFigure:
    month: dt.date
    complaints: int
    per_10k: Rate
    repeats: int = 0


def monthly(scope: Scope, period: Period, *, fold_repeats: bool = False) -> list[MonthFigure]:
    people = residents(scope)
    rows = {
        r["month"]: (r["n"] or 0, r["r"] or 0)
        for r in _in(_complaint_table(scope), period)
        .values("month")
        .annotate(n=Sum("complaints"), r=Sum("repeats"))
        .order_by()
    }
    out = []
    for month in period.months():
        n, r = rows.get(month, (0, 0))
        count = n - r if fold_repeats else n
        out.append(
            MonthFigure(month=month, complaints=count, per_10k=Rate(count, people, PER), repeats=r)
        )
    return out


@dataclass(frozen=True)
class AreaFigure:
    subdistrict_id: int
    name: str
    code: str
    complaints: int
    residents: int
    per_10k: Rate


def by_subdistrict(scope: Scope, period: Period, *, fold_repeats: bool = False) -> list[AreaFigure]:
    """Every subdistrict in scope, in code order (zeros included)."""
    table = _in(_complaint_table(scope), period)
    counts: dict[int, int] = defaultdict(int)
    for r in (
        table.values("subdistrict_id").annotate(n=Sum("complaints"), rep=Sum("repeats")).order_by()
    ):
        counts[r["subdistrict_id"]] += (r["n"] or 0) - ((r["rep"] or 0) if fold_repeats else 0)
    people = {
        r["subdistrict_id"]: int(r["n"] or 0)
        for r in _estates(scope).values("subdistrict_id").annotate(n=Sum("residents")).order_by()
    }
    subs = Subdistrict.objects.filter(district_id=scope.district_id).order_by("code")
    if scope.subdistrict_id is not None:
        subs = subs.filter(pk=scope.subdistrict_id)
    out = []
    for sub in subs:
        n, p = counts.get(sub.pk, 0), people.get(sub.pk, 0)
        out.append(AreaFigure(sub.pk, sub.name, sub.code, n, p, Rate(n, p, PER)))
    return out


@dataclass(frozen=True)
class TypeFigure:
    code: str
    name: str
    complaints: int


def by_violation_type(scope: Scope, period: Period) -> list[TypeFigure]:
    """Complaints per violation type, most first ('' = not classified)."""
    table = _in(_complaint_table(scope, by_type=True), period)
    rows = table.values("violation_code").annotate(n=Sum("complaints")).order_by()
    names = dict(ViolationType.objects.values_list("code", "name"))
    out = [
        TypeFigure(
            r["violation_code"],
            names.get(r["violation_code"]) or str(_("Not classified")),
            r["n"] or 0,
        )
        for r in rows
        if r["n"]
    ]
    return sorted(out, key=lambda f: (-f.complaints, f.code))


@dataclass(frozen=True)
class EstateFigure:
    estate_id: int
    name: str
    subdistrict_id: int | None
    complaints: int
    residents: int
    per_10k: Rate  # raw
    shrunk: float | None  # the empirical-Bayes estimate per 10,000 the ranking uses
    ranked: bool  # enough complaints to be ranked (definitions.MIN_COUNT)


def _estate_counts(scope: Scope, period: Period) -> dict[int, int]:
    table = _in(_complaint_table(scope, by_estate=True), period)
    return {
        r["estate_id"]: r["n"] or 0
        for r in table.values("estate_id").annotate(n=Sum("complaints")).order_by()
        if r["estate_id"]
    }


def estate_figures(scope: Scope, period: Period) -> list[EstateFigure]:
    """Every estate in scope with its raw and shrunk rate, ranked order first."""
    counts = _estate_counts(scope, period)
    estates = list(_estates(scope).values_list("pk", "name", "subdistrict_id", "residents"))
    prior = shrinkage.prior_fit(
        [counts.get(pk, 0) for pk, *_rest in estates], [r or 0 for *_rest, r in estates]
    )
    out = []
    for pk, name, sub, people in estates:
        n = counts.get(pk, 0)
        out.append(
            EstateFigure(
                estate_id=pk,
                name=name,
                subdistrict_id=sub,
                complaints=n,
                residents=people or 0,
                per_10k=Rate(n, people or 0, PER),
                shrunk=shrinkage.shrunk_rate(n, people or 0, prior),
                ranked=shrinkage.rankable(n) and bool(people),
            )
        )
    return sorted(out, key=lambda f: (not f.ranked, -(f.shrunk or 0.0), -f.complaints, f.estate_id))


def top_estates(scope: Scope, period: Period, *, limit: int = 10) -> list[EstateFigure]:
    """The estates with the highest shrunk rate among those with at least MIN_COUNT
    complaints (then the others by count, when fewer are ranked)."""
    return [f for f in estate_figures(scope, period) if f.complaints][:limit]


@dataclass(frozen=True)
class Rates:
    on_time: Rate
    closure: Rate
    rework: Rate
    extension: Rate
    recurrence: Rate
    due: int = 0
    late: int = 0
    open_overdue: int = 0
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)


def _deadline_table(scope: Scope) -> models.QuerySet[Any]:
    fields = ("subdistrict_id", "department_id", "violation_code")
    if scope.estate_id is not None:
        return _filter(DeadlineEstate.objects.all(), scope, fields=(*fields, "estate_id"))
    return _filter(DeadlineCount.objects.all(), scope, fields=fields)


def _deadline_sums(
    scope: Scope, period: Period | None, kind: str | None
) -> dict[str, dict[str, int]]:
    table = _in(_deadline_table(scope), period)
    if kind is not None:
        table = table.filter(kind=kind)
    names = ("due", "on_time", "late", "open_overdue", "closed", "reopened", "extended")
    out: dict[str, dict[str, int]] = {}
    rows = table.values("kind").annotate(**{n: Sum(n) for n in names})
    for r in rows.order_by():
        out[r["kind"]] = {n: int(r[n] or 0) for n in names}
    return out


def rates(scope: Scope, period: Period, *, kind: str | None = None) -> Rates:
    """On-time, closure, rework, extension and recurrence rates of the items due in the
    period (of one kind of item, or of all)."""
    by_kind = _deadline_sums(scope, period, kind)
    t = {
        n: sum(k[n] for k in by_kind.values())
        for n in ("due", "on_time", "late", "open_overdue", "closed", "reopened", "extended")
    }
    if scope.estate_id is not None:
        rec_table = _filter(
            RecurrenceCount.objects.all(),
            scope,
            fields=("subdistrict_id", "department_id", "estate_id", "violation_code"),
        )
    else:
        rec_table = _filter(
            RecurrenceArea.objects.all(),
            scope,
            fields=("subdistrict_id", "department_id", "violation_code"),
        )
    rec = _in(rec_table, period).aggregate(n=Sum("leads"), r=Sum("recurrences"))
    return Rates(
        on_time=Rate(t["on_time"], t["due"]),
        closure=Rate(t["closed"], t["due"]),
        rework=Rate(t["reopened"], t["closed"]),
        extension=Rate(t["extended"], t["due"]),
        recurrence=Rate(rec["r"] or 0, rec["n"] or 0),
        due=t["due"],
        late=t["late"],
        open_overdue=t["open_overdue"],
        by_kind=by_kind,
    )


def overdue_now(scope: Scope) -> int:
    """Items open and marked overdue by the sweep now (whatever their month)."""
    return sum(k["open_overdue"] for k in _deadline_sums(scope, None, None).values())


@dataclass(frozen=True)
class Goals:
    """The work plan's two goals: fewer complaints per 10,000 residents, more effective
    enforcement. The year is compared with the same months of the baseline year."""

    year: int
    baseline_year: int
    months: int  # months of the year compared (up to the current month for this year)
    per_10k: Rate
    baseline_per_10k: Rate
    per_10k_folded: Rate
    baseline_per_10k_folded: Rate
    rates: Rates
    baseline_rates: Rates
    baseline_months_with_data: int = 0  # months of the baseline with any complaint recorded

    @property
    def baseline_complete(self) -> bool:
        """The platform holds records for every compared month of the baseline year."""
        return self.baseline_months_with_data >= self.months

    @property
    def per_10k_change(self) -> float | None:
        """Relative change of complaints per 10,000 against the baseline (−0.1 = 10 % fewer);
        None when the baseline year is not on record for every compared month."""
        now, base = self.per_10k.value, self.baseline_per_10k.value
        if now is None or not base or not self.baseline_complete:
            return None
        return now / base - 1


def goals(scope: Scope, year: int, *, baseline_year: int, today: dt.date | None = None) -> Goals:
    today = today or timezone.localdate()
    period = Period.year(year)
    if period.start <= today < period.end:
        period = Period(period.start, _add_months(today.replace(day=1), 1))
    base = period.shifted(baseline_year - year)
    return Goals(
        year=year,
        baseline_year=baseline_year,
        months=len(period.months()),
        per_10k=per_10k(scope, period),
        baseline_per_10k=per_10k(scope, base),
        per_10k_folded=per_10k(scope, period, fold_repeats=True),
        baseline_per_10k_folded=per_10k(scope, base, fold_repeats=True),
        rates=rates(scope, period),
        baseline_rates=rates(scope, base),
        baseline_months_with_data=sum(1 for m in monthly(scope, base) if m.complaints),
    )


def estate_monthly(
    estate_ids: Iterable[int], period: Period, *, fold_repeats: bool = False
) -> dict[int, list[int]]:
    """Complaints per month (in the period's order) of each estate, zeros included."""
    ids = list(estate_ids)
    months = period.months()
    index = {m: i for i, m in enumerate(months)}
    out = {pk: [0] * len(months) for pk in ids}
    rows = _in(ComplaintEstate.objects.filter(estate_id__in=ids), period).values_list(
        "estate_id", "month", "complaints", "repeats"
    )
    for pk, month, n, r in rows:
        out[pk][index[month]] += n - r if fold_repeats else n
    return out

"""Reads of the legal catalog. Catalog entries are public to every signed-in user; the
selectors still take the user and go through the one jurisdiction filter."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone

from . import seed_data
from .models import (
    CalendarDay,
    CatalogChange,
    DeadlineRule,
    Effective,
    Provision,
    Threshold,
    ViolationType,
)
from .workdays import DayInfo, WorkCalendar, library_knows_year, library_years

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db import models

    from xiaoqu.accounts.models import User


def violation_type_list(
    *, user: User | AnonymousUser, on: dt.date | None = None
) -> QuerySet[ViolationType]:
    """The violation types in force on a date (today by default), in catalog order."""
    return (
        ViolationType.objects.restrict(user)
        .effective(on)
        .select_related("penalty_provision__statute", "enforcer")
        .order_by("sort_order", "code")
    )


def violation_type_get(
    *, user: User | AnonymousUser, code: str, on: dt.date | None = None
) -> ViolationType | None:
    """The version of a violation type in force on a date, or None."""
    return (
        ViolationType.objects.restrict(user)
        .effective(on)
        .filter(code=code)
        .order_by("-effective_from")
        .first()
    )


def threshold_get(*, code: str, on: dt.date | None = None) -> Threshold | None:
    """The version of a threshold in force on a date (simplified_procedure, legal_review)."""
    return Threshold.objects.effective(on).filter(code=code).order_by("-effective_from").first()


def _article_key(article: str) -> tuple[Any, ...]:
    """Natural order of article numbers: 3 < 4 < 10 < 56(2)(1) < 56(2)(2) < 57/58."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"\d+|\D+", article)
    )


def provisions_in_order() -> QuerySet[Provision]:
    """Provisions by statute, then by article number in natural order."""
    rows = sorted(
        Provision.objects.values_list("pk", "statute__code", "article"),
        key=lambda row: (row[1], _article_key(row[2])),
    )
    order = Case(*[When(pk=pk, then=Value(i)) for i, (pk, _, _) in enumerate(rows)])
    return (
        Provision.objects.select_related("statute").order_by(order)
        if rows
        else (Provision.objects.none())
    )


def catalog_history(*, entry: models.Model) -> QuerySet[CatalogChange]:
    """Changes recorded for an entry; for a versioned entry, for all of its versions."""
    ids = [entry.pk]
    if isinstance(entry, Effective):
        ids = list(entry.versions().values_list("pk", flat=True))
    return CatalogChange.objects.filter(
        model=entry._meta.label_lower, object_id__in=ids
    ).select_related("actor")


def calendar_history() -> QuerySet[CatalogChange]:
    """Changes of the calendar overrides, newest first."""
    return CatalogChange.objects.filter(model=CalendarDay._meta.label_lower).select_related("actor")


# Deadline rules in the order a matter meets them (the shipped catalog's order).
PROCEDURE_ORDER = {rule.code: i for i, rule in enumerate(seed_data.DEADLINE_RULES)}


def violation_type_deadline_rules(
    *, violation_type: ViolationType, on: dt.date | None = None
) -> tuple[list[DeadlineRule], list[DeadlineRule]]:
    """(rules specific to this type, general procedural rules) in force on a date."""
    in_force = list(DeadlineRule.objects.effective(on).order_by("code", "-effective_from"))
    latest: dict[str, DeadlineRule] = {}
    for rule in in_force:
        latest.setdefault(rule.code, rule)
    specific_anywhere: set[str] = set()
    for codes in ViolationType.objects.effective(on).values_list("deadline_codes", flat=True):
        specific_anywhere.update(codes or [])
    own = [latest[c] for c in violation_type.deadline_codes or [] if c in latest]
    general = sorted(
        (r for c, r in latest.items() if c not in specific_anywhere),
        key=lambda r: (PROCEDURE_ORDER.get(r.code, len(PROCEDURE_ORDER)), r.code),
    )
    return own, general


# --- the calendar page ---------------------------------------------------------------------


@dataclass(frozen=True)
class DayCell:
    info: DayInfo
    override_id: int | None = None


@dataclass
class MonthGrid:
    year: int
    month: int
    weeks: list[list[DayCell | None]]
    working_days: int

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


@dataclass
class CalendarYear:
    year: int
    months: list[MonthGrid]
    overrides: list[CalendarDay]
    known_to_library: bool
    known: bool
    working_days: int
    years: list[int] = field(default_factory=list)
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def previous(self) -> int:
        return self.year - 1

    @property
    def next(self) -> int:
        return self.year + 1


def calendar_year(*, year: int) -> CalendarYear:
    """Twelve month grids (weeks from Monday) with each day's kind, and the year's overrides."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cal = WorkCalendar(since=start, until=end)
    overrides = list(CalendarDay.objects.filter(date__range=(start, end)).order_by("date"))
    override_ids = {o.date: o.pk for o in overrides}
    months: list[MonthGrid] = []
    total = 0
    for month in range(1, 13):
        weeks: list[list[DayCell | None]] = []
        count = 0
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row: list[DayCell | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                info = cal.info(day)
                count += info.is_working_day
                row.append(DayCell(info, override_ids.get(day)))
            weeks.append(row)
        months.append(MonthGrid(year, month, weeks, count))
        total += count
    first, last = library_years()
    this_year = timezone.localdate().year
    years = sorted(
        {
            *range(first, last + 1),
            *range(this_year - 1, this_year + 3),
            year,
            *(d.year for d in CalendarDay.objects.dates("date", "year")),
        }
    )
    return CalendarYear(
        year=year,
        months=months,
        overrides=overrides,
        known_to_library=library_knows_year(year),
        known=cal.year_is_known(year),
        working_days=total,
        years=years,
    )


def calendar_calculation(*, start: dt.date, n: int, unit: str) -> dict[str, Any]:
    """The working-day calculator: the n-th working (or calendar) day after `start`.

    For calendar days, `due` is the day a deadline actually ends on: the next working day
    when the n-th day is a rest day (see workdays.py)."""
    cal = WorkCalendar(since=start)
    if unit == "calendar_days":
        result = start + dt.timedelta(days=n)
        due = cal.next_working_day(result)
    else:
        result = due = cal.add_working_days(start, n)
    return {
        "start": start,
        "n": n,
        "unit": unit,
        "result": result,
        "result_info": cal.info(result),
        "due": due,
        "calendar_days": (result - start).days,
        "working_days": cal.working_days_between(start, result),
        "unknown_years": [y for y in range(start.year, due.year + 1) if not cal.year_is_known(y)],
    }

"""Working days: the one place that counts them.

A day is a working day according to, in this order:

1. a `CalendarDay` override entered by legal staff (wins over everything);
2. the official holiday arrangement published by the State Council, as known to the
   `chinese_calendar` package (holidays and make-up working days, 调休);
3. for years the package does not know: Monday to Friday. `year_is_known` is then False
   (unless legal staff entered overrides for that year) so that pages can warn.

Counting follows legal practice: the day an event happens is not counted, the day after is
day 1 (《民法典》第二百零一条; 《民事诉讼法》第八十五条).

Deadlines (`deadline_for`):

* hours — exact: the start plus the hours (an on-site visit within 24 or 2 hours);
* working days — the n-th working day after the start day;
* calendar days — the start day plus n days;
* years — the same month and day n years later (28 February for 29 February).

Deadlines in days or years end at 23:59:59 local time (settings.TIME_ZONE) of their last
day. When the last day of a calendar-day or year period is not a working day, the period
ends on the next working day (《民法典》第二百零三条, 《民事诉讼法》第八十五条: a period
whose last day is a statutory rest day ends on the first day after it); this is the rule
courts apply to administrative time limits too.

Every public function reads the overrides once per call. Code that computes many dates at
once builds one `WorkCalendar` and calls its methods.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import DeadlineUnit

if TYPE_CHECKING:
    from .models import DeadlineRule

END_OF_DAY = dt.time(23, 59, 59)
ONE_DAY = dt.timedelta(days=1)

# Holiday names as the library spells them, as translatable source strings.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _("Anti-Fascist 70th Day"),
}


class DayKind:
    """Why a day is, or is not, a working day."""

    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # statutory holiday of the official arrangement
    MAKEUP_WORKDAY = "makeup_workday"  # weekend day worked in exchange (调休)
    OVERRIDE_WORKDAY = "override_workday"
    OVERRIDE_HOLIDAY = "override_holiday"


DAY_KIND_LABELS = {
    DayKind.WORKDAY: _("working day"),
    DayKind.WEEKEND: _("weekend"),
    DayKind.HOLIDAY: _("statutory holiday"),
    DayKind.MAKEUP_WORKDAY: _("make-up working day"),
    DayKind.OVERRIDE_WORKDAY: _("working day (override)"),
    DayKind.OVERRIDE_HOLIDAY: _("day off (override)"),
}


@dataclass(frozen=True)
class DayInfo:
    day: dt.date
    is_working_day: bool
    kind: str
    name: str = ""

    @property
    def is_override(self) -> bool:
        return self.kind in (DayKind.OVERRIDE_WORKDAY, DayKind.OVERRIDE_HOLIDAY)

    @property
    def kind_label(self) -> str:
        return str(DAY_KIND_LABELS[self.kind])


@functools.cache
def library_years() -> tuple[int, int]:
    """The first and last year the holiday package knows."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def library_knows_year(year: int) -> bool:
    first, last = library_years()
    return first <= year <= last


@functools.lru_cache(maxsize=8192)
def _library_day(day: dt.date) -> tuple[bool, str, str]:
    """(is working day, kind, holiday name) from the package, or weekdays if it does not know."""
    weekend = day.weekday() >= 5
    if not library_knows_year(day.year):
        return (not weekend, DayKind.WEEKEND if weekend else DayKind.WORKDAY, "")
    if day in chinese_calendar.workdays:
        name = chinese_calendar.workdays[day] or ""
        return (True, DayKind.MAKEUP_WORKDAY if weekend else DayKind.WORKDAY, name)
    if day in chinese_calendar.holidays:
        return (False, DayKind.HOLIDAY, chinese_calendar.holidays[day] or "")
    return (not weekend, DayKind.WEEKEND if weekend else DayKind.WORKDAY, "")


def _as_date(day: dt.date) -> dt.date:
    """A datetime counts as its local date (a datetime never equals a date in look-ups)."""
    if isinstance(day, dt.datetime):
        if timezone.is_aware(day):
            return timezone.localtime(day, timezone.get_default_timezone()).date()
        return day.date()
    return day


def holiday_display_name(name: str) -> str:
    return str(HOLIDAY_NAMES.get(name, name))


class WorkCalendar:
    """The working-day calendar with the overrides read once, at construction.

    `since` limits the overrides read to dates on or after it (an optimisation for
    counting forward); days before it are judged without overrides."""

    def __init__(self, *, since: dt.date | None = None, until: dt.date | None = None) -> None:
        from .models import CalendarDay

        qs = CalendarDay.objects.all()
        if since is not None:
            qs = qs.filter(date__gte=since)
        if until is not None:
            qs = qs.filter(date__lte=until)
        self.overrides: dict[dt.date, tuple[bool, str]] = {
            row.date: (row.is_workday, row.name) for row in qs.only("date", "is_workday", "name")
        }
        self._override_years = {d.year for d in self.overrides}

    def info(self, day: dt.date) -> DayInfo:
        day = _as_date(day)
        override = self.overrides.get(day)
        if override is not None:
            working, name = override
            kind = DayKind.OVERRIDE_WORKDAY if working else DayKind.OVERRIDE_HOLIDAY
            return DayInfo(day, working, kind, name)
        working, kind, name = _library_day(day)
        return DayInfo(day, working, kind, holiday_display_name(name) if name else "")

    def is_working_day(self, day: dt.date) -> bool:
        day = _as_date(day)
        override = self.overrides.get(day)
        if override is not None:
            return override[0]
        return _library_day(day)[0]

    def year_is_known(self, year: int) -> bool:
        return library_knows_year(year) or year in self._override_years

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        if n < 0:
            raise ValueError("n must not be negative")
        current = _as_date(day)
        remaining = n
        while remaining:
            current += ONE_DAY
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        current = a
        while current < b:
            current += ONE_DAY
            if self.is_working_day(current):
                count += 1
        return count

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, otherwise the first working day after it."""
        current = _as_date(day)
        while not self.is_working_day(current):
            current += ONE_DAY
        return current

    def due(self, rule: DeadlineRule, start: dt.datetime, *, ongoing: bool = False) -> dt.datetime:
        """The due datetime of `rule` for an event at `start` (see the module docstring)."""
        if timezone.is_naive(start):
            raise ValueError("start must be timezone-aware")
        limit = rule.limit_if_ongoing if ongoing and rule.limit_if_ongoing else rule.limit
        if rule.unit == DeadlineUnit.HOURS:
            return start + dt.timedelta(hours=limit)
        tz = timezone.get_default_timezone()
        day = timezone.localtime(start, tz).date()
        if rule.unit == DeadlineUnit.WORKING_DAYS:
            last = self.add_working_days(day, limit)
        elif rule.unit == DeadlineUnit.CALENDAR_DAYS:
            last = self.next_working_day(day + dt.timedelta(days=limit))
        elif rule.unit == DeadlineUnit.YEARS:
            last = self.next_working_day(_add_years(day, limit))
        else:
            raise ValueError(f"unknown deadline unit {rule.unit!r}")
        return timezone.make_aware(dt.datetime.combine(last, END_OF_DAY), tz)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def is_working_day(day: dt.date) -> bool:
    day = _as_date(day)
    return WorkCalendar(since=day, until=day).is_working_day(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (`day` itself is not counted; n = 0 gives `day`)."""
    day = _as_date(day)
    return WorkCalendar(since=day).add_working_days(day, n)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after `a` up to and including `b` (negative when b is before a), so that
    working_days_between(a, add_working_days(a, n)) == n."""
    a, b = _as_date(a), _as_date(b)
    return WorkCalendar(since=min(a, b), until=max(a, b)).working_days_between(a, b)


def year_is_known(year: int) -> bool:
    """Whether the year's holiday arrangement is known: to the package, or entered by legal
    staff as overrides. When False, weekdays are counted as working days."""
    if library_knows_year(year):
        return True
    from .models import CalendarDay

    return CalendarDay.objects.filter(date__year=year).exists()


def deadline_rule_in_force(code: str, *, on: dt.date | None = None) -> DeadlineRule:
    """The version of a deadline rule in force on a date (today by default).

    Raises DeadlineRule.DoesNotExist when no version is in force."""
    from .models import DeadlineRule

    rule = DeadlineRule.objects.effective(on).filter(code=code).order_by("-effective_from").first()
    if rule is None:
        raise DeadlineRule.DoesNotExist(f"no deadline rule {code!r} in force on {on or 'today'}")
    return rule


def deadline_for(
    rule_code: str,
    start: dt.datetime,
    *,
    ongoing: bool = False,
    on: dt.date | None = None,
) -> dt.datetime:
    """When the deadline `rule_code` falls for an event at `start`.

    The rule version is the one in force on `on` (by default the local date of `start`);
    `ongoing` selects the shorter limit that applies while the act is still going on
    (illegal construction in progress: 2 hours instead of 24)."""
    if timezone.is_naive(start):
        raise ValueError("start must be timezone-aware")
    local_day = timezone.localtime(start, timezone.get_default_timezone()).date()
    rule = deadline_rule_in_force(rule_code, on=on or local_day)
    return WorkCalendar(since=local_day).due(rule, start, ongoing=ongoing)

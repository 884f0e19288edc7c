"""Working time for generated history: when the command centre, the officers and the
departments' liaisons plausibly act, on the official working-day calendar (with 调休)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from xiaoqu.law.workdays import WorkCalendar

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Shift:
    """Hours of work (local time, [start, end) in minutes after midnight) and whether they are
    worked on every day or on working days only."""

    periods: tuple[tuple[int, int], ...]
    every_day: bool


def _hm(hour: int, minute: int = 0) -> int:
    return hour * 60 + minute


# The command centre (指挥中心) is staffed every day; 12345 work orders that arrive at night
# wait for the morning.
DUTY = Shift(((_hm(8), _hm(20)),), every_day=True)
# Offices: subdistrict teams on ordinary visits, departments' liaisons.
OFFICE = Shift(((_hm(8, 30), _hm(11, 30)), (_hm(13), _hm(17, 30))), every_day=False)
# Urgent field work (illegal construction: on site within 24 hours, 2 while it goes on).
FIELD = Shift(((_hm(7), _hm(21)),), every_day=True)


class Clock:
    """Local working time on the calendar in force (overrides read once)."""

    def __init__(self, *, since: dt.date) -> None:
        self.calendar = WorkCalendar(since=since)
        self.tz = timezone.get_default_timezone()

    def local(self, moment: dt.datetime) -> dt.datetime:
        return timezone.localtime(moment, self.tz)

    def make(self, day: dt.date, minutes: int) -> dt.datetime:
        return timezone.make_aware(
            dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)), self.tz
        )

    def is_working_day(self, day: dt.date) -> bool:
        return self.calendar.is_working_day(day)

    def works(self, shift: Shift, day: dt.date) -> bool:
        return shift.every_day or self.is_working_day(day)

    def snap(self, moment: dt.datetime, shift: Shift) -> dt.datetime:
        """`moment` if it falls in the shift, else the shift's next start."""
        local = self.local(moment)
        day = local.date()
        minutes = local.hour * 60 + local.minute
        while True:
            if self.works(shift, day):
                for start, end in shift.periods:
                    if minutes < end:
                        if minutes >= start:
                            return moment
                        return self.make(day, start)
            day += ONE_DAY
            minutes = -1
            moment = self.make(day, 0)

    def later(
        self, moment: dt.datetime, minutes: float, shift: Shift, rng: random.Random
    ) -> dt.datetime:
        """`minutes` after `moment`, moved into the shift; work that waited for the shift
        to start is picked up in its first hour, and a few seconds of jitter keep
        timestamps apart."""
        moment = moment + dt.timedelta(minutes=minutes, seconds=rng.randint(0, 59))
        snapped = self.snap(moment, shift)
        if snapped == moment:
            return moment
        return self.snap(snapped + dt.timedelta(minutes=rng.randint(0, 50)), shift)

    def working_day_after(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n = 0: `day` itself if it is one, else the next)."""
        if n <= 0:
            return self.calendar.next_working_day(day)
        return self.calendar.add_working_days(day, n)

    def office_time(self, day: dt.date, rng: random.Random, *, after: int = 0) -> dt.datetime:
        """A plausible office moment on `day` (a working day), not before `after` minutes."""
        start, end = rng.choice(OFFICE.periods)
        low = max(start, after)
        if low >= end:
            start, end = OFFICE.periods[-1]
            low = max(start, min(after, end - 1))
        return self.make(day, rng.randint(low, end - 1))

    def office_after(self, moment: dt.datetime, days: int, rng: random.Random) -> dt.datetime:
        """An office moment on the `days`-th working day after `moment` (0: later the same
        working day when office hours are left, else the next working day)."""
        local = self.local(moment)
        day = local.date()
        if days <= 0:
            minutes = local.hour * 60 + local.minute + 20
            if self.is_working_day(day) and minutes < OFFICE.periods[-1][1] - 10:
                return max(moment, self.office_time(day, rng, after=minutes))
            days = 1
        return self.office_time(self.working_day_after(day, days), rng)

    def day_after(
        self, moment: dt.datetime, days: int, shift: Shift, rng: random.Random
    ) -> dt.datetime:
        """A moment in the shift `days` calendar days after `moment`."""
        day = self.local(moment).date() + dt.timedelta(days=days)
        start, end = rng.choice(shift.periods)
        return self.snap(self.make(day, rng.randint(start, end - 1)), shift)

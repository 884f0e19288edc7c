"""Working days and deadlines (the official arrangement, overrides, unknown years)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from xiaoqu.law.models import CalendarDay, DeadlineRule
from xiaoqu.law.workdays import (
    DayKind,
    WorkCalendar,
    add_working_days,
    deadline_for,
    is_working_day,
    library_knows_year,
    working_days_between,
    year_is_known,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=SHANGHAI)


# --- the 2026 Spring Festival: holiday 15–23 February, make-up Saturdays 14 and 28 February


@pytest.mark.django_db
class TestSpringFestival2026:
    def test_holiday_and_makeup_days(self) -> None:
        assert is_working_day(D(2026, 2, 13))  # Friday
        assert is_working_day(D(2026, 2, 14))  # Saturday worked in exchange
        for day in range(15, 24):
            assert not is_working_day(D(2026, 2, day))
        assert is_working_day(D(2026, 2, 24))
        assert is_working_day(D(2026, 2, 28))  # Saturday worked in exchange
        assert not is_working_day(D(2026, 3, 1))  # Sunday

    def test_add_working_days(self) -> None:
        assert add_working_days(D(2026, 2, 13), 0) == D(2026, 2, 13)
        assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
        assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
        assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
        # 24, 25, 26, 27, 28 (Saturday, worked) are five working days after the 14th.
        assert add_working_days(D(2026, 2, 14), 5) == D(2026, 2, 28)
        assert add_working_days(D(2026, 2, 14), 6) == D(2026, 3, 2)

    def test_datetimes_count_as_their_local_date(self) -> None:
        late = dt.datetime(2026, 2, 13, 20, 0, tzinfo=dt.UTC)  # 04:00 on the 14th in Shanghai
        assert add_working_days(late, 1) == D(2026, 2, 24)
        assert is_working_day(late)
        assert working_days_between(late, D(2026, 2, 24)) == 1

    def test_negative_n_is_refused(self) -> None:
        with pytest.raises(ValueError):
            add_working_days(D(2026, 2, 13), -1)

    def test_working_days_between(self) -> None:
        assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2
        assert working_days_between(D(2026, 2, 24), D(2026, 2, 13)) == -2
        assert working_days_between(D(2026, 2, 15), D(2026, 2, 15)) == 0
        for n in range(0, 30):
            day = add_working_days(D(2026, 2, 10), n)
            assert working_days_between(D(2026, 2, 10), day) == n

    def test_day_kinds(self) -> None:
        calendar = WorkCalendar()
        assert calendar.info(D(2026, 2, 14)).kind == DayKind.MAKEUP_WORKDAY
        holiday = calendar.info(D(2026, 2, 17))
        assert holiday.kind == DayKind.HOLIDAY and holiday.name
        assert calendar.info(D(2026, 3, 1)).kind == DayKind.WEEKEND
        assert calendar.info(D(2026, 3, 2)).kind == DayKind.WORKDAY


@pytest.mark.django_db
class TestUnknownYearsAndOverrides:
    def test_unknown_year_falls_back_to_weekdays(self) -> None:
        assert not library_knows_year(2027)
        assert not year_is_known(2027)
        assert is_working_day(D(2027, 1, 1))  # a Friday: not known as a holiday yet
        assert not is_working_day(D(2027, 1, 2))  # Saturday
        assert year_is_known(2026)

    def test_override_takes_effect(self) -> None:
        assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
        CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
        CalendarDay.objects.create(date=D(2027, 1, 2), is_workday=True, name="元旦调休")
        assert year_is_known(2027)
        assert not is_working_day(D(2027, 1, 1))
        assert is_working_day(D(2027, 1, 2))
        assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 2)
        assert add_working_days(D(2026, 12, 31), 2) == D(2027, 1, 4)
        assert working_days_between(D(2026, 12, 31), D(2027, 1, 4)) == 2
        info = WorkCalendar().info(D(2027, 1, 1))
        assert info.is_override and info.kind == DayKind.OVERRIDE_HOLIDAY

    def test_override_wins_over_the_library(self) -> None:
        CalendarDay.objects.create(date=D(2026, 2, 14), is_workday=False, note="test")
        assert not is_working_day(D(2026, 2, 14))
        assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 24)

    def test_overrides_are_read_once(self, django_assert_max_num_queries: Any) -> None:
        CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False)
        with django_assert_max_num_queries(1):
            add_working_days(D(2026, 1, 1), 400)


@pytest.mark.usefixtures("catalog")
class TestDeadlineFor:
    def test_working_days(self) -> None:
        # Reported on Friday 13 Feb 2026: 5 working days are 14, 24, 25, 26, 27 February.
        assert deadline_for("report_reply", at(2026, 2, 13)) == end_of(D(2026, 2, 27))
        assert deadline_for("transfer_not_ours", at(2026, 2, 13, 23, 30)) == end_of(D(2026, 2, 25))

    def test_calendar_days(self) -> None:
        assert deadline_for("assistance_reply", at(2026, 3, 2)) == end_of(D(2026, 3, 12))
        assert deadline_for("fine_payment", at(2026, 3, 2)) == end_of(D(2026, 3, 17))

    def test_calendar_days_ending_on_a_rest_day_move_to_the_next_working_day(self) -> None:
        # 10 days after 5 Feb 2026 is Sunday 15 Feb, in the Spring Festival: due on the 24th.
        assert deadline_for("assistance_reply", at(2026, 2, 5)) == end_of(D(2026, 2, 24))

    def test_hours(self) -> None:
        start = at(2026, 2, 16, 9, 15)
        assert deadline_for("illegal_construction_on_site", start) == start + dt.timedelta(hours=24)
        ongoing = deadline_for("illegal_construction_on_site", start, ongoing=True)
        assert ongoing == start + dt.timedelta(hours=2)

    def test_ongoing_without_a_shorter_limit_uses_the_limit(self) -> None:
        assert deadline_for("report_reply", at(2026, 2, 13), ongoing=True) == end_of(D(2026, 2, 27))

    def test_years(self) -> None:
        assert deadline_for("limitation", at(2024, 3, 1)) == end_of(
            D(2026, 3, 2)
        )  # 1 Mar is a Sunday
        assert deadline_for("limitation", at(2024, 3, 4)) == end_of(D(2026, 3, 4))
        # 29 Feb has no counterpart: 28 Feb 2026, a Saturday worked in exchange.
        assert deadline_for("limitation", at(2024, 2, 29)) == end_of(D(2026, 2, 28))

    def test_start_is_taken_in_local_time(self) -> None:
        # 17:00 UTC on 12 Feb is 01:00 on 13 Feb in Shanghai.
        start = dt.datetime(2026, 2, 12, 17, 0, tzinfo=dt.UTC)
        assert deadline_for("report_reply", start) == end_of(D(2026, 2, 27))

    def test_naive_start_is_refused(self) -> None:
        with pytest.raises(ValueError):
            deadline_for("report_reply", dt.datetime(2026, 2, 13, 10, 0))

    def test_version_in_force_is_used(self) -> None:
        old = DeadlineRule.objects.get(code="report_reply")
        old.effective_to = D(2026, 6, 1)
        old.save()
        DeadlineRule.objects.create(
            code="report_reply",
            description="new",
            limit=3,
            unit="working_days",
            source_title="test",
            effective_from=D(2026, 6, 1),
        )
        assert deadline_for("report_reply", at(2026, 5, 29)) == end_of(D(2026, 6, 5))
        assert deadline_for("report_reply", at(2026, 6, 1)) == end_of(D(2026, 6, 4))
        assert deadline_for("report_reply", at(2026, 6, 1), on=D(2026, 5, 1)) == end_of(
            D(2026, 6, 8)
        )

    def test_unknown_rule(self) -> None:
        with pytest.raises(DeadlineRule.DoesNotExist):
            deadline_for("no_such_rule", at(2026, 2, 13))

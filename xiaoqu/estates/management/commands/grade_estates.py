"""`xiaoqu grade-estates [--month YYYY-MM] [--district CODE]`: compute the estates' risk
grades of a month (the current month by default) and bring their current grades up to date.

Idempotent: a month computed again updates only the grades whose result changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xiaoqu.estates.grading import current_month, estate_grades_recompute
from xiaoqu.regions.models import District


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        raise CommandError(_("Not a month (YYYY-MM): %(value)s") % {"value": value}) from exc


class Command(BaseCommand):
    help = "Compute the estates' risk grades of a month (the current month by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM")
        parser.add_argument("--district", help="district code (every district by default)")

    def handle(self, *args: Any, **options: Any) -> None:
        month = _month(options["month"]) if options["month"] else current_month()
        district = None
        if options["district"]:
            district = District.objects.filter(code=options["district"]).first()
            if district is None:
                raise CommandError(_("No district %(code)s.") % {"code": options["district"]})
        counts = estate_grades_recompute(district=district, month=month)
        self.stdout.write(
            _("Grades of %(month)s: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
            % {"month": month.strftime("%Y-%m"), **counts}
        )

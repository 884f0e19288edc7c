"""`xiaoqu propose-demerits`: propose the credit demerits of decided cases that have none, and
mark proposals the housing bureau has not answered in time as overdue.

Idempotent (a case has at most one proposal; an overdue proposal is marked once), safe to
run from a timer beside `xiaoqu sweep`. Exit code 1 when a case could not be processed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xiaoqu.credit.services import demerit_sweep, demerits_propose_missing


def _day(value: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("Not a date: %(value)s") % {"value": value}) from exc
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _listed(numbers: list[str], shown: int = 20) -> str:
    text = "、".join(numbers[:shown])
    if len(numbers) > shown:
        text += _(" and %(n)d more") % {"n": len(numbers) - shown}
    return text


class Command(BaseCommand):
    help = (
        "Propose the credit demerits of decided cases without a proposal; mark unanswered "
        "proposals past their deadline as overdue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            type=_day,
            default=None,
            help="Only cases decided on or after this date (YYYY-MM-DD); default: every case.",
        )
        parser.add_argument(
            "--no-sweep",
            action="store_true",
            help="Do not mark overdue proposals.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = demerits_propose_missing(since=options["since"])
        self.stdout.write(
            _("%(checked)d decided cases without a proposal checked; %(n)d demerits proposed.")
            % {"checked": result.checked, "n": len(result.proposed)}
        )
        if result.proposed:
            self.stdout.write("  " + _listed(result.proposed))
        if not options["no_sweep"]:
            marked = demerit_sweep()
            self.stdout.write(
                ngettext(
                    "%(n)d proposal marked overdue.", "%(n)d proposals marked overdue.", len(marked)
                )
                % {"n": len(marked)}
            )
            if marked:
                self.stdout.write("  " + _listed(marked))
        if result.errors:
            for error in result.errors:
                self.stderr.write("  " + error)
            raise CommandError(
                ngettext(
                    "%(n)d case could not be processed; see the log.",
                    "%(n)d cases could not be processed; see the log.",
                    len(result.errors),
                )
                % {"n": len(result.errors)}
            )

"""`xiaoqu sweep`: mark overdue items, escalate them and issue urge notices (催办).

Meant for a timer every few minutes (systemd timer or cron); two sweeps running at once
never mark an item twice. Exit code 1 when an item could not be processed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xiaoqu.analytics.build import analytics_refresh
from xiaoqu.credit.services import demerit_sweep
from xiaoqu.estates.grading import estate_grades_sweep
from xiaoqu.oversight.lapses import lapses_refresh_all
from xiaoqu.patrols.services import patrol_tasks_generate
from xiaoqu.supervision.services import sweep


def _moment(value: str) -> dt.datetime:
    moment = parse_datetime(value)
    if moment is None:
        raise CommandError(_("Not a date and time: %(value)s") % {"value": value})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


class Command(BaseCommand):
    help = "Mark overdue items, escalate them to the command centre and issue urge notices."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at",
            type=_moment,
            default=None,
            help="Sweep as of this time (ISO 8601, local time when no offset); default: now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["at"] is not None and options["at"] > timezone.now():
            # marking items overdue before their time would be wrong and irreversible
            raise CommandError(_("--at cannot be in the future."))
        result = sweep(at=options["at"])
        demerits = demerit_sweep(at=options["at"])  # the housing bureau's answers to proposals
        # prevention: the month's estate grades once, then the patrol tasks they call for
        graded = estate_grades_sweep(at=options["at"])
        patrols = patrol_tasks_generate(at=options["at"])
        # figures: the pre-aggregated tables and the lapse lists follow the new events
        figures = analytics_refresh(at=options["at"])
        lapses = lapses_refresh_all(at=options["at"])
        self.stdout.write(
            _(
                "Sweep of %(at)s: %(n)d marked overdue (leads %(leads)d, referrals "
                "%(referrals)d, assistance requests %(assistance)d, replies to reporters "
                "%(complaints)d); %(notified)d notifications sent."
            )
            % {
                "at": timezone.localtime(result.at).strftime("%Y-%m-%d %H:%M"),
                "n": result.marked,
                "leads": len(result.leads),
                "referrals": len(result.referrals),
                "assistance": len(result.assistance),
                "complaints": len(result.complaints),
                "notified": result.notified,
            }
        )
        for label, numbers in (
            (_("Leads"), result.leads),
            (_("Referrals"), result.referrals),
            (_("Assistance requests"), result.assistance),
            (_("Replies to reporters"), result.complaints),
            (_("Penalty cases"), result.cases),
            (_("Action items of meetings"), result.action_items),  # meetings: action items
            (_("Demerit proposals"), demerits),
        ):
            if numbers:
                self.stdout.write(
                    "  " + _("%(label)s: %(value)s") % {"label": label, "value": "、".join(numbers)}
                )
        if graded:
            self.stdout.write(
                "  " + _("Estate grades computed for this month: %(n)d.") % {"n": graded}
            )
        self.stdout.write("  " + str(patrols))
        self.stdout.write(
            "  "
            + _(
                "Figures refreshed in %(seconds).1f s; lapse lists: %(created)d new, "
                "%(updated)d updated."
            )
            % {
                "seconds": figures.seconds,
                "created": lapses.get("created", 0),
                "updated": lapses.get("updated", 0),
            }
        )
        if result.errors:
            for error in result.errors:
                self.stderr.write("  " + error)
            raise CommandError(
                ngettext(
                    "%(n)d item could not be processed; see the log.",
                    "%(n)d items could not be processed; see the log.",
                    len(result.errors),
                )
                % {"n": len(result.errors)}
            )

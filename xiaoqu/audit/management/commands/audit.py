"""`xiaoqu audit verify`: walk every record's hash chain of events and report every edited,
inserted or missing event. Exit code 1 when something is wrong."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xiaoqu.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit the event log: `verify` walks every hash chain and reports any tampering."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help="verify: check every chain")

    def handle(self, *args: Any, **options: Any) -> None:
        records, events, problems = audit_verify()
        self.stdout.write(
            _("Checked %(events)d events of %(records)d records.")
            % {"events": events, "records": records}
        )
        if not problems:
            self.stdout.write(self.style.SUCCESS(_("Every chain is intact.")))
            return
        for problem in problems:
            self.stderr.write("  " + problem)
        raise CommandError(
            ngettext(
                "%(n)d problem found: the event log was altered.",
                "%(n)d problems found: the event log was altered.",
                len(problems),
            )
            % {"n": len(problems)}
        )

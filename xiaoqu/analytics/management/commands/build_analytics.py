"""`xiaoqu build-analytics [--district CODE]`: rebuild the pre-aggregated tables of the
figures from the records and their events (the sweep keeps them current afterwards)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xiaoqu.analytics.build import analytics_build, table_rows
from xiaoqu.regions.models import District


class Command(BaseCommand):
    help = "Rebuild the pre-aggregated tables of the dashboards from the records and events."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--district", default=None, help="Only this district (6-digit code); default: all."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        district = None
        if options["district"]:
            district = District.objects.filter(code=options["district"]).first()
            if district is None:
                raise CommandError(
                    _("No district with the code %(code)s.") % {"code": options["district"]}
                )
        report = analytics_build(district=district)
        for name, n in table_rows().items():
            self.stdout.write(f"{name}: {n}")
        self.stdout.write(
            _("Analytics rebuilt in %(seconds).1f s (%(rows)d rows written).")
            % {"seconds": report.seconds, "rows": sum(report.rows.values())}
        )

"""`xiaoqu import-boundaries FILE.geojson`: attach boundary polygons to the district and its
subdistricts, matched by code (code / adcode / stat_code) or by name. Idempotent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xiaoqu.regions.models import District
from xiaoqu.regions.services import BoundaryImportReport, MissReason, Outcome, boundaries_import


def miss_reason_text(reason: str) -> str:
    texts: dict[str, str] = {
        MissReason.NO_GEOMETRY: _("no polygon geometry"),
        MissReason.OTHER_DISTRICT: _("belongs to another district"),
        MissReason.NO_MATCH: _("no subdistrict with this code or name"),
        MissReason.AMBIGUOUS: _("the name fits more than one subdistrict"),
        MissReason.DUPLICATE: _("an earlier feature in the file already matched the same unit"),
    }
    return texts.get(reason, reason)


class Command(BaseCommand):
    help = (
        "Import district and subdistrict boundaries from a GeoJSON file, matching features "
        "by code or name."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("GeoJSON FeatureCollection or Feature."))
        parser.add_argument(
            "--district",
            default=settings.XIAOQU_DEFAULT_DISTRICT,
            help=_("Code of the district the boundaries belong to (default: %(default)s)."),
        )
        parser.add_argument(
            "--source",
            default="",
            help=_("Source to record instead of the features' `source` property or the file name."),
        )
        osm = parser.add_mutually_exclusive_group()
        osm.add_argument(
            "--osm",
            dest="osm",
            action="store_true",
            default=None,
            help=_("The data is from OpenStreetMap: record its attribution (detected by default)."),
        )
        osm.add_argument(
            "--not-osm",
            dest="osm",
            action="store_false",
            help=_("The data is not from OpenStreetMap."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error}
            ) from error
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(
                _("%(file)s is not a GeoJSON file: %(error)s") % {"file": path, "error": error}
            ) from error
        if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
            raise CommandError(
                _("%(file)s is not a GeoJSON FeatureCollection or Feature.") % {"file": path}
            )
        district = District.objects.filter(code=options["district"]).first()
        if district is None:
            raise CommandError(
                _("District %(code)s does not exist: run “xiaoqu seed” first.")
                % {"code": options["district"]}
            )
        report = boundaries_import(
            collection=data,
            district=district,
            source_name=path.name,
            source=options["source"],
            osm=options["osm"],
        )
        self._report(path, report)

    def _report(self, path: Path, report: BoundaryImportReport) -> None:
        self.stdout.write(
            _("%(file)s: %(matched)d features matched, %(unmatched)d not matched.")
            % {
                "file": path.name,
                "matched": len(report.matched),
                "unmatched": len(report.unmatched),
            }
        )
        for match in report.matched:
            by = _("by code") if match.matched_by == "code" else _("by name")
            status = _("unchanged") if match.outcome == Outcome.UNCHANGED else _("updated")
            self.stdout.write(
                _("  %(feature)s → %(target)s (%(by)s): %(status)s")
                % {"feature": match.label, "target": match.target, "by": by, "status": status}
            )
        for miss in report.unmatched:
            self.stdout.write(
                _("  not matched: %(feature)s (%(reason)s)")
                % {"feature": miss.label, "reason": miss_reason_text(miss.reason)}
            )
        if report.matched:
            source = report.matched[0].target.boundary_source
            self.stdout.write(_("Boundary source recorded: %(source)s") % {"source": source})
        self.stdout.write(
            _("%(changed)d boundaries written, %(same)d already up to date.")
            % {"changed": report.changed, "same": len(report.matched) - report.changed}
        )

"""The shared body of `xiaoqu import-estates`, `import-companies` and `import-users`."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from .choices import ImportMode
from .engine import ImportResult, build_layout, import_run, require_columns
from .jobs import import_job_record
from .reader import ImportFileError, read_rows
from .report import errors_xlsx, passwords_xlsx, save_workbook
from .specs import spec_class

if TYPE_CHECKING:
    from xiaoqu.accounts.models import User

SHOW_ERRORS = 20


def parse_map(values: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in values:
        field, sep, header = item.partition("=")
        if not sep or not field.strip():
            raise CommandError(
                _("--map takes field=header, e.g. --map name=xiaoqu_name; got “%(item)s”.")
                % {"item": item}
            )
        mapping[field.strip()] = header.strip()
    return mapping


def summary_lines(result: ImportResult, *, seconds: float | None = None) -> list[str]:
    """The result in a few lines for the console."""
    lines = [
        _("Rows read: %(total)d (valid %(valid)d, invalid %(invalid)d).")
        % {"total": result.rows_total, "valid": result.rows_valid, "invalid": result.rows_invalid},
        _("Created %(created)d, updated %(updated)d, unchanged %(unchanged)d, skipped %(skipped)d.")
        % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "skipped": result.skipped,
        },
    ]
    labels = spec_class(result.kind).related_labels
    for key, value in result.related.items():
        lines.append(f"{labels.get(key, key)}: {value}")
    if result.rejected:
        lines.append(
            _("All-or-nothing mode: %(n)d invalid rows, so nothing was written.")
            % {"n": result.rows_invalid}
        )
    elif result.dry_run:
        lines.append(_("Dry run: nothing was written."))
    if seconds is not None:
        lines.append(_("Time: %(seconds).1f s.") % {"seconds": seconds})
    return lines


class ImportCommand(BaseCommand):
    kind: ClassVar[str]

    def add_arguments(self, parser: CommandParser) -> None:
        fields = ", ".join(spec_class(self.kind).field_names())
        parser.add_argument("file", help=_("The .xlsx or .csv file to import."))
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help=_("Read FIELD from the column headed HEADER (repeatable). Fields: %(fields)s.")
            % {"fields": fields},
        )
        parser.add_argument(
            "--mode",
            choices=ImportMode.values,
            default=ImportMode.ATOMIC,
            help=_(
                "atomic (default): write nothing if any row is invalid; "
                "skip: write the valid rows and report the others."
            ),
        )
        parser.add_argument(
            "--errors", metavar="REPORT.xlsx", help=_("Write the row errors to this workbook.")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Validate and count, but write nothing.")
        )
        parser.add_argument(
            "--district",
            metavar="CODE",
            help=_("District code for rows without a district (default: XIAOQU_DEFAULT_DISTRICT)."),
        )
        parser.add_argument(
            "--actor",
            metavar="USERNAME",
            help=_("The user the import is recorded for (default: the system)."),
        )
        self.add_kind_arguments(parser)

    def add_kind_arguments(self, parser: CommandParser) -> None:
        """Options of one kind of import."""

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        mapping = parse_map(options["map"])
        spec_cls = spec_class(self.kind)
        actor = self.actor(options.get("actor"))
        started = time.monotonic()
        hint = ""
        try:
            sheet = read_rows(path)
            layout = build_layout(spec_cls, sheet, mapping)
            if layout.missing_required:
                hint = " ".join(f"--map {name}=HEADER" for name in layout.missing_required)
                require_columns(spec_cls, layout)
            spec = spec_cls(default_district=options["district"])
            result = import_run(
                spec=spec,
                sheet=sheet,
                layout=layout,
                mode=options["mode"],
                dry_run=options["dry_run"],
                actor=actor,
            )
        except ImportFileError as exc:
            message = str(exc)
            if hint:
                message += " " + _("On the command line: %(hint)s") % {"hint": hint}
            raise CommandError(message) from exc
        seconds = time.monotonic() - started
        if not result.dry_run:
            import_job_record(
                result=result, file_name=path.name, mapping=layout.mapping, actor=actor
            )
        self.report(result, options, seconds=seconds)
        if result.rejected:
            raise CommandError(
                _("%(n)d rows rejected; nothing was written.") % {"n": result.rows_invalid},
                returncode=1,
            )

    def actor(self, username: str | None) -> User | None:
        if not username:
            return None
        from xiaoqu.accounts.models import User

        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(_("No user “%(username)s”.") % {"username": username}) from None

    def report(self, result: ImportResult, options: dict[str, Any], *, seconds: float) -> None:
        ok = self.style.SUCCESS
        for line in summary_lines(result, seconds=seconds):
            self.stdout.write(ok(line) if not result.rows_invalid else line)
        if result.errors:
            self.stdout.write(
                self.style.WARNING(
                    _("First errors (row, column: reason):")
                    if len(result.errors) > SHOW_ERRORS
                    else _("Errors (row, column: reason):")
                )
            )
            for error in result.errors[:SHOW_ERRORS]:
                column = error.column or "—"
                self.stdout.write(f"  {error.row}, {column}: {error.message}")
            if len(result.errors) > SHOW_ERRORS:
                self.stdout.write(
                    _("… and %(n)d more errors.") % {"n": len(result.errors) - SHOW_ERRORS}
                )
        if options.get("errors"):
            save_workbook(
                errors_xlsx(result.errors, file_name=Path(options["file"]).name), options["errors"]
            )
            self.stdout.write(_("Error report written to %(path)s.") % {"path": options["errors"]})
        self.report_credentials(result, options)

    def report_credentials(self, result: ImportResult, options: dict[str, Any]) -> None:
        if not result.credentials:
            return
        target = options.get("passwords")
        if target:
            save_workbook(passwords_xlsx(result.credentials), target)
            self.stdout.write(
                _("Initial passwords of %(n)d new users written to %(path)s.")
                % {"n": len(result.credentials), "path": target}
            )
            return
        self.stdout.write(
            self.style.WARNING(
                _("Initial passwords of new users (shown once; hand them over in person):")
            )
        )
        for c in result.credentials:
            self.stdout.write(f"  {c.username}\t{c.name}\t{c.password}")


def add_passwords_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passwords",
        metavar="PASSWORDS.xlsx",
        help=_("Write the generated initial passwords to this workbook instead of the console."),
    )

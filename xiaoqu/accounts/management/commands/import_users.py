"""xiaoqu import-users FILE [--map field=header ...] [--mode atomic|skip] [--errors report.xlsx]
[--passwords passwords.xlsx] [--dry-run]: import user accounts with their roles and scopes."""

from django.core.management.base import CommandParser

from xiaoqu.core.imports.choices import ImportKind
from xiaoqu.core.imports.command import ImportCommand, add_passwords_argument


class Command(ImportCommand):
    help = (
        "Import users from an .xlsx or .csv file. New users without a password get a generated "
        "initial password, shown once (or written with --passwords)."
    )
    kind = ImportKind.USERS

    def add_kind_arguments(self, parser: CommandParser) -> None:
        add_passwords_argument(parser)

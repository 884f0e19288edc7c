"""xiaoqu import-companies FILE [--map field=header ...] [--mode atomic|skip]
[--errors report.xlsx] [--dry-run]: import property companies by unified social credit code."""

from xiaoqu.core.imports.choices import ImportKind
from xiaoqu.core.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Import property companies from an .xlsx or .csv file, by unified social credit code."
    kind = ImportKind.COMPANIES

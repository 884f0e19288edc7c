"""xiaoqu import-estates FILE [--map field=header ...] [--mode atomic|skip] [--errors report.xlsx]
[--dry-run]: import estates from an .xlsx or .csv file (only the estate name is required)."""

from xiaoqu.core.imports.choices import ImportKind
from xiaoqu.core.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Import estates from an .xlsx or .csv file; a re-import updates instead of duplicating."
    kind = ImportKind.ESTATES

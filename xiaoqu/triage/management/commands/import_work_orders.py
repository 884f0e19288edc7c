"""xiaoqu import-work-orders FILE [--map field=header ...] [--mode atomic|skip]
[--errors report.xlsx] [--dry-run]: import 12345 work orders; each new order is triaged."""

from xiaoqu.core.imports.choices import ImportKind
from xiaoqu.core.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import 12345 work orders from the hotline's .xlsx or .csv export; the work order "
        "number is the key, so a re-import updates instead of duplicating."
    )
    kind = ImportKind.WORK_ORDERS

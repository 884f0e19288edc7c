"""The workbooks an import hands back: the row errors, and the initial passwords of new users."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from xiaoqu.core.exports import write_rows_xlsx

if TYPE_CHECKING:
    from .engine import Credential, RowError


def error_header() -> list[str]:
    return [_("Row"), _("Column"), _("Reason"), _("Value"), _("Error code")]


def errors_xlsx(
    errors: Iterable[RowError], *, file_name: str = ""
) -> tempfile.SpooledTemporaryFile:
    """A workbook with one line per row error: row (as in Excel), column header, reason."""
    rows = ([e.row, e.column, e.message, e.value, e.code] for e in errors)
    note = _("Errors found in %(file)s") % {"file": file_name} if file_name else ""
    return write_rows_xlsx(_("Errors"), error_header(), rows, note=note)


def passwords_xlsx(credentials: Sequence[Credential]) -> tempfile.SpooledTemporaryFile:
    """A workbook with the generated initial passwords of new users."""
    header = [_("Row"), _("Username"), _("Full name"), _("Initial password")]
    rows = ([c.row, c.username, c.name, c.password] for c in credentials)
    note = _(
        "Confidential: give each user their initial password in person and ask them to change it."
    )
    return write_rows_xlsx(_("Initial passwords"), header, rows, note=note)


def save_workbook(workbook: tempfile.SpooledTemporaryFile, path: str | Path) -> None:
    workbook.seek(0)
    Path(path).write_bytes(workbook.read())

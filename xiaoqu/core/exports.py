"""Excel export of any list: the columns of its table, every row of its filtered queryset."""

from __future__ import annotations

import datetime as dt
import decimal
import re
import tempfile
from typing import Any

import django_tables2 as tables
from django.http import FileResponse
from django.utils import timezone
from django.utils.encoding import force_str
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | decimal.Decimal | dt.date):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return _ILLEGAL.sub("", force_str(value))


def write_rows_xlsx(
    title: str, header: list[str], rows: Any, note: str = ""
) -> tempfile.SpooledTemporaryFile:
    """Write rows into a write-only workbook (constant memory) and return the file."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Sheet1")
    bold = Font(bold=True)
    if note:
        cell = WriteOnlyCell(ws, value=note)
        cell.font = Font(italic=True, color="C00000")
        ws.append([cell])
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_cell_value(v) for v in row])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (returned open)
    wb.save(out)
    out.seek(0)
    return out


def table_xlsx_response(
    table: tables.Table, *, title: str, filename: str, note: str = ""
) -> FileResponse:
    exclude = getattr(table, "export_exclude", ("actions",))
    values = table.as_values(exclude_columns=exclude)
    header = [force_str(h) for h in next(values)]
    out = write_rows_xlsx(title, header, values, note=note)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"{filename}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

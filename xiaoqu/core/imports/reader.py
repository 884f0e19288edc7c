"""Reading the rows of an .xlsx or .csv file.

Rows keep the number the user sees in Excel (the first line of the sheet is row 1), so that
row errors can be found in the file. Workbooks are read with openpyxl in read-only mode (the
first sheet, cached values rather than formulas); CSV files may be UTF-8 (with or without a
byte-order mark), UTF-16 with a byte-order mark, or GBK/GB18030 as saved by Chinese Excel.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from .parsing import cell_text

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".csv")
MAX_ROWS = 200_000
MAX_COLUMNS = 200


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no header, required column missing)."""


@dataclass
class SheetRows:
    """Every non-empty row of the file: (row number as in Excel, cell values)."""

    name: str
    rows: list[tuple[int, list[Any]]]
    encoding: str = ""


def read_rows(source: str | Path | IO[bytes], *, name: str | None = None) -> SheetRows:
    """Read the non-empty rows of `source` (a path or a binary file); `name` decides the format."""
    file_name = name or (
        str(source) if isinstance(source, str | Path) else getattr(source, "name", "")
    )
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        if suffix == ".xls":
            raise ImportFileError(
                _("Old Excel files (.xls) cannot be read: save the file as .xlsx or .csv.")
            )
        raise ImportFileError(
            _("Unsupported file type “%(suffix)s”: use .xlsx or .csv.") % {"suffix": suffix or "?"}
        )
    data = _read_bytes(source)
    if suffix == ".csv":
        return _read_csv(data, Path(file_name).name)
    return _read_xlsx(data, Path(file_name).name)


def _read_bytes(source: str | Path | IO[bytes]) -> bytes:
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise ImportFileError(_("Cannot open the file: %(error)s") % {"error": exc}) from exc
    if hasattr(source, "seek"):
        source.seek(0)
    return source.read()


def _read_xlsx(data: bytes, name: str) -> SheetRows:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(_("The file is not a valid .xlsx workbook."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for damaged files
        raise ImportFileError(_("The workbook cannot be read: %(error)s") % {"error": exc}) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError(_("The workbook has no sheet."))
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values[:MAX_COLUMNS])
            if any(cell_text(v) for v in cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS:
                    raise ImportFileError(
                        _("The file has more than %(n)d rows; split it into smaller files.")
                        % {"n": MAX_ROWS}
                    )
    finally:
        workbook.close()
    return SheetRows(name=name, rows=rows)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes; returns (text, encoding). Tries the BOMs, then UTF-8, then GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, the encodings of Chinese Excel's CSV files.
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The text encoding of the file is not recognised: save it as UTF-8 or GBK CSV.")
        ) from exc


def _read_csv(data: bytes, name: str) -> SheetRows:
    text, encoding = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, values in enumerate(reader, start=1):
            cells: list[Any] = values[:MAX_COLUMNS]
            if any(v.strip() for v in cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS:
                    raise ImportFileError(
                        _("The file has more than %(n)d rows; split it into smaller files.")
                        % {"n": MAX_ROWS}
                    )
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    return SheetRows(name=name, rows=rows, encoding=encoding)

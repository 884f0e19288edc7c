"""The import engine: header mapping, row validation, and the all-or-nothing or skip write.

An import spec (see `specs`) declares its target fields with the headers recognised for
them, parses one row into a record (collecting row errors), and writes records through the
write services. The engine does the rest, the same way for every kind:

1. find the header row and map headers to fields (automatic, overridable field by field);
2. validate every row, reporting progress; rows repeating the natural key of an earlier row
   are errors;
3. in "atomic" mode write nothing when any row is invalid; in "skip" mode write the valid
   rows; writes happen in one transaction, rolled back for a dry run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .choices import ImportMode, ImportStatus
from .parsing import FieldError, cell_text, parse_text
from .reader import ImportFileError, SheetRows
from .upsert import Outcome

if TYPE_CHECKING:
    from xiaoqu.accounts.models import User

T = TypeVar("T")
StrOrPromise = str | Promise
ProgressCallback = Callable[[str, int, int], None]
# A spec's write reports (records written so far, records to write).
WriteProgress = Callable[[int, int], None]

PROGRESS_EVERY = 500
SECRET_MASK = "••••••"
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class TargetField:
    """A field an import can fill, with the headers recognised for it automatically."""

    name: str
    label: StrOrPromise
    headers: tuple[str, ...] = ()
    required: bool = False
    help_text: StrOrPromise = ""


@dataclass(frozen=True)
class RowError:
    """Why (part of) a row cannot be imported.

    `row` is the row number as the user sees it in Excel (the header is usually row 1);
    `column` is the header of the column in the file ('' when no single column is at fault);
    `code` is stable for programs and tests; `message` is the reason for people."""

    row: int
    column: str
    code: str
    message: str
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "value": self.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RowError:
        return cls(
            row=int(data.get("row", 0)),
            column=str(data.get("column", "")),
            code=str(data.get("code", "")),
            message=str(data.get("message", "")),
            value=str(data.get("value", "")),
        )


@dataclass(frozen=True)
class Credential:
    """An initial password generated for a new user; shown once, never stored in clear."""

    row: int
    username: str
    name: str
    password: str


@dataclass
class WriteSummary:
    """What a spec's write did: one outcome per record, plus related objects it touched."""

    outcomes: list[Outcome]
    related: dict[str, int] = field(default_factory=dict)
    credentials: list[Credential] = field(default_factory=list)


def normalise_header(text: str) -> str:
    """A header reduced for matching: width-folded, lower case, without brackets and spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[(\[【].*?[)\]】]", "", text)
    return re.sub(r"[\s_\-*:.·/\\]+", "", text)


class ImportSpec:
    """What one kind of import reads and how it writes. Subclasses are instantiated per run
    (they cache look-ups between `prepare` and `write`)."""

    kind: ClassVar[str]
    fields: ClassVar[tuple[TargetField, ...]]
    # Fields whose values together identify a record within a file (the natural key).
    key_fields: ClassVar[tuple[str, ...]]
    # Labels of the counters in WriteSummary.related.
    related_labels: ClassVar[dict[str, StrOrPromise]] = {}
    # Fields whose values are never shown back (in previews, error lists and reports).
    secret_fields: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *, default_district: str | None = None) -> None:
        self.default_district_code = default_district or settings.XIAOQU_DEFAULT_DISTRICT

    @classmethod
    def field(cls, name: str) -> TargetField:
        for f in cls.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in cls.fields]

    @classmethod
    def header_index(cls) -> dict[str, str]:
        """Normalised recognised header → field name."""
        index: dict[str, str] = {}
        for f in cls.fields:
            for header in (f.name, *f.headers):
                index.setdefault(normalise_header(header), f.name)
        return index

    def prepare(self, layout: Layout) -> None:
        """Load what validation looks up (once per run). May raise ImportFileError."""

    def key_text(self, field_name: str, text: str) -> str:
        """The form of a key field's text used to detect repeats within the file."""
        return text

    def parse_row(self, row: RowReader) -> Any | None:
        """Parse a row into a record; errors go to `row.error`/`row.parse`."""
        raise NotImplementedError

    def write(
        self,
        items: Sequence[tuple[int, Any]],
        *,
        actor: User | None = None,
        progress: WriteProgress | None = None,
    ) -> WriteSummary:
        """Write (row number, record) pairs; runs inside the import's transaction.

        `actor` is the user importing (None: the system, e.g. the command line) whom the
        records' events name; `progress(done, total)` is called as records are written (at
        least once, at the end, with done == total == len(items))."""
        raise NotImplementedError


@dataclass
class Layout:
    """Where each field is read from: the header row and the column of each mapped field."""

    header_row: int
    headers: list[str]
    mapping: dict[str, str]  # field name → header ('' when the field is not imported)
    columns: dict[str, int]  # field name → column index, for mapped fields
    missing_required: list[str]

    @property
    def ignored_headers(self) -> list[str]:
        used = set(self.columns.values())
        return [h for i, h in enumerate(self.headers) if h and i not in used]

    def header_for(self, field_name: str) -> str:
        return self.mapping.get(field_name, "")


def detect_mapping(spec: type[ImportSpec], headers: Sequence[str]) -> dict[str, str]:
    """The automatic mapping: field → the first header recognised for it."""
    index = spec.header_index()
    mapping: dict[str, str] = {}
    for header in headers:
        name = index.get(normalise_header(header)) if header else None
        if name and name not in mapping:
            mapping[name] = header
    return mapping


def _find_header_row(
    spec: type[ImportSpec], sheet: SheetRows, wanted: set[str]
) -> tuple[int, list[str]]:
    if not sheet.rows:
        raise ImportFileError(_("The file is empty."))
    index = spec.header_index()
    best: tuple[int, int, list[str]] | None = None
    for position, (_number, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        headers = [cell_text(c) for c in cells]
        score = sum(1 for h in headers if h and (normalise_header(h) in index or h in wanted))
        if best is None or score > best[1]:
            best = (position, score, headers)
    assert best is not None
    if best[1] == 0:
        return 0, [cell_text(c) for c in sheet.rows[0][1]]
    return best[0], best[2]


def build_layout(
    spec: type[ImportSpec],
    sheet: SheetRows,
    mapping: Mapping[str, str] | None = None,
    *,
    complete: bool = False,
) -> Layout:
    """Map the file's headers to the spec's fields.

    `mapping` (field → header) overrides the automatic mapping field by field; an empty
    header means "do not import this field". With `complete=True` the mapping is taken as
    it is (the web page stores the whole mapping the user saw) without automatic additions.
    Raises ImportFileError for an unknown field or a header the file does not have."""
    mapping = dict(mapping or {})
    names = spec.field_names()
    for name in mapping:
        if name not in names:
            raise ImportFileError(
                _("Unknown field “%(field)s”; the fields are: %(fields)s.")
                % {"field": name, "fields": ", ".join(names)}
            )
    wanted = {h for h in mapping.values() if h}
    position, headers = _find_header_row(spec, sheet, wanted)
    header_row = sheet.rows[position][0]
    for name, header in mapping.items():
        if header and header not in headers:
            raise ImportFileError(
                _(
                    "The file has no column “%(header)s” (for %(field)s); its columns are: %(headers)s."
                )
                % {"header": header, "field": name, "headers": "、".join(h for h in headers if h)}
            )
    final: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:  # explicit choices first
        chosen = mapping.get(name)
        if chosen:
            final[name] = chosen
            taken.add(chosen)
    if not complete:
        for name, header in detect_mapping(spec, headers).items():
            if name not in mapping and header not in taken:
                final[name] = header
                taken.add(header)
    columns = {name: headers.index(header) for name, header in final.items()}
    missing = [f.name for f in spec.fields if f.required and f.name not in final]
    ordered = {name: final.get(name, "") for name in names}
    return Layout(
        header_row=header_row,
        headers=headers,
        mapping=ordered,
        columns=columns,
        missing_required=missing,
    )


def require_columns(spec: type[ImportSpec], layout: Layout) -> None:
    if layout.missing_required:
        labels = "、".join(f"{spec.field(name).label} ({name})" for name in layout.missing_required)
        raise ImportFileError(
            _(
                "No column found for the required fields: %(fields)s. Rename the column or map it to the field."
            )
            % {"fields": labels}
        )


class RowReader:
    """One row of the file, read field by field; errors are collected, not raised."""

    def __init__(self, spec: ImportSpec, layout: Layout, number: int, cells: Sequence[Any]) -> None:
        self.spec = spec
        self.layout = layout
        self.number = number
        self.cells = cells
        self.errors: list[RowError] = []

    def raw(self, name: str) -> Any:
        index = self.layout.columns.get(name)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def text_of(self, name: str) -> str:
        return cell_text(self.raw(name))

    def has(self, name: str) -> bool:
        return self.text_of(name) != ""

    def mapped(self, name: str) -> bool:
        return name in self.layout.columns

    def error(self, name: str, code: str, message: str) -> None:
        self.errors.append(
            RowError(
                row=self.number,
                column=self.layout.header_for(name),
                code=code,
                message=str(message),
                value=SECRET_MASK
                if name in self.spec.secret_fields and self.has(name)
                else self.text_of(name),
            )
        )

    def parse(self, name: str, parser: Callable[[Any], T]) -> T | None:
        """The parsed value of a field, or None when the cell is empty or wrong (then an error
        is recorded; an empty required field is an error too)."""
        value = self.raw(name)
        if cell_text(value) == "":
            if self.spec.field(name).required:
                self.error(name, "required", _("A value is required."))
            return None
        try:
            return parser(value)
        except FieldError as exc:
            self.error(name, exc.code, exc.message)
            return None

    def text(self, name: str, *, max_length: int) -> str | None:
        return self.parse(name, lambda v: parse_text(v, max_length=max_length))


@dataclass
class Validation:
    rows_total: int
    records: list[tuple[int, Any]]
    errors: list[RowError]
    invalid_rows: int

    def errors_by_code(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for e in self.errors:
            counts[e.code] = counts.get(e.code, 0) + 1
        return counts


def import_validate(
    *,
    spec: ImportSpec,
    sheet: SheetRows,
    layout: Layout,
    progress: ProgressCallback | None = None,
) -> Validation:
    """Validate every data row (below the header row) without writing anything."""
    require_columns(type(spec), layout)
    spec.prepare(layout)
    data_rows = [(n, cells) for n, cells in sheet.rows if n > layout.header_row]
    total = len(data_rows)
    key_columns = [name for name in spec.key_fields if name in layout.columns]
    column_order = {header: i for i, header in reversed(list(enumerate(layout.headers)))}
    first_seen: dict[tuple[str, ...], int] = {}
    records: list[tuple[int, Any]] = []
    errors: list[RowError] = []
    invalid = 0
    for done, (number, cells) in enumerate(data_rows, start=1):
        row = RowReader(spec, layout, number, cells)
        record = spec.parse_row(row)
        key = tuple(spec.key_text(name, row.text_of(name)) for name in key_columns)
        if key and key[-1]:
            earlier = first_seen.setdefault(key, number)
            if earlier != number:
                last = key_columns[-1]
                row.error(
                    last,
                    "duplicate",
                    _("“%(value)s” already appears in row %(row)d of this file.")
                    % {"value": row.text_of(last), "row": earlier},
                )
        if row.errors:
            invalid += 1
            errors.extend(
                sorted(row.errors, key=lambda e: column_order.get(e.column, len(column_order)))
            )
        elif record is not None:
            records.append((number, record))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(ImportStatus.VALIDATING, done, total)
    if progress is not None:
        progress(ImportStatus.VALIDATING, total, total)
    return Validation(rows_total=total, records=records, errors=errors, invalid_rows=invalid)


@dataclass
class ImportResult:
    kind: str
    mode: str
    dry_run: bool = False
    rows_total: int = 0
    rows_invalid: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    written: bool = False
    errors: list[RowError] = field(default_factory=list)
    related: dict[str, int] = field(default_factory=dict)
    credentials: list[Credential] = field(default_factory=list)

    @property
    def rows_valid(self) -> int:
        return self.rows_total - self.rows_invalid

    @property
    def rejected(self) -> bool:
        """All-or-nothing mode and some row was invalid: nothing was written."""
        return self.mode == ImportMode.ATOMIC and self.rows_invalid > 0

    @property
    def status(self) -> str:
        return ImportStatus.REJECTED if self.rejected else ImportStatus.DONE


def import_run(
    *,
    spec: ImportSpec,
    sheet: SheetRows,
    layout: Layout,
    mode: str = ImportMode.ATOMIC,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    actor: User | None = None,
) -> ImportResult:
    """Validate, then write the valid records in one transaction (rolled back for a dry run).

    In atomic mode any invalid row means nothing is written; in skip mode the valid rows are
    written and the invalid ones counted as skipped. While writing, `progress` is called with
    the WRITING status, the records written so far and the records to write; `actor` is
    passed to the spec's write (the user whose events the written records carry)."""
    if mode not in ImportMode.values:
        raise ValueError(f"unknown import mode {mode!r}")
    validation = import_validate(spec=spec, sheet=sheet, layout=layout, progress=progress)
    result = ImportResult(
        kind=spec.kind,
        mode=mode,
        dry_run=dry_run,
        rows_total=validation.rows_total,
        rows_invalid=validation.invalid_rows,
        errors=validation.errors,
    )
    if result.rejected:
        result.skipped = result.rows_total
        return result
    result.skipped = result.rows_invalid
    write_progress: WriteProgress | None = None
    if progress is not None:
        report = progress
        progress(ImportStatus.WRITING, 0, len(validation.records))

        def write_progress(done: int, total: int) -> None:
            report(ImportStatus.WRITING, done, total)

    with transaction.atomic():
        summary = spec.write(validation.records, actor=actor, progress=write_progress)
        if dry_run:
            transaction.set_rollback(True)
    counts = _count(summary.outcomes)
    result.created = counts[Outcome.CREATED]
    result.updated = counts[Outcome.UPDATED]
    result.unchanged = counts[Outcome.UNCHANGED]
    result.related = {k: v for k, v in summary.related.items() if v}
    result.credentials = [] if dry_run else summary.credentials
    result.written = not dry_run
    return result


def _count(outcomes: Iterable[Outcome]) -> dict[Outcome, int]:
    counts = dict.fromkeys(Outcome, 0)
    for outcome in outcomes:
        counts[outcome] += 1
    return counts

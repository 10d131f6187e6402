"""``kesu import complaints FILE``: complaints from a CSV or XLSX file, one row at a time.

Every row goes through ``complaint_create`` (the one write path) in its own transaction, so a bad
row is rejected whole and the good rows around it are kept. The report names each rejected row
by the number a user sees in the file (the header is row 1) and the columns that were wrong.

Decisions:

- Columns are matched by header (see ``columns.py``): English field names or Chinese aliases,
  case-insensitive, spaces and hyphens count as ``_``. A file must have ``content``, ``channel``
  and one customer column (name, phone, e-mail or external id); otherwise no row could be
  imported, so the file is refused before any row is. Unknown headers and the columns an export
  writes but an import cannot set (status, assignee, resolution, closed_at) are reported as
  ignored.
- ``number``: ``complaint_create`` gives every imported complaint a new number (from the
  sequence of its ``created_at`` year); the file's number only serves to refuse duplicates. A
  row is rejected when its number belongs to a complaint that was in the database before this
  import, or appears on an earlier imported row of the same file. So importing an export
  twice into the database it came from does not duplicate anything. Into another database the
  check can only compare numbers, which there may belong to other complaints.
- ``created_at`` is the complaint's creation time (``now`` of the action) when given; a time
  without an offset is local time in ``settings.TIME_ZONE``; a time later than ``now`` is
  refused. Rows without it are created at ``now``.
- Rows are imported in file order. Blank rows are skipped (counted in ``skipped_blank``).
- ``dry_run`` runs every row through the same code, each in a transaction that is rolled back;
  ``imported`` then counts the rows that would be imported.
- ``by`` needs the ``data.import`` permission (``None`` is the system, e.g. the CLI without
  ``--as``).
- Idempotent per row (issue 15): each imported row is remembered by the SHA-256 of its cells
  (``ImportedRow``); the same row imported again is skipped and counted in ``skipped``. A file
  that breaks off half-way keeps the rows before the break; importing the corrected file then
  adds only the rest. Two identical rows in one file are one complaint.
- A cell may be long (the CSV reader's 128 KiB field limit is raised to 16 MiB); a text over the
  field's limit rejects its row, naming the column, instead of aborting the file.
- CSV: UTF-8 (with or without BOM), UTF-16 with BOM or without (told by its NUL bytes), else
  GB18030; a file that reads as Japanese Shift-JIS is refused naming that encoding, and NUL
  bytes in a file that is not UTF-16 are refused (PostgreSQL cannot store them); the delimiter
  (comma, tab or semicolon) is the one the header line uses most. A cell that the export protected against
  formula injection (``'=…``) loses that apostrophe. XLSX: the first worksheet.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from kesu.complaints.columns import (
    BY_NAME,
    CUSTOMER_COLUMNS,
    REQUIRED,
    column_for_header,
    column_label,
    csv_cell_unescape,
    header_key,
    value_key,
)
from kesu.complaints.drafts import ComplaintDraft, draft_clean
from kesu.complaints.models import Category, Complaint, ImportedRow
from kesu.core.errors import FieldError, FieldErrors, permission_require
from kesu.core.messages import Message
from kesu.core.models import Group, User
from kesu.core.roles import Permission
from kesu.core.storable import text_problem
from kesu.customers.actions import CustomerHandles
from kesu.customers.identities import identity_normalise
from kesu.customers.models import IdentityKind
from kesu.pipeline.intake import complaint_create

SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class RejectedRow:
    row: int
    """The row number a user sees in the file; the header is row 1."""
    reason: str
    """Every wrong column, each named, e.g. ``索赔金额 (amount_claimed): must not be negative``."""
    fields: tuple[str, ...] = ()
    """The fields that were wrong (``content``, ``amount_claimed``, ``customer`` …)."""

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


@dataclass
class ImportReport:
    imported: int = 0
    """Rows imported (with ``dry_run``: rows that would be imported)."""
    rejected: list[RejectedRow] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    """File header → the field it was read into."""
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    skipped: int = 0
    """Rows not imported again: ``skipped_earlier`` + ``skipped_repeated``."""
    skipped_earlier: int = 0
    """Rows imported before (by an earlier import of the same rows)."""
    skipped_repeated: int = 0
    """Rows that repeat an earlier row of the same file (one complaint for both)."""
    skipped_blank: int = 0
    """Blank rows (every cell empty)."""


def complaints_import(*, path: Path, by: User | None, now: datetime, dry_run: bool = False) -> ImportReport:
    """Import every row of the CSV or XLSX file at ``path``; report what was imported and rejected."""
    if by is not None and not by.can(Permission.DATA_IMPORT):
        permission_require(by, Permission.DATA_IMPORT)
    report = ImportReport(dry_run=dry_run)
    rows = enumerate(_file_rows(path), start=1)
    try:
        header = next((cells for _number, cells in rows if not _blank(cells)), None)
        if header is None:
            return report  # an empty file
        positions = _columns_map(header, report)
        reader = _RowReader(now=now)
        for number, cells in rows:
            if _blank(cells):
                report.skipped_blank += 1
                continue
            values = {name: (cells[i] if i < len(cells) else None) for name, i in positions.items()}
            fingerprint = row_fingerprint(values)
            if fingerprint in reader.fingerprints:
                report.skipped += 1
                report.skipped_repeated += 1
                continue
            if ImportedRow.objects.filter(fingerprint=fingerprint).exists():
                report.skipped += 1
                report.skipped_earlier += 1
                continue
            try:
                draft, created_at, file_number = reader.parse(values)
                with transaction.atomic():
                    complaint = complaint_create(draft=draft, by=by, now=created_at or now)
                    ImportedRow.objects.create(fingerprint=fingerprint, complaint=complaint, imported_at=now)
                    if dry_run:
                        transaction.set_rollback(True)
                reader.fingerprints.add(fingerprint)
            except FieldError as error:
                report.rejected.append(_rejected(number, error, report.columns))
                continue
            reader.imported(file_number=file_number, row=number, number=complaint.number)
            report.imported += 1
    except _Unreadable as error:
        code = "import.broken_dry" if dry_run else "import.broken"
        raise FieldError("file", code, name=error.name, line=error.line, reason=error.reason,
                         count=report.imported) from error
    return report


def row_fingerprint(values: dict[str, object]) -> str:
    """The SHA-256 of a row's cells by field name (blank cells left out; text stripped)."""
    cells = {name: _text(value).strip() for name, value in values.items()}
    canonical = json.dumps({k: v for k, v in sorted(cells.items()) if v}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- reading the file ------------------------------------------------------------------------

CSV_FIELD_LIMIT = 16 * 1024 * 1024  # characters; Python's default (128 KiB) aborted the file on a long cell


class _Unreadable(Exception):
    """The file breaks off in the middle (a malformed CSV line)."""

    def __init__(self, name: str, line: int, reason: str) -> None:
        super().__init__(f"{name} line {line}: {reason}")
        self.name, self.line, self.reason = name, line, reason


def _file_rows(path: Path) -> Iterator[Sequence[object]]:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise FieldError("file", "file.type", name=path.name, suffix=suffix or "—")
    if not path.is_file():
        raise FieldError("file", "file.missing", path=str(path))
    return _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 without a byte order mark: text whose every other byte is mostly NUL."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > len(odd) * 0.6:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.6:
        return "utf-16-be"
    return None


def _looks_japanese(data: bytes) -> bool:
    """Shift-JIS that GB18030 would read as garbled Chinese: it decodes as Shift-JIS with kana."""
    try:
        text = data.decode("shift_jis")
    except UnicodeDecodeError:
        return False
    kana = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff")
    wide = sum(1 for ch in text if ord(ch) > 0x7F)
    return wide > 0 and kana >= wide * 0.2


def _csv_encoding(path: Path) -> str:
    with path.open("rb") as file:
        head = file.read(1 << 16)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    if b"\x00" in head or _nul_anywhere(path):
        raise FieldError("file", "import.nul", name=path.name)
    if _looks_japanese(head):
        raise FieldError("file", "import.shift_jis", name=path.name)
    for encoding in ("utf-8", "gb18030"):  # GB18030: what Chinese Excel writes for "CSV"
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as file:
                while chunk := file.read(1 << 20):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FieldError("file", "import.encoding", name=path.name)


def _nul_anywhere(path: Path) -> bool:
    with path.open("rb") as file:
        return any(b"\x00" in chunk for chunk in iter(lambda: file.read(1 << 20), b""))


def _csv_rows(path: Path) -> Iterator[list[str]]:
    encoding = _csv_encoding(path)
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    with path.open(encoding=encoding, newline="") as file:
        first_line = file.readline()
        file.seek(0)
        delimiter = max(",\t;", key=first_line.count)  # ties: comma
        reader = csv.reader(file, delimiter=delimiter)
        try:
            for cells in reader:
                yield [csv_cell_unescape(cell) for cell in cells]
        except csv.Error as error:
            raise _Unreadable(path.name, reader.line_num, str(error)) from error


def _xlsx_rows(path: Path) -> Iterator[tuple[object, ...]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise FieldError("file", "import.not_xlsx", name=path.name, reason=str(error)) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong sheet size; read what is there
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _blank(cells: Sequence[object]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _columns_map(header: Sequence[object], report: ImportReport) -> dict[str, int]:
    """Field → position of its column; fills the report's columns and ignored columns."""
    positions: dict[str, int] = {}
    for position, cell in enumerate(header):
        title = _text(cell).strip()
        if not title:
            continue
        column = column_for_header(title)
        if column is None or not column.imported or column.name in positions:
            report.ignored_columns.append(title)
            continue
        positions[column.name] = position
        report.columns[title] = column.name
    missing = [column_label(name) for name in REQUIRED if name not in positions]
    if not any(name in positions for name in CUSTOMER_COLUMNS):
        missing.append(Message("import.one_of", columns=[column_label(name) for name in CUSTOMER_COLUMNS]))
    if missing:
        raise FieldError("file", "import.missing_columns", columns=missing)
    return positions


# --- one row -----------------------------------------------------------------------------------


def _text(cell: object) -> str:
    """A cell as text. Spreadsheet numbers lose no digits: 13800138000.0 → "13800138000"."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    return str(cell)  # int, Decimal


class _RowReader:
    """Turns a row's cells into a draft, naming every wrong column at once."""

    def __init__(self, *, now: datetime) -> None:
        self.now = now
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.categories: dict[str, str] = {}
        for code, name_zh, name_en in (
            Category.objects.filter(is_active=True)
            .order_by("-sort", "-code")
            .values_list("code", "name_zh", "name_en")
        ):  # reversed, so the first category in tree order wins a shared name
            self.categories[value_key(name_en)] = code
            self.categories[value_key(name_zh)] = code
        for code in Category.objects.filter(is_active=True).values_list("code", flat=True):
            self.categories[value_key(code)] = code  # a code wins over a name
        self.groups: dict[str, str] = {}
        names: dict[str, list[str]] = {}
        for code, name in Group.objects.values_list("code", "name"):
            names.setdefault(value_key(name), []).append(code)
        self.groups.update({name: codes[0] for name, codes in names.items() if len(codes) == 1})
        self.groups.update({value_key(code): code for code in Group.objects.values_list("code", flat=True)})
        self.numbers_seen: dict[str, int] = {}  # file number → row that imported it
        self.numbers_given: set[str] = set()  # numbers complaint_create gave during this import
        self.fingerprints: set[str] = set()  # rows imported (or, dry run, that would be) by this import

    def imported(self, *, file_number: str, row: int, number: str) -> None:
        if file_number:
            self.numbers_seen[file_number] = row
        self.numbers_given.add(number)

    def parse(self, values: dict[str, object]) -> tuple[ComplaintDraft, datetime | None, str]:
        errors: dict[str, FieldError] = {}
        for name, value in values.items():
            problem = text_problem(value) if isinstance(value, str) else None
            if problem:  # NUL (PostgreSQL cannot store it) or text UTF-8 cannot encode
                errors[name] = FieldError(name, problem[0], **problem[1])

        def text(name: str) -> str:
            return _text(values.get(name)).strip()

        def coded(name: str, lookup) -> str:
            raw = text(name)
            if not raw:
                return ""
            code = lookup.get(value_key(raw))
            if code is None:
                choices = list(dict.fromkeys(lookup.values()))
                errors.setdefault(name, FieldError(name, "field.unknown", value=raw, choices=choices))
                return raw
            return code

        channel = coded("channel", BY_NAME["channel"].values)
        if not channel:
            errors.setdefault("channel", FieldError("channel", "field.empty"))
        severity = coded("severity", BY_NAME["severity"].values)
        priority = coded("priority", BY_NAME["priority"].values)
        tier = coded("tier", BY_NAME["tier"].values)
        category = coded("category", self.categories)
        group = coded("group", self.groups)
        created_at = self._created_at(values.get("created_at"), errors)
        file_number = text("number").upper()
        if file_number:
            if file_number in self.numbers_seen:
                errors["number"] = FieldError(
                    "number", "import.number_repeated", number=file_number, row=self.numbers_seen[file_number]
                )
            elif (
                file_number not in self.numbers_given
                and Complaint.objects.filter(number=file_number).exists()
            ):
                errors["number"] = FieldError("number", "import.number_exists", number=file_number)
        handles = CustomerHandles(
            name=text("customer_name"),
            phone=text("phone"),
            email=text("email"),
            external_id=text("external_id"),
            tier=tier,
            region=text("region"),
        )
        if not (handles.name or handles.phone or handles.email or handles.external_id):
            errors.setdefault("customer", FieldError("customer", "customer.handles_missing"))
        for kind, raw in (
            (IdentityKind.PHONE, handles.phone),
            (IdentityKind.EMAIL, handles.email),
            (IdentityKind.EXTERNAL, handles.external_id),
        ):
            try:
                if raw:
                    identity_normalise(kind, raw)
            except FieldError as error:
                errors.setdefault(error.field, error)
        content = values.get("content")
        draft = ComplaintDraft(
            channel=channel,
            content=content if isinstance(content, str) else _text(content),  # kept exactly, not trimmed
            customer=handles,
            subject=text("subject"),
            category=category,
            severity=severity,
            priority=priority,
            region=text("region"),
            product=text("product"),
            batch=text("batch"),
            order_number=text("order_number"),
            amount_claimed=text("amount_claimed") or None,
            group=group,
        )
        try:
            draft_clean(draft)
        except FieldError as error:
            for field_error in error.field_errors:
                errors.setdefault(field_error.field, field_error)
        if errors:
            raise FieldErrors(list(errors.values()))
        return draft, created_at, file_number

    def _created_at(self, cell: object, errors: dict[str, FieldError]) -> datetime | None:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return None
        when = self._when(cell)
        if when is None:
            errors["created_at"] = FieldError("created_at", "import.not_datetime", value=_text(cell))
        elif when > self.now:
            errors["created_at"] = FieldError("created_at", "import.future", value=_text(cell))
        return when

    def _when(self, cell: object) -> datetime | None:
        if isinstance(cell, datetime):
            return cell if cell.tzinfo else cell.replace(tzinfo=self.zone)
        if isinstance(cell, date):
            return datetime(cell.year, cell.month, cell.day, tzinfo=self.zone)
        if not isinstance(cell, str):
            return None
        raw = cell.strip()
        try:
            when = datetime.fromisoformat(raw)
        except ValueError:
            # 2026/3/2 9:00, 2026年3月2日 09:00:00
            text = raw.replace("年", "-").replace("月", "-").replace("日", " ").replace("/", "-")
            text = " ".join(text.replace("T", " ").split())
            for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
                try:
                    return datetime.strptime(text, pattern).replace(tzinfo=self.zone)
                except ValueError:
                    continue
            return None
        return when if when.tzinfo else when.replace(tzinfo=self.zone)


_FIELD_COLUMN = {"customer.tier": "tier", "customer_id": "customer_name"}


def _rejected(row: int, error: FieldError, columns: dict[str, str]) -> RejectedRow:
    """Name each wrong field by the header the file used for it: ``索赔金额 (amount_claimed): …``."""
    headers = {name: title for title, name in columns.items()}
    order = {name: position for position, name in enumerate(headers)}
    parts, fields = [], []
    for name, message in sorted(
        error.errors, key=lambda e: order.get(_FIELD_COLUMN.get(e[0], e[0]), len(order))
    ):
        name = _FIELD_COLUMN.get(name, name)
        fields.append(name)
        title = headers.get(name, name)
        parts.append(f"{title} ({name}): {message}" if header_key(title) != name else f"{name}: {message}")
    return RejectedRow(row=row, reason="; ".join(parts), fields=tuple(fields))

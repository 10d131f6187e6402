"""``kesu export complaints FILE``: the complaints a filter selects, to CSV or XLSX.

Columns and headers come from ``columns.py``, so ``importing.py`` reads back what this writes.
Rows are streamed from ``complaint_list`` in chunks of 2,000; the file is written next to its
destination and moved into place when complete, so a failed export leaves no half-written file.

Decisions:

- Rows are written oldest first (``complaint_list`` orders newest first, for screens): an export
  imported into an empty database then gets its numbers in the same order as the originals.
- Columns: those of the brief plus ``external_id`` (after ``email``): without it a customer known
  only by an external id (a WeChat openid) would come back from a round trip as a stranger.
- Values as stored: codes for channel, status, tier, severity, category and group; the
  assignee's username; amounts as exact decimal strings (``"1999.90"``); datetimes as ISO 8601 in
  local time with the offset (``2026-03-02T09:00:00+08:00``). The customer's phone and e-mail are
  the first of each kind the customer gave.
- CSV: UTF-8 with BOM (Excel detects it), every text exact. A cell starting with ``= + - @`` or a
  tab is written with a leading apostrophe so a spreadsheet does not run it as a formula; the
  import removes it (see ``columns.csv_cell_escape``).
- XLSX (openpyxl write-only mode): every value is a text cell, never a formula. What a
  worksheet cannot hold is changed: control characters that XML forbids are dropped, CR LF line
  ends come back as LF, and a cell longer than Excel's 32,767 characters is cut, ending with a
  note saying so. CSV keeps everything.
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch

from kesu.complaints.columns import EXPORT_COLUMNS, csv_cell_escape
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import ComplaintFilters, complaint_list
from kesu.core.errors import FieldError
from kesu.customers.models import CustomerIdentity, IdentityKind

CHUNK = 2000
XLSX_CELL_LIMIT = 32_767
HEADER = [column.name for column in EXPORT_COLUMNS]


def complaints_export(*, path: Path, filters: ComplaintFilters | None = None,
                      mask: Callable[[Complaint, list[str]], list[str]] | None = None) -> int:
    """Write the complaints ``filters`` selects to ``path`` (.csv or .xlsx); return the rows written.
    ``mask`` (complaint, row → row) masks the personal data of a row the exporting user may not see."""
    path = Path(path)
    suffix = path.suffix.lower()
    writers = {".csv": _csv_write, ".xlsx": _xlsx_write}
    if suffix not in writers:
        raise FieldError("file", "file.type", name=path.name, suffix=suffix or "—")
    complaints = (
        complaint_list(filters=filters or ComplaintFilters())
        .order_by("created_at", "id")
        .prefetch_related(Prefetch("customer__identities", queryset=CustomerIdentity.objects.order_by("id")))
        .iterator(chunk_size=CHUNK)
    )
    partial = path.with_name(f".{path.stem}.partial{path.suffix}")
    try:
        count = writers[suffix](partial, (_row(complaint) if mask is None else mask(complaint, _row(complaint)) for complaint in complaints))
        partial.chmod(0o600)  # personal data: the owner's alone (issue 15 §6)
        os.replace(partial, path)
    except OSError as error:
        raise FieldError("file", "file.not_writable", path=str(path), reason=str(error.strerror or error)) from error
    finally:
        partial.unlink(missing_ok=True)
    return count


def _row(complaint: Complaint) -> list[str]:
    zone = ZoneInfo(settings.TIME_ZONE)
    customer = complaint.customer
    handles: dict[str, str] = {}
    for identity in customer.identities.all():  # prefetched, oldest first
        handles.setdefault(identity.kind, identity.value)
    values = {
        "number": complaint.number,
        "created_at": complaint.created_at.astimezone(zone).isoformat(),
        "channel": complaint.channel,
        "status": complaint.status,
        "customer_name": customer.name,
        "phone": handles.get(IdentityKind.PHONE, ""),
        "email": handles.get(IdentityKind.EMAIL, ""),
        "external_id": handles.get(IdentityKind.EXTERNAL, ""),
        "tier": customer.tier,
        "subject": complaint.subject,
        "content": complaint.content,
        "category": complaint.category.code if complaint.category else "",
        "severity": complaint.severity,
        "priority": complaint.priority,
        "region": complaint.region,
        "product": complaint.product,
        "batch": complaint.batch,
        "order_number": complaint.order_number,
        "amount_claimed": "" if complaint.amount_claimed is None else str(complaint.amount_claimed),
        "group": complaint.group.code if complaint.group else "",
        "assignee": complaint.assignee.username if complaint.assignee else "",
        "resolution": complaint.resolution,
        "closed_at": complaint.closed_at.astimezone(zone).isoformat() if complaint.closed_at else "",
    }
    return [values[name] for name in HEADER]


def _csv_write(path: Path, rows: Iterable[list[str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow([csv_cell_escape(value) for value in row])
            count += 1
    return count


def _xlsx_write(path: Path, rows: Iterable[list[str]]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("complaints")
    sheet.append(HEADER)

    def cells(row: list[str]) -> Iterator[object]:
        for value in row:
            if not value:
                yield None
                continue
            text = ILLEGAL_CHARACTERS_RE.sub("", value)
            if len(text) > XLSX_CELL_LIMIT:
                note = f"…[cut: {len(text)} characters; export to .csv for the whole text]"
                text = text[: XLSX_CELL_LIMIT - len(note)] + note
            if text.startswith("="):
                cell = WriteOnlyCell(sheet, value=text)
                cell.data_type = "s"  # text, not a formula
                yield cell
            else:
                yield text

    count = 0
    try:
        for row in rows:
            sheet.append(list(cells(row)))
            count += 1
    except BaseException:
        with contextlib.suppress(Exception):  # finish and remove openpyxl's temporary sheet file
            sheet.close()
            sheet._writer.cleanup()
        raise
    workbook.save(path)
    return count

"""The analyst's export of the complaint list's current filter: the same columns and cell rules as
``kesu export complaints`` (``complaints/exporting.py``), streamed — CSV row by row as it is read,
XLSX written row by row (openpyxl's write-only mode) into a temporary file then sent — so any size
fits in constant memory."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.db.models import Prefetch

from kesu.complaints.columns import csv_cell_escape
from kesu.complaints.exporting import CHUNK, HEADER, _row, _xlsx_write
from kesu.complaints.selectors import ComplaintFilters, complaint_list
from kesu.customers.models import CustomerIdentity


def _rows(filters: ComplaintFilters) -> Iterator[list[str]]:
    complaints = (
        complaint_list(filters=filters).order_by("created_at", "id")
        .prefetch_related(Prefetch("customer__identities", queryset=CustomerIdentity.objects.order_by("id")))
        .iterator(chunk_size=CHUNK)
    )
    return (_row(complaint) for complaint in complaints)


class _Line:
    """A file-like object whose write returns the text (csv.writer into a generator)."""

    def write(self, value: str) -> str:
        return value


def csv_stream(filters: ComplaintFilters) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield "\ufeff".encode()  # the BOM `kesu export` writes (utf-8-sig), so Excel reads the Chinese
    yield writer.writerow(HEADER).encode()
    for row in _rows(filters):
        yield writer.writerow([csv_cell_escape(value) for value in row]).encode()


def xlsx_file(filters: ComplaintFilters) -> Path:
    """The XLSX in a temporary file (the caller sends and removes it)."""
    handle = tempfile.NamedTemporaryFile(prefix="kesu-export-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    _xlsx_write(path, _rows(filters))
    return path

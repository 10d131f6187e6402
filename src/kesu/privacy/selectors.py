"""Reads of the privacy app: the access log."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from django.db.models import QuerySet

from kesu.complaints.columns import csv_cell
from kesu.privacy.models import AccessLog

CSV_COLUMNS = ("at", "username", "action", "object_type", "object_id", "field", "ip", "channel", "reason")


def access_log(*, username: str = "", action: str = "", object_type: str = "", object_id: str = "",
               since: datetime | None = None, until: datetime | None = None) -> QuerySet[AccessLog]:
    rows = AccessLog.objects.all()
    if username:
        rows = rows.filter(username=username)
    if action:
        rows = rows.filter(action=action)
    if object_type:
        rows = rows.filter(object_type=object_type)
    if object_id:
        rows = rows.filter(object_id=object_id)
    if since is not None:
        rows = rows.filter(at__gte=since)
    if until is not None:
        rows = rows.filter(at__lt=until)
    return rows.order_by("-at", "-id")


def access_log_csv(rows: QuerySet[AccessLog]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows.values_list(*CSV_COLUMNS).iterator(chunk_size=2000):
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()

"""Human-readable complaint numbers: ``KS-<year>-<six digits>``, one sequence per year."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from kesu.complaints.models import ComplaintSequence

PREFIX = "KS"


def number_format(year: int, value: int) -> str:
    return f"{PREFIX}-{year}-{value:06d}"


def number_year(now: datetime) -> int:
    return now.astimezone(ZoneInfo(settings.TIME_ZONE)).year


def numbers_reserve(*, year: int, count: int = 1) -> range:
    """Reserve ``count`` consecutive numbers for ``year`` in one atomic statement."""
    table = connection.ops.quote_name(ComplaintSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, %s) "
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + excluded.last RETURNING last",
            [year, count],
        )
        last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)

"""Text that can be stored: PostgreSQL refuses NUL characters, and a lone surrogate (``"\\udfff"`` in
JSON) decodes to a ``str`` that UTF-8 cannot encode — saved, it breaks every later read of the row.
Every edge that takes text from outside (API bodies, inbound webhooks, imports) refuses both, naming
the field, before anything is written."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any


def text_problem(value: str) -> tuple[str, dict[str, int]] | None:
    """The message id and parameters that refuse ``value`` (``field.nul``; ``field.unencodable`` with
    the 1-based ``position`` of the first character UTF-8 cannot encode), or None."""
    if "\x00" in value:
        return "field.nul", {}
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return "field.unencodable", {"position": error.start + 1}
    return None


# A time outside these years is refused at the edge: near year 1 or 9999 a time zone's offset moves it
# out of Python's range when the database converts it to UTC (an OverflowError, a 500), and no complaint,
# call or incident happened before 1900 or will be planned after 2999.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def datetime_problem(value: date | datetime) -> tuple[str, dict[str, object]] | None:
    """``field.datetime_range`` (with ``low``, ``high`` and what was entered) when ``value`` is outside
    the years :data:`FIRST_YEAR` … :data:`LAST_YEAR`, or None."""
    if FIRST_YEAR <= value.year <= LAST_YEAR:
        return None
    return "field.datetime_range", {"low": FIRST_YEAR, "high": LAST_YEAR, "got": value.isoformat()[:40]}


def datetime_require(field: str, value: date | datetime) -> None:
    """Raise a ``FieldError`` on ``field`` when :func:`datetime_problem` refuses ``value``."""
    problem = datetime_problem(value)
    if problem:
        from kesu.core.errors import FieldError

        raise FieldError(field, problem[0], **problem[1])


def iso_day(value: str) -> date:
    """The day ``value`` names (``2026-03-31``); ValueError when it names none or one outside the
    years :data:`FIRST_YEAR` … :data:`LAST_YEAR` (a period ending on 0001-01-01 cannot start 30 days
    earlier: an OverflowError, a 500)."""
    day = date.fromisoformat(value)
    if datetime_problem(day):
        raise ValueError(f"{value}: outside the years {FIRST_YEAR}-{LAST_YEAR}")
    return day


# A whole number a database column can hold: SQLite's INTEGER and PostgreSQL's bigint are signed 64-bit.
# A larger one reaching a query or a row is an OverflowError (SQLite) or a DataError (PostgreSQL): a 500.
INTEGER_LOW, INTEGER_HIGH = -(2**63), 2**63 - 1


def number_problem(value: int | float) -> tuple[str, dict[str, object]] | None:
    """``field.out_of_range`` for a whole number outside 64 bits; ``field.invalid_value`` for a number
    JSON cannot carry back (``NaN``, ``Infinity``, ``1e999``); or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if INTEGER_LOW <= value <= INTEGER_HIGH:
            return None
        if value.bit_length() < 128:
            got = str(value)
        else:  # the order of magnitude (str() of a long number is slow, and refused past 4,300 digits)
            got = f"{'-' if value < 0 else ''}~1e{int(value.bit_length() * math.log10(2))}"
        return "field.out_of_range", {"low": INTEGER_LOW, "high": INTEGER_HIGH, "got": got}
    if isinstance(value, float) and not math.isfinite(value):
        return "field.invalid_value", {"got": str(value)}
    return None


def json_read(text: str | bytes) -> Any:
    """``json.loads``; JSON nested too deeply for Python to decode (``[[[[…`` 100,000 times: a
    RecursionError, a 500) is a ``json.JSONDecodeError`` (a ValueError) like any other bad JSON."""
    try:
        return json.loads(text)
    except RecursionError as error:
        raise json.JSONDecodeError("nested too deeply", "", 0) from error

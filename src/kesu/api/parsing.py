"""The API's body parser: JSON that holds text PostgreSQL and UTF-8 cannot store is refused here,
at the edge, naming the field — before any schema, action or row sees it.

A lone surrogate (``"\\udfff"`` in JSON) decodes to a Python ``str`` that cannot be encoded as
UTF-8: saved, it breaks every later read of the row (a 500 for ever). NUL characters are refused
by the schemas (``TextIn``) and here as well, so schemas that do not inherit ``TextIn`` are covered.

Numbers too: a whole number past 64 bits (``"customer_id": 9223372036854775808``) is an OverflowError
on SQLite and a DataError on PostgreSQL when it reaches a query or a row, and ``NaN`` / ``1e999``
(infinity) cannot be written back as JSON — refused here for every body, whatever its schema. So is a
body nested more than :data:`MAX_DEPTH` levels deep (deeper, reading or checking it ran out of stack: a
RecursionError, a 500).
"""

from __future__ import annotations

from typing import Any

from ninja.parser import Parser

from kesu.core.storable import json_read, number_problem, text_problem

MAX_DEPTH = 64


class UnstorableText(ValueError):
    """A string or number in the body cannot be stored; ``field`` is its dotted path (``text``,
    ``customer.name``, ``ids.0``)."""

    def __init__(self, field: str, code: str, params: dict[str, object]) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.params = params


def text_check(data: Any, path: str = "", depth: int = 0) -> None:
    """Raise :class:`UnstorableText` for the first key, string or number in ``data`` that cannot be
    stored, or where ``data`` is nested more than :data:`MAX_DEPTH` levels deep."""
    if depth > MAX_DEPTH:
        raise UnstorableText(path or "body", "api.too_deep", {"limit": MAX_DEPTH})
    if isinstance(data, str):
        problem = text_problem(data)
        if problem:
            raise UnstorableText(path or "body", *problem)
    elif isinstance(data, int | float):
        number = number_problem(data)
        if number:
            raise UnstorableText(path or "body", *number)
    elif isinstance(data, dict):
        for key, value in data.items():
            name = f"{path}.{key}" if path else str(key)
            problem = text_problem(key) if isinstance(key, str) else None
            if problem:
                raise UnstorableText(path or "body", *problem)
            text_check(value, name, depth + 1)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            text_check(value, f"{path}.{index}" if path else str(index), depth + 1)


class StorableJSONParser(Parser):
    def parse_body(self, request):  # type: ignore[no-untyped-def]
        data = json_read(request.body)
        text_check(data)
        return data

"""Row ids typed by people or sent by clients: ASCII digits that fit a database integer, else None.

``str.isdigit`` is not enough: it accepts "²" and other Unicode digits that ``int`` refuses, and a
thirty-digit number overflows the database's integer; both used to end in a server error."""

from __future__ import annotations

MAX_ID_DIGITS = 18  # below 2**63 - 1, the largest id PostgreSQL and SQLite store


def row_id(text: object) -> int | None:
    """The id ``text`` spells, or None when it is not an id."""
    value = str(text or "").strip()
    if not value or len(value) > MAX_ID_DIGITS or not (value.isascii() and value.isdigit()):
        return None
    return int(value)

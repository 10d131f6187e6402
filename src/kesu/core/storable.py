"""Text that can be stored: PostgreSQL refuses NUL characters, and a lone surrogate (``"\\udfff"`` in
JSON) decodes to a ``str`` that UTF-8 cannot encode — saved, it breaks every later read of the row.
Every edge that takes text from outside (API bodies, inbound webhooks, imports) refuses both, naming
the field, before anything is written."""

from __future__ import annotations


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

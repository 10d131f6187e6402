"""Personal data out of kesu's log lines (issue 15 §1): a logging filter that masks phone numbers,
e-mail addresses, ID numbers and bank cards in every record — its message, its arguments and its
traceback — with the same text masking as the pages (``masking.text_mask``). Pure: no Django import,
it is loaded while logging is configured, before the apps."""

from __future__ import annotations

import logging

from kesu.privacy.masking import text_mask


class PersonalDataFilter(logging.Filter):
    """Installed on the console handler (settings ``LOGGING``); never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record whose arguments do not fit its message: leave it to logging
            return True
        masked = text_mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = text_mask(record.exc_text)
        if record.stack_info:
            record.stack_info = text_mask(record.stack_info)
        return True

"""When a person may be sent a notice outside the app: inside their working time.

Everyone follows the centre's default working calendar (kesu.sla). A calendar that cannot answer
(none marked default, a year whose holidays are not entered) never holds a notice back: the notice
goes at once, and the problem is logged.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from kesu.sla.calendar import CalendarError, WorkCalendar, working_next
from kesu.sla.calendars import calendar_load

logger = logging.getLogger(__name__)


class WorkingTime:
    """Answers "when may this be sent?" for many recipients with one calendar load."""

    def __init__(self) -> None:
        self._calendar: WorkCalendar | None = None
        self._loaded = False

    def _load(self) -> WorkCalendar | None:
        if not self._loaded:
            self._loaded = True
            try:
                self._calendar = calendar_load(None)
            except CalendarError as error:
                logger.warning("no working calendar for notices (%s); they are sent at once", error)
        return self._calendar

    def start(self, at: datetime) -> datetime:
        """``at`` if it is working time, else the start of the next working period (in UTC)."""
        calendar = self._load()
        if calendar is None:
            return at
        try:
            return working_next(calendar, at).astimezone(UTC)
        except CalendarError as error:
            logger.warning("no working time after %s for a notice (%s); it is sent at once", at.isoformat(), error)
            return at

"""The wordings of the sla app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define
from kesu.sla.notices import CLOCK_NAMES

messages_define(
    {
        "sla.minutes_range": _("Enter between %(low)s and %(high)s minutes (you entered %(got)s)."),
        "sla.conditions_shape": _("Enter the conditions as an object such as {\"priority\": [\"P1\"]}."),
        "sla.targets_shape": _("Enter at least one clock, e.g. {\"resolution\": {\"minutes\": 2250}}."),
        "sla.target_shape": _("Enter {\"minutes\": N} or {\"minutes\": N, \"around_the_clock\": true}."),
        "sla.levels_shape": _("Enter the levels as a list such as [{\"level\": 1, \"after_minutes\": 0, \"notify\": \"handler\"}]."),
        "sla.level_twice": _("Each level may appear once."),
        "sla.level_order": _("A higher level must not come sooner than a lower one."),
        "notice.sla_warned": _("%(number)s: %(clock)s time limit is close"),
        "notice.sla_warned_body": _("The %(clock)s time limit of %(number)s falls due soon."),
        "notice.sla_breached": _("%(number)s: %(clock)s time limit breached"),
        "notice.sla_breached_body": _("The %(clock)s time limit of %(number)s has passed."),
        "notice.sla_escalated": _("%(number)s escalated to level %(level)s"),
        "notice.sla_escalated_body": _("%(number)s is overdue and has reached escalation level %(level)s."),
        "notice.sla_specialist": _("%(number)s: unresolved after 48 hours"),
        "notice.sla_specialist_body": _(
            "%(number)s is still unresolved: a senior specialist should call the customer back and pre-review "
            "compensation."
        ),
        "notice.sla_reminded": _("%(number)s (red channel): progress reminder"),
        "notice.sla_reminded_body": _("Red channel complaint %(number)s is still open: report progress."),
        # calendars
        "calendar.not_covered_import": _(
            "Calendar %(calendar)s has no holidays entered for %(year)s; import them with "
            "`kesu calendar import --country %(country)s --year %(year)s --calendar %(calendar)s`."
        ),
        "calendar.not_covered": _(
            "Calendar %(calendar)s has no holidays entered for %(year)s; enter them in the calendar's settings."
        ),
        "calendar.minute_pairs": _("%(where)s: give pairs of (start minute, end minute) (you entered %(got)s)."),
        "calendar.period": _("%(where)s period %(number)s (%(period)s)"),
        "calendar.period_bounds": _("%(label)s: times must lie between 00:00 and 24:00."),
        "calendar.period_order": _("%(label)s: the start must be before the end."),
        "calendar.period_overlap": _("%(label)s: overlaps or comes before the previous period; list periods in order."),
        "calendar.not_datetime": _("%(name)s: expected a date and time with a time zone (got %(got)s)."),
        "calendar.naive": _("%(name)s: %(value)s has no time zone; give one (an offset)."),
        "calendar.tz": _("Calendar %(calendar)s: the time zone is not a time zone (got %(got)s)."),
        "calendar.week_days": _("Calendar %(calendar)s: a week has 7 days, Monday to Sunday (got %(got)s)."),
        "calendar.no_working_period": _(
            "Calendar %(calendar)s has no working period in its week; give at least one day working hours."
        ),
        "calendar.holiday_and_workday": _(
            "Calendar %(calendar)s: %(days)s cannot be both a holiday and a make-up working day."
        ),
        "calendar.not_date": _("Expected a date (got %(got)s)."),
        "calendar.seconds": _("Expected a whole number of seconds, 0 or more (got %(got)s)."),
        "calendar.not_time": _("%(where)s: %(value)s is not a time like 09:30."),
        "calendar.time_bounds": _("%(where)s: %(value)s is not a time between 00:00 and 24:00."),
        "calendar.pairs": _("%(where)s: enter a list of [\"HH:MM\", \"HH:MM\"] pairs (you entered %(got)s)."),
        "calendar.pair": _("%(label)s: enter a pair [\"HH:MM\", \"HH:MM\"]."),
        "calendar.week_shape": _("The week needs 7 lists of working periods, Monday to Sunday."),
        "calendar.week_empty": _("The week has no working period on any day; give at least one day working hours."),
        "calendar.unknown": _("There is no calendar named %(name)s."),
        "calendar.no_default": _("There is no default calendar; mark one calendar as the default."),
        "calendar.zone_unknown": _("Calendar %(calendar)s: the time zone %(zone)s is not known."),
        "calendar.in": _("Calendar %(calendar)s: %(error)s"),
        "calendar.country": _("Unknown country %(country)s; give an ISO code such as CN."),
        "calendar.year": _("%(year)s is outside the years the holidays data knows (1950–2100)."),
        "calendar.makeup_day": _("make-up day"),
        "calendar.day.0": _("Monday"),
        "calendar.day.1": _("Tuesday"),
        "calendar.day.2": _("Wednesday"),
        "calendar.day.3": _("Thursday"),
        "calendar.day.4": _("Friday"),
        "calendar.day.5": _("Saturday"),
        "calendar.day.6": _("Sunday"),
    }
)

# the clocks' names, as parameters of the notices (their msgids are marked in sla/notices.py)
messages_define({f"sla.clock.{name}": _(label) for name, label in CLOCK_NAMES.items()})

"""SLA configuration: working calendars (hours, holidays, make-up working days, covered years)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kesu.core.errors import FieldError
from kesu.core.messages import localized
from kesu.sla.calendar import CalendarError, periods_parse, week_parse

SOURCE_MANUAL = "manual"  # package-sourced rows say "holidays package CN"


def default_week() -> list[list[list[str]]]:
    """Monday to Friday 09:00–12:00 and 13:30–18:00."""
    return [[["09:00", "12:00"], ["13:30", "18:00"]] for _ in range(5)] + [[], []]


def time_zone_check(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            gettext("%(value)s is not a known time zone (e.g. Asia/Shanghai)") % {"value": repr(value)}
        ) from error


class Calendar(models.Model):
    """When work happens: working periods per weekday, plus its holidays, make-up days and covered years."""

    name = models.SlugField(_("name"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=64)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai", validators=[time_zone_check])
    week = models.JSONField(
        _("working hours"), default=default_week,
        help_text=_('7 lists (Monday to Sunday) of ["HH:MM", "HH:MM"] periods, e.g. '
                    '[["09:00", "12:00"], ["13:30", "18:00"]]; [] for a day off'),
    )
    makeup_periods = models.JSONField(
        _("make-up working day hours"), default=list, blank=True,
        help_text=_("periods of a make-up working day (调休); empty: those of the first working weekday"),
    )
    country = models.CharField(
        _("holiday country"), max_length=8, default="CN", blank=True,
        help_text=_("country code whose official holidays are imported (CN); empty if entered by hand"),
    )
    is_default = models.BooleanField(_("default calendar"), default=False)
    version = models.PositiveIntegerField(default=0, editable=False)  # bumped by every change: drops caches
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="sla_calendar_one_default")
        ]

    def __str__(self) -> str:
        return self.title or self.name

    def validate_constraints(self, exclude=None) -> None:
        # ticking "default" on a second calendar is allowed: calendar_save unticks the first in the
        # same transaction; the constraint still guards the table
        super().validate_constraints(exclude={*(exclude or ()), "is_default"})

    def clean(self) -> None:
        errors = {}
        try:
            week_parse(self.week)
        except CalendarError as error:
            errors["week"] = str(error)
        try:
            periods_parse(self.makeup_periods or [], "make-up day")
        except CalendarError as error:
            errors["makeup_periods"] = str(error)
        if not self.is_default and self.pk is not None:
            if Calendar.objects.filter(pk=self.pk, is_default=True).exists():
                errors["is_default"] = gettext(
                    "one calendar must be the default; make another calendar the default instead"
                )
        if errors:
            raise ValidationError(errors)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (day off)")
    WORKDAY = "workday", _("Make-up working day")


class CalendarDay(models.Model):
    """A day that differs from the week: a holiday (off) or a make-up working day (调休)."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices, default=DayKind.HOLIDAY)
    name = models.CharField(_("name"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=32, default=SOURCE_MANUAL, editable=False)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or make-up day")
        verbose_name_plural = _("holidays and make-up days")
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="sla_calendar_day_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose holidays are entered; the maths refuses days of any other year."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)])
    source = models.CharField(_("source"), max_length=32, default=SOURCE_MANUAL, editable=False)
    estimated = models.BooleanField(
        _("estimated"), default=False,
        help_text=_("the official schedule was not published when imported: re-import or check by hand"),
    )
    imported_at = models.DateTimeField(_("entered at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["year"]
        verbose_name = _("covered year")
        verbose_name_plural = _("covered years")
        constraints = [models.UniqueConstraint(fields=["calendar", "year"], name="sla_calendar_year_unique")]

    def __str__(self) -> str:
        return f"{self.year} ({self.source})"


# policies


class SlaPolicy(models.Model):
    """Time limits chosen by conditions (priority, category, channel, red channel, tier): the first
    enabled policy in ``position`` order whose conditions all hold applies. Validated by
    :func:`kesu.sla.policies.policy_parse`; never code."""

    name = models.SlugField(_("name"), max_length=48, unique=True)
    title = models.CharField(_("title"), max_length=100, blank=True)
    title_en = models.CharField(_("English title"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    enabled = models.BooleanField(_("enabled"), default=True)
    conditions = models.JSONField(
        _("conditions"), default=dict, blank=True,
        help_text='all must hold, e.g. {"priority": ["P1", "P2"], "red_channel": true}; empty = every complaint',
    )
    targets = models.JSONField(
        _("targets"), default=dict,
        help_text='per clock: {"resolution": {"minutes": 2250}, "first_response": {"minutes": 30, "around_the_clock": true}}',
    )
    warn_percent = models.PositiveSmallIntegerField(_("warn at (percent of the target)"), default=75)
    levels = models.JSONField(
        _("escalation levels"), default=list, blank=True,
        help_text='[{"level": 1, "after_minutes": 0, "notify": "handler"}, {"level": 2, "after_minutes": 240, '
        '"notify": "team_lead"}, {"level": 3, "after_minutes": 480, "notify": "manager"}] — minutes past a breach',
    )
    specialist_after_minutes = models.PositiveIntegerField(
        _("escalate to a senior specialist after (minutes, around the clock)"), null=True, blank=True
    )
    remind_every_minutes = models.PositiveIntegerField(
        _("progress reminders every (minutes, around the clock)"), null=True, blank=True
    )
    calendar = models.ForeignKey(
        Calendar, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="empty: the default calendar",
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title in the reader's language (the slug when there is none)."""
        return localized(self.title, self.title_en) or self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from kesu.complaints.models import Category
        from kesu.sla.policies import policy_parse

        try:
            policy_parse(
                id=self.pk, name=self.name, conditions=self.conditions, targets=self.targets, levels=self.levels,
                warn_percent=self.warn_percent, specialist_after_minutes=self.specialist_after_minutes,
                remind_every_minutes=self.remind_every_minutes,
                known_categories=frozenset(Category.objects.values_list("code", flat=True)),
            )
        except FieldError as error:
            by_field: dict[str, list[str]] = {}
            for name, message in error.errors:
                root = name.split(".")[0].split("[")[0]
                by_field.setdefault(root if root in _POLICY_FIELDS else "__all__", []).append(f"{name}: {message}")
            raise ValidationError(by_field) from error


_POLICY_FIELDS = {"conditions", "targets", "levels", "warn_percent", "specialist_after_minutes", "remind_every_minutes"}

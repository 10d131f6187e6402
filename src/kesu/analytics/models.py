"""Rollups (counters kept up to date from ``ComplaintEvent`` and surveys by an id watermark), KPI
targets and the record of which KPI alerts were sent.

Every rollup row is a bucket of additive counters; the job adds deltas to them in the same
transaction that moves the watermark (``analytics/actions.py``), so a crash and a re-run never count
twice. Dashboards read only these tables (and the few open complaints for ageing).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The counters of the main rollup, in order; each is documented in docs/kpis.md.
FACT_COUNTERS = (
    "created",  # complaints created
    "repeat",  # created complaints that repeat an earlier one (repeat_count > 0)
    "open_delta",  # + opened (created, reopened after closing) − closed: the backlog is the running sum
    "first_resolved",  # complaints resolved for the first time
    "fcr",  # of those: first-contact resolutions (definition in analytics/kpis.py)
    "reopened_first",  # complaints reopened for the first time
    "closed_first",  # complaints closed for the first time
    "closed_5wd",  # of those: closed within 5 working days of creation
    "transferred",  # transfers
    "fr_met",  # first-response clocks met
    "fr_breached",  # first-response clocks breached
    "surveys_sent",  # surveys sent (by the day sent)
    "surveys_answered",  # surveys answered (by the day answered)
    "sat_answers",  # answers with a satisfaction score
    "sat_sum",  # the sum of those scores
    "nps_answers",  # answers with a recommendation score
    "nps_promoters",  # 9–10
    "nps_detractors",  # 0–6
    "open_created",  # on the day of *creation*: + opened − closed, so the open complaints by age (ageing)
)
# complaints created per local hour of the day (the weekday × hour heat map follows the scope)
HOUR_COUNTERS = tuple(f"h{hour:02d}" for hour in range(24))
# complaints created per customer age group (rollup.AGE_GROUPS; ``age_unknown``: no birth year)
AGE_COUNTERS = ("age_lt25", "age_25_34", "age_35_44", "age_45_54", "age_55_64", "age_65p", "age_unknown")
DAILY_COUNTERS = FACT_COUNTERS + HOUR_COUNTERS + AGE_COUNTERS

HANDLER_COUNTERS = (
    "resolved",  # resolutions by the handler (assignee when resolved)
    "res_met",  # resolution clocks met while the handler held the complaint
    "res_breached",
    "reopened",  # reopenings of complaints the handler had resolved
    "repeat",  # repeat complaints (triage's repeat links) about a complaint the handler had resolved
    "praise",  # survey answers of 5 on complaints the handler resolved
    "sat_answers",
)


def _counters(names: tuple[str, ...]) -> dict[str, models.Field]:
    return {name: models.BigIntegerField(default=0) for name in names}


class Watermark(models.Model):
    """How far a feed has been counted: the last event / survey id, or the last answered instant."""

    name = models.CharField(max_length=32, primary_key=True)
    last_id = models.BigIntegerField(default=0)
    last_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rollup watermark")
        verbose_name_plural = _("rollup watermarks")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_id}"


class DailyFacts(models.Model):
    """Counters per local day × category × channel × group (a fixed number of buckets a day,
    whatever the volume): the KPI counters, complaints created per hour of the day and per age group
    (so the heat map and the age chart follow the scope)."""

    day = models.DateField()
    category_id = models.BigIntegerField(default=0)  # 0: none
    channel = models.CharField(max_length=16, default="")
    group_id = models.BigIntegerField(default=0)
    locals().update(_counters(DAILY_COUNTERS))

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [
            models.UniqueConstraint(fields=["day", "category_id", "channel", "group_id"], name="facts_bucket")
        ]
        # a group's dashboard (a team lead's) reads its own rows, not every group's of the period
        indexes = [models.Index(fields=["group_id", "day"], name="facts_group_day")]


# the scope dimensions every created-complaint rollup carries (the drill-downs follow the scope)
SCOPE_KEYS = ("category_id", "channel", "group_id")


class PlaceDaily(models.Model):
    """Complaints created per local day × region (the region text: province + city + district) ×
    category × channel × group."""

    day = models.DateField()
    region = models.CharField(max_length=64, default="")
    category_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=16, default="")
    group_id = models.BigIntegerField(default=0)
    created = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "region", *SCOPE_KEYS], name="place_scope_bucket")]
        indexes = [models.Index(fields=["group_id", "day"], name="place_group_day")]


class ProductDaily(models.Model):
    """Complaints created per local day × product × batch × category × channel × group (supplier is
    the batch's, see ``Batch``)."""

    day = models.DateField()
    product = models.CharField(max_length=128, default="")
    batch = models.CharField(max_length=64, default="")
    category_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=16, default="")
    group_id = models.BigIntegerField(default=0)
    created = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "product", "batch", *SCOPE_KEYS],
                                               name="product_scope_bucket")]
        indexes = [models.Index(fields=["group_id", "day"], name="product_group_day")]


class TagDaily(models.Model):
    """Complaints created per local day × tag × category × channel × group (the Pareto of tags;
    a complaint with three tags counts once under each)."""

    day = models.DateField()
    tag = models.CharField(max_length=64)
    category_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=16, default="")
    group_id = models.BigIntegerField(default=0)
    created = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "tag", *SCOPE_KEYS], name="tag_bucket")]
        indexes = [models.Index(fields=["group_id", "day"], name="tag_group_day")]


class CauseDaily(models.Model):
    """First resolutions per local day × root cause × category × channel × group (the Pareto of
    root causes)."""

    day = models.DateField()
    category_id = models.BigIntegerField(default=0)
    root_cause = models.CharField(max_length=24, default="")
    channel = models.CharField(max_length=16, default="")
    group_id = models.BigIntegerField(default=0)
    resolved = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "root_cause", *SCOPE_KEYS], name="cause_scope_bucket")]
        indexes = [models.Index(fields=["group_id", "day"], name="cause_group_day")]


# The centre-wide twins of the scoped rollups: the same counters without the scope keys (one row a
# day, or a day × region / product / tag / root cause), kept by the same upserts (actions.deltas_apply
# sums a batch's scoped deltas over the scope keys). A page without a group, channel or category
# reads these: a year is a few hundred rows whatever the volume.
class CentreDaily(models.Model):
    day = models.DateField(unique=True)
    locals().update(_counters(DAILY_COUNTERS))


class CentreMix(models.Model):
    """Complaints created per local day × category × channel (the mixes and the Pareto of categories
    without a group: at most days × categories × channels rows, a fifth or less of ``DailyFacts``'s,
    and narrow)."""

    day = models.DateField()
    category_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=16, default="")
    created = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "category_id", "channel"], name="centre_mix_bucket")]


class CentrePlace(models.Model):
    day = models.DateField()
    region = models.CharField(max_length=64, default="")
    created = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "region"], name="centre_place_bucket")]


class CentreProduct(models.Model):
    day = models.DateField()
    product = models.CharField(max_length=128, default="")
    batch = models.CharField(max_length=64, default="")
    created = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "product", "batch"], name="centre_product_bucket")]


class CentreTag(models.Model):
    day = models.DateField()
    tag = models.CharField(max_length=64)
    created = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "tag"], name="centre_tag_bucket")]


class CentreCause(models.Model):
    day = models.DateField()
    root_cause = models.CharField(max_length=24, default="")
    resolved = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "root_cause"], name="centre_cause_bucket")]


# The one-group twins of the region / product / tag / root-cause rollups: category and channel summed
# away, the group first (a team lead's dashboard reads its own group's rows, bounded by days ×
# dimension values, not by the number of category × channel combinations present).
class GroupDaily(models.Model):
    """The daily facts of one group (category and channel summed away): one row a group and day."""

    group_id = models.BigIntegerField(default=0)
    day = models.DateField()
    locals().update(_counters(DAILY_COUNTERS))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group_id", "day"], name="group_daily_bucket")]


# The one-channel and one-category twins of the daily facts (the other two scope keys summed away): a
# dashboard scoped by a channel or a category alone reads one row a day, not every category × group
# (or channel × group) combination of the day.
class ChannelDaily(models.Model):
    """The daily facts of one channel (category and group summed away): one row a channel and day."""

    channel = models.CharField(max_length=16, default="")
    day = models.DateField()
    locals().update(_counters(DAILY_COUNTERS))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "day"], name="channel_daily_bucket")]


class CategoryDaily(models.Model):
    """The daily facts of one category (channel and group summed away): one row a category and day."""

    category_id = models.BigIntegerField(default=0)
    day = models.DateField()
    locals().update(_counters(DAILY_COUNTERS))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category_id", "day"], name="category_daily_bucket")]


class GroupPlace(models.Model):
    group_id = models.BigIntegerField(default=0)
    day = models.DateField()
    region = models.CharField(max_length=64, default="")
    created = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group_id", "day", "region"], name="group_place_bucket")]


class GroupProduct(models.Model):
    group_id = models.BigIntegerField(default=0)
    day = models.DateField()
    product = models.CharField(max_length=128, default="")
    batch = models.CharField(max_length=64, default="")
    created = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group_id", "day", "product", "batch"],
                                               name="group_product_bucket")]


class GroupTag(models.Model):
    group_id = models.BigIntegerField(default=0)
    day = models.DateField()
    tag = models.CharField(max_length=64)
    created = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group_id", "day", "tag"], name="group_tag_bucket")]


class GroupCause(models.Model):
    group_id = models.BigIntegerField(default=0)
    day = models.DateField()
    root_cause = models.CharField(max_length=24, default="")
    resolved = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group_id", "day", "root_cause"], name="group_cause_bucket")]


class SlaDaily(models.Model):
    """SLA clocks met and breached per local day × node × category × channel × group (by the day the
    clock was decided; the attainment per node follows the dashboard's scope)."""

    day = models.DateField()
    clock = models.CharField(max_length=32)
    category_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=16, default="")
    group_id = models.BigIntegerField(default=0)
    met = models.BigIntegerField(default=0)
    breached = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "clock", *SCOPE_KEYS], name="sla_scope_bucket")]
        indexes = [models.Index(fields=["group_id", "day"], name="sla_group_day")]


class CentreSla(models.Model):
    """SLA clocks met and breached per local day × node, the scope keys summed away."""

    day = models.DateField()
    clock = models.CharField(max_length=32)
    met = models.BigIntegerField(default=0)
    breached = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "clock"], name="centre_sla_bucket")]


class GroupSla(models.Model):
    """SLA clocks met and breached per group × local day × node (category and channel summed away)."""

    group_id = models.BigIntegerField(default=0)
    day = models.DateField()
    clock = models.CharField(max_length=32)
    met = models.BigIntegerField(default=0)
    breached = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group_id", "day", "clock"], name="group_sla_bucket")]


class HandlerDaily(models.Model):
    """The scorecard's counters per local day × handler × group."""

    day = models.DateField()
    handler_id = models.BigIntegerField()
    group_id = models.BigIntegerField(default=0)
    locals().update(_counters(HANDLER_COUNTERS))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "handler_id", "group_id"], name="handler_bucket")]


class Batch(models.Model):
    """A product batch and its supplier (the drill-down product → batch → supplier)."""

    product = models.CharField(max_length=128)
    code = models.CharField(max_length=64)
    supplier = models.CharField(max_length=128)

    class Meta:
        verbose_name = _("product batch")
        verbose_name_plural = _("product batches")
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="batch_unique")]

    def __str__(self) -> str:
        return f"{self.product} {self.code}"


class KpiTarget(models.Model):
    """The target of a KPI and its amber / red thresholds, set by the decision layer (one row per
    KPI; for a KPI where lower is better the thresholds lie above the target)."""

    kpi = models.CharField(max_length=40, primary_key=True)
    target = models.FloatField()
    amber = models.FloatField()
    red = models.FloatField()
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")

    def __str__(self) -> str:
        return f"{self.kpi} {self.target}"


class KpiAlert(models.Model):
    """A KPI that crossed a threshold in a period, recorded once (the owners are told once per period)."""

    kpi = models.CharField(max_length=40)
    period = models.CharField(max_length=16)  # e.g. 2026-W49 or 2026-12
    state = models.CharField(max_length=8)
    value = models.FloatField(null=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kpi", "period", "state"], name="kpi_alert_once")]


class MetricKind(models.TextChoices):
    VOLUME = "volume", _("Complaints (volume)")
    REOPEN_RATE = "reopen_rate", _("Reopen rate")
    FCR = "first_contact_resolution", _("First-contact resolution")
    CLOSURE = "closure_within_5_working_days", _("Closed within 5 working days")
    RESOLUTION_HOURS = "resolution_hours", _("Hours to resolve")


class ImprovementMeasure(models.Model):
    """An improvement measure to verify (seed 004): what, who, from when, where, which metric it
    should move and by how much, what it cost. ``scope`` / ``control_scope``: ``{"category": code,
    "channel": …, "group": code, "region": prefix, "region_not": prefix}`` (regions only for the volume)."""

    title = models.CharField(_("measure"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    start = models.DateField(_("start date"))
    window_days = models.PositiveSmallIntegerField(_("window (days)"), default=56)
    scope = models.JSONField(_("scope"), default=dict)
    control_scope = models.JSONField(_("control scope"), default=dict, blank=True)
    metric = models.CharField(_("metric"), max_length=40, choices=MetricKind.choices, default=MetricKind.VOLUME)
    expected_effect = models.FloatField(_("expected effect"), default=-0.2,
                                        help_text="e.g. −0.25: a quarter fewer; for shares, a difference")
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, default=0)
    handling_cost = models.DecimalField(_("handling cost per complaint"), max_digits=10, decimal_places=2, default=60)
    compensation_saved = models.DecimalField(_("compensation saved"), max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("improvement measure")
        verbose_name_plural = _("improvement measures")
        ordering = ["-start", "id"]

    def __str__(self) -> str:
        return self.title


class ScorecardWeights(models.Model):
    """The handler scorecard's weights (seed 000: 40 / 30 / 20 / 10) and the minimum number of
    resolutions in the week before a handler is ranked; one row (id 1), edited by the management."""

    timeliness = models.PositiveSmallIntegerField(_("closure timeliness"), default=40)
    quality = models.PositiveSmallIntegerField(_("resolution quality"), default=30)
    repeat = models.PositiveSmallIntegerField(_("repeat complaints"), default=20)
    praise = models.PositiveSmallIntegerField(_("praise"), default=10)
    min_volume = models.PositiveSmallIntegerField(_("minimum resolutions to be ranked"), default=5)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scorecard weights")
        verbose_name_plural = _("scorecard weights")


class ReportSubscription(models.Model):
    """A person who wants the daily / weekly / monthly report (notified in the app and by e-mail)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="report_subscription_once")]


class Theme(models.Model):
    """An analyst's theme: a filter (category, product, batch, region, keyword) and a period; saved,
    and shared with everyone who has the analytics pages when ``shared``."""

    name = models.CharField(_("theme"), max_length=120)
    filters = models.JSONField(_("filter"), default=dict)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    shared = models.BooleanField(_("shared"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

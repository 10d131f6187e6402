"""Every KPI and chart, once from the raw tables and once from the rollups, on the same demo year."""

from __future__ import annotations

from datetime import date

import pytest

from kesu.analytics.actions import rollup_rebuild, rollup_update
from kesu.analytics.kpis import KPI_NAMES, kpis_compute
from kesu.analytics.models import DailyFacts, Watermark
from kesu.analytics.selectors import (
    AGE_BUCKETS,
    Scope,
    age_groups,
    ageing,
    backlog_series,
    facts_counters,
    heat_map,
    kpis_for_period,
    mix,
    pareto_root_causes,
    pareto_tags,
    places,
    products,
    sla_attainment,
    volume_trend,
)
from kesu.core.models import Group
from tests.analytics import raw

pytestmark = pytest.mark.django_db

PERIODS = [(date(2025, 12, 1), date(2026, 11, 30)), (date(2026, 6, 1), date(2026, 6, 30)),
           (date(2026, 11, 1), date(2026, 11, 30))]


def _rollup_counters(scope: Scope) -> dict[str, int]:
    counters = facts_counters(scope)
    counters.pop("open_delta")
    counters.pop("transferred")
    counters.pop("open_created")  # the ageing buckets: test_scoped_charts_…
    return {k: v for k, v in counters.items() if v}


def test_kpis_from_rollups_equal_kpis_from_raw_tables(demo_year):
    # given a demo year with surveys, its rollups built by the job
    rollup_update(now=demo_year, batch=997)
    for date_from, date_to in PERIODS:
        # then every KPI counter and value is the same both ways, for the centre and for each group
        expected = {k: v for k, v in raw.complaint_facts(date_from, date_to).items() if v}
        assert _rollup_counters(Scope(date_from, date_to)) == expected
        assert kpis_for_period(date_from=date_from, date_to=date_to) == kpis_compute(expected, {})
    first, last = PERIODS[0]
    for group in Group.objects.filter(complaints__isnull=False).distinct():
        expected = {k: v for k, v in raw.complaint_facts(first, last, group_id=group.pk).items() if v}
        assert _rollup_counters(Scope(first, last, group.pk)) == expected
    assert set(kpis_for_period(date_from=first, date_to=last)) == set(KPI_NAMES)
    assert expected["sat_answers"] > 0 and expected["fcr"] > 0 and expected["closed_5wd"] > 0


def test_charts_from_rollups_equal_charts_from_raw_tables(demo_year):
    rollup_update(now=demo_year)
    for date_from, date_to in PERIODS:
        scope = Scope(date_from, date_to)
        trend = {row["period"]: row["created"] for row in volume_trend(scope) if row["created"]}
        assert trend == raw.trend_by_day(date_from, date_to)
        assert {row["key"]: row["created"] for row in mix(scope, "category_id")} == raw.mix(date_from, date_to, "category_id")
        assert {row["key"]: row["created"] for row in mix(scope, "channel")} == raw.mix(date_from, date_to, "channel")
        assert heat_map(scope) == raw.heat_map(date_from, date_to)
        assert {row["key"]: row["count"] for row in pareto_root_causes(scope)} == {
            k: v for k, v in raw.root_causes(date_from, date_to).items() if v}
        assert {row["key"]: row["created"] for row in products(scope)} == raw.products(date_from, date_to)
        assert {row["key"]: (row["met"], row["breached"]) for row in sla_attainment(scope)} == raw.sla(date_from, date_to)
        series = backlog_series(scope)
        for point in series[:: max(1, len(series) // 5)] + series[-1:]:
            assert point["open"] == raw.open_at_end_of(date.fromisoformat(point["day"]))


def test_a_crash_mid_way_and_a_re_run_count_nothing_twice(demo_year, monkeypatch):
    # given the job dies while adding its third batch
    from kesu.analytics import actions

    calls = {"n": 0}
    real_apply = actions.deltas_apply

    def failing_apply(deltas):
        calls["n"] += 1
        real_apply(deltas)  # the rows are written … and then the process dies before the commit
        if calls["n"] == 3:
            raise RuntimeError("killed")

    monkeypatch.setattr(actions, "deltas_apply", failing_apply)
    with pytest.raises(RuntimeError):
        rollup_update(now=demo_year, batch=1000)
    monkeypatch.setattr(actions, "deltas_apply", real_apply)
    # when it runs again, twice
    rollup_update(now=demo_year, batch=1000)
    rollup_update(now=demo_year, batch=1000)
    after_crash = sorted(DailyFacts.objects.values_list("day", "category_id", "channel", "group_id", "created",
                                                        "fcr", "closed_first", "sat_sum"))
    # then the rollups equal a clean rebuild
    rollup_rebuild(now=demo_year)
    clean = sorted(DailyFacts.objects.values_list("day", "category_id", "channel", "group_id", "created",
                                                  "fcr", "closed_first", "sat_sum"))
    assert after_crash == clean
    assert Watermark.objects.get(name="events").last_id > 0


def test_a_partial_rebuild_from_a_day_gives_the_same_rollups(demo_year):
    rollup_update(now=demo_year, batch=500)
    before = sorted(DailyFacts.objects.values_list("day", "category_id", "channel", "group_id", "created", "fcr",
                                                   "open_delta", "surveys_answered"))
    DailyFacts.objects.filter(day__gte=date(2026, 9, 1)).update(created=0, fcr=99)  # damaged
    rollup_rebuild(now=demo_year, day_from=date(2026, 9, 1), batch=500)
    after = sorted(DailyFacts.objects.values_list("day", "category_id", "channel", "group_id", "created", "fcr",
                                                  "open_delta", "surveys_answered"))
    assert after == before


def _scopes(date_from: date, date_to: date) -> list[tuple[Scope, dict]]:
    """The whole centre and, for each scope key, the value with the most complaints."""
    from collections import Counter

    from kesu.complaints.models import Complaint

    out = [(Scope(date_from, date_to), {})]
    for key in ("group_id", "channel", "category_id"):
        value = Counter(Complaint.objects.values_list(key, flat=True)).most_common(1)[0][0]
        out.append((Scope(date_from, date_to, **{key: value}), {key: value}))
    group, channel = Counter(Complaint.objects.values_list("group_id", "channel")).most_common(1)[0][0]
    out.append((Scope(date_from, date_to, group_id=group, channel=channel), {"group_id": group, "channel": channel}))
    return out


def test_scoped_charts_from_rollups_equal_the_raw_tables(demo_year):
    # given the rollups of a demo year
    rollup_update(now=demo_year, batch=700)
    date_from, date_to = PERIODS[0]
    for scope, raw_scope in _scopes(date_from, date_to):
        # then the mixes, the heat map, the age groups, the drill-downs and the Paretos follow each scope
        # (the mixes without a group read the day × category × channel twin)
        for field in ("category_id", "channel"):
            assert {row["key"]: row["created"] for row in mix(scope, field)} == raw.mix(
                date_from, date_to, field, **raw_scope), (field, raw_scope)
        assert heat_map(scope) == raw.heat_map(date_from, date_to, **raw_scope), raw_scope
        assert {row["key"]: row["created"] for row in age_groups(scope) if row["created"]} == raw.age_groups(
            date_from, date_to, **raw_scope)
        provinces = {row["key"]: row["created"] for row in places(scope)}
        assert provinces == raw.provinces(date_from, date_to, **raw_scope)
        top = max(provinces, key=provinces.get)
        cities = places(scope, province=top)
        assert sum(row["created"] for row in cities) == provinces[top]
        city = cities[0]["key"]
        districts = places(scope, province=top, city=city)
        assert sum(row["created"] for row in districts) == raw.regions_under(date_from, date_to, top + city, **raw_scope)
        by_product = {row["key"]: row["created"] for row in products(scope)}
        assert by_product == raw.products(date_from, date_to, **raw_scope)
        product = max(by_product, key=by_product.get)
        assert {row["key"]: row["created"] for row in products(scope, product=product)} == raw.batches(
            date_from, date_to, product, **raw_scope)
        assert {row["key"]: row["count"] for row in pareto_tags(scope)} == raw.tags(date_from, date_to, **raw_scope)
        assert {row["key"]: row["count"] for row in pareto_root_causes(scope)} == {
            k: v for k, v in raw.root_causes(date_from, date_to, **raw_scope).items() if v}
        # the SLA attainment per node follows the scope too (scoped rows, the group's or the centre's twin)
        sla = {row["key"]: (row["met"], row["breached"]) for row in sla_attainment(scope)}
        assert sla == raw.sla(date_from, date_to, **raw_scope), raw_scope
        assert sla, raw_scope
        # and the open complaints by age (local days since creation) are the raw open complaints
        today = date_to
        by_day = raw.open_by_created_day(today, **raw_scope)
        expected = dict.fromkeys((label for _d, label in AGE_BUCKETS), 0)
        for created, n in by_day.items():
            age = (today - created).days
            expected[next(label for days, label in AGE_BUCKETS if days is None or age < days)] += n
        assert {row["key"]: row["open"] for row in ageing(scope, today=today)} == expected
    assert any(raw.tags(date_from, date_to).values())


def test_the_migration_fills_the_mix_twin_from_the_daily_facts(demo_year):
    # given rollups counted before the day × category × channel twin existed (an empty twin)
    import importlib

    from django.db import connection

    from kesu.analytics.models import CentreMix

    rollup_update(now=demo_year)
    counted = sorted(CentreMix.objects.values_list("day", "category_id", "channel", "created"))
    CentreMix.objects.all().delete()
    # when the migration that adds it runs
    migration = importlib.import_module("kesu.analytics.migrations.0006_rollup_centre_mix")
    migration.mix_fill(None, type("Editor", (), {"connection": connection})())
    # then the twin holds what the job would have counted
    assert sorted(CentreMix.objects.values_list("day", "category_id", "channel", "created")) == counted
    assert len(counted) > 100


def test_a_partial_rebuild_without_surveys_gives_the_same_rollups(demo_year):
    # given a centre that sends no surveys (the partial rebuild finds no survey rows since its day)
    from kesu.surveys.models import Survey

    Survey.objects.all().delete()
    rollup_rebuild(now=demo_year)
    before = sorted(DailyFacts.objects.values_list("day", "category_id", "channel", "group_id", "created", "fcr",
                                                   "open_delta"))
    # when the rollups are rebuilt from a day
    rollup_rebuild(now=demo_year, day_from=date(2026, 9, 1))
    # then it runs through and counts the same
    assert sorted(DailyFacts.objects.values_list("day", "category_id", "channel", "group_id", "created", "fcr",
                                                 "open_delta")) == before
    assert before


def test_the_migrations_fill_the_group_channel_and_category_twins_from_the_scoped_rollups(demo_year):
    # given rollups counted before the one-group twins existed (empty twins)
    import importlib

    from django.apps import apps
    from django.db import connection

    from kesu.analytics.models import (
        DAILY_COUNTERS,
        CategoryDaily,
        ChannelDaily,
        GroupCause,
        GroupDaily,
        GroupPlace,
        GroupProduct,
        GroupTag,
    )

    rollup_update(now=demo_year)
    twins = {GroupPlace: ("region", "created"), GroupProduct: ("product", "batch", "created"),
             GroupTag: ("tag", "created"), GroupCause: ("root_cause", "resolved"), GroupDaily: DAILY_COUNTERS,
             ChannelDaily: DAILY_COUNTERS, CategoryDaily: DAILY_COUNTERS}
    first_key = {ChannelDaily: "channel", CategoryDaily: "category_id"}

    def rows(model, fields):  # (a bucket whose counts all came back to 0 may or may not have a row)
        key = first_key.get(model, "group_id")
        return [row for row in sorted(model.objects.values_list(key, "day", *fields)) if any(row[2:])]

    counted = {model: rows(model, fields) for model, fields in twins.items()}
    for model in twins:
        model.objects.all().delete()
    # when the migrations that add them run
    editor = type("Editor", (), {"connection": connection})()
    importlib.import_module("kesu.analytics.migrations.0008_rollup_group_twins").group_twins_fill(None, editor)
    importlib.import_module("kesu.analytics.migrations.0009_rollup_group_daily").group_daily_fill(apps, editor)
    importlib.import_module("kesu.analytics.migrations.0011_rollup_channel_category_daily").channel_category_daily_fill(
        apps, editor)
    # then each holds what the job would have counted
    for model, fields in twins.items():
        assert rows(model, fields) == counted[model], model
        assert counted[model], model


def test_the_migration_counts_the_sla_rollup_by_scope(demo_year):
    # given SLA clocks counted before they carried the scope keys: one row a day and node, no twins
    import importlib

    from django.db import connection

    from kesu.analytics.models import CentreSla, GroupSla, SlaDaily

    rollup_update(now=demo_year)
    tables = {SlaDaily: ("day", "clock", "category_id", "channel", "group_id"), CentreSla: ("day", "clock"),
              GroupSla: ("group_id", "day", "clock")}

    def rows(model, keys):
        return [row for row in sorted(model.objects.values_list(*keys, "met", "breached")) if any(row[-2:])]

    counted = {model: rows(model, keys) for model, keys in tables.items()}
    for model in tables:
        model.objects.all().delete()
    SlaDaily.objects.bulk_create(SlaDaily(day=day, clock=clock, met=met, breached=breached)
                                 for day, clock, met, breached in counted[CentreSla])
    # when the migration that adds the scope keys runs
    migration = importlib.import_module("kesu.analytics.migrations.0010_rollup_sla_scope")
    migration.sla_scope_fill(None, type("Editor", (), {"connection": connection})())
    # then the scoped rows and both twins hold what the job would have counted
    for model, keys in tables.items():
        assert rows(model, keys) == counted[model], model
        assert counted[model], model

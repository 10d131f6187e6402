"""The demo year holds what the analytics pages need, and the verification page finds the measure
that worked and not the one that did not."""

from __future__ import annotations

import pytest

from kesu.analytics.demo import demo_populate
from kesu.analytics.measures import measure_verify, windows_for
from kesu.analytics.models import Batch, ImprovementMeasure
from kesu.analytics.selectors import Scope, age_groups, kpis_for_period
from kesu.customers.models import Customer
from kesu.demo.generator import demo_generate, demo_users_ensure
from kesu.demo.organisation import organisation_ensure
from kesu.surveys.models import Survey
from tests.analytics.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    organisation_ensure()
    demo_users_ensure()
    demo_generate(complaints=3000, seed=42, now=NOW)
    demo_populate(seed=42, complaints=3000, now=NOW)


def test_the_demo_year_has_surveys_ages_batches_and_measures(demo):
    today = NOW.date()
    kpis = kpis_for_period(date_from=today.replace(year=today.year - 1), date_to=today)
    assert 0.3 < kpis["survey_response_rate"]["value"] < 0.5
    assert 3.8 < kpis["satisfaction"]["value"] < 4.6
    assert all(kpi["state"] != "no_target" for kpi in kpis.values())
    assert Survey.objects.filter(reopened=True, satisfaction__lte=2).exists()
    assert Customer.objects.filter(birth_year__isnull=False).count() > Customer.objects.count() / 2
    assert {row["key"] for row in age_groups(Scope(today.replace(year=today.year - 1), today)) if row["created"]} >= {
        "25-34", "35-44", "unknown"}
    assert Batch.objects.exclude(supplier="").exists()
    demo_populate(seed=42, complaints=3000, now=NOW)  # a second run adds nothing
    assert ImprovementMeasure.objects.count() == 3


def test_verification_sees_the_measure_in_the_data_and_not_the_others(demo):
    # 3,000 complaints hold ~100 of the measure's scope per window: the estimate must point the right
    # way; the demo's default 20,000 complaints make it significant (README, "### Analytics")
    verdicts = {m.title: measure_verify(m, today=NOW.date()) for m in ImprovementMeasure.objects.all()}
    fix = verdicts["广东处理效率专项：工单超时自动升级与专人跟进"]
    assert fix["controlled"] and fix["test"] == "poisson_did"
    assert fix["low"] <= fix["effect"] <= fix["high"] and -0.6 < fix["effect"] < -0.1
    assert fix["verdict"] in ("worked", "not_significant")
    training = verdicts["服务态度培训（全体一线）"]
    assert training["verdict"] == "not_significant" and training["cost_benefit"]["benefit"] == 0


def test_windows_are_equal_and_end_before_today():
    from datetime import date

    w = windows_for(date(2026, 6, 1), 56, date(2026, 6, 30))
    assert w.days == 29 and w.after == (date(2026, 6, 1), date(2026, 6, 29))
    assert (w.before[1] - w.before[0]).days == (w.after[1] - w.after[0]).days
    assert windows_for(date(2026, 6, 1), 56, date(2026, 6, 4)) is None

"""With DATABASE_REPLICA_URL set, analytics reads go to the replica and writes never do.

Runs when the replica is configured (`.ci/run` sets it for the PostgreSQL pass):
    DATABASE_URL=postgres://…/kesu_analytics DATABASE_REPLICA_URL=postgres://…/kesu_analytics_replica \
        pytest tests/analytics/test_replica.py
Django creates a second test database for the replica alias, so the two really are apart here
(a real replica would receive the primary's rows by streaming replication).
"""

from __future__ import annotations

import pytest
from django.conf import settings

from kesu.analytics.actions import kpi_target_set, rollup_update
from kesu.analytics.models import CentreDaily, DailyFacts, KpiTarget
from kesu.analytics.routers import AnalyticsReplicaRouter
from kesu.analytics.selectors import kpis_for_period
from kesu.complaints.models import Complaint
from tests.factories import T0, make_complaint

pytestmark = [
    pytest.mark.skipif("replica" not in settings.DATABASES, reason="DATABASE_REPLICA_URL is not set"),
    pytest.mark.django_db(databases=["default", "replica"]),
]


def test_the_router_sends_analytics_reads_to_the_replica_and_every_write_to_default():
    router = AnalyticsReplicaRouter()
    assert router.db_for_read(DailyFacts) == "replica"
    assert router.db_for_read(Complaint) is None
    assert router.db_for_write(DailyFacts) == "default"


def test_kpis_are_read_from_the_replica_and_the_job_writes_the_primary():
    # given a complaint counted by the job: its rollup rows are written on the primary
    make_complaint(now=T0)
    rollup_update(now=T0)
    kpi_target_set(kpi="repeat_rate", target=0.05, amber=0.06, red=0.08, by=None, now=T0)
    assert DailyFacts.objects.using("default").filter(created__gt=0).exists()
    day = T0.date()

    # then the KPIs, read from the replica, do not see them yet …
    before = kpis_for_period(date_from=day, date_to=day)
    assert before["repeat_rate"]["denominator"] == 0 and before["repeat_rate"]["state"] == "no_target"

    # … and see them once the replica has them
    for rollup in (DailyFacts, CentreDaily):  # the scoped rollup and its centre-wide twin
        for row in rollup.objects.using("default").all():
            row.save(using="replica")
    for target in KpiTarget.objects.using("default").all():
        KpiTarget.objects.using("replica").create(kpi=target.kpi, target=target.target, amber=target.amber,
                                                  red=target.red, updated_at=target.updated_at)
    after = kpis_for_period(date_from=day, date_to=day)
    assert after["repeat_rate"]["denominator"] == 1 and after["repeat_rate"]["target"] == 0.05

"""The forecast and simulation pages: the stored forecast and its daily job, the what-if form."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from kesu.core.roles import Role
from kesu.demo.generator import demo_generate
from kesu.workforce.models import StoredForecast
from kesu.workforce.tasks import forecast_nightly
from tests.factories import make_user

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


@pytest.fixture
def demo(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    return demo_generate(complaints=1200, seed=5, now=NOW)


def _client(role):
    client = Client()
    client.force_login(make_user(role, f"u-{role}"))
    return client


def test_the_daily_job_stores_a_forecast_the_page_shows(demo):
    assert forecast_nightly.call_local()
    stored = StoredForecast.objects.get(scope="")
    payload = stored.payload
    assert payload["model"] and len(payload["days"]) == 14 and payload["days"][0]["day"] == "2026-03-03"
    assert len(payload["tomorrow"]["values"]) == 48
    for day in payload["days"]:
        assert day["low95"] <= day["low80"] <= day["value"] <= day["high80"] <= day["high95"]
    assert set(payload["accuracy"]["daily"]) == {"model", "seasonal_naive", "mean_4_weeks"}
    page = _client(Role.MANAGER).get("/operations/forecast/")
    body = page.content.decode()
    assert page.status_code == 200 and "forecast-accuracy" in body and payload["model"] in body
    assert 'id="chart-forecast-days"' in body or "forecast-days" in body
    assert StoredForecast.objects.filter(scope="").count() == 1  # read, not recomputed
    xlsx = _client(Role.ANALYST).get("/operations/forecast/?xlsx=forecast-days")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_forecasts_per_channel_and_category_from_the_daily_job(demo):
    from kesu.complaints.models import Complaint

    stored = forecast_nightly.call_local()
    scopes = set(StoredForecast.objects.values_list("scope", flat=True))
    assert stored == len(scopes) and {"", "channel:phone", "channel:chat", "category:service-attitude"} <= scopes
    all_days = StoredForecast.objects.get(scope="").payload["days"]
    phone = StoredForecast.objects.get(scope="channel:phone").payload
    assert phone["model"] and phone["history_rows"] < StoredForecast.objects.get(scope="").payload["history_rows"]
    assert sum(d["value"] for d in phone["days"]) < sum(d["value"] for d in all_days)
    phone_share = Complaint.objects.filter(channel="phone").count() / Complaint.objects.count()
    assert abs(phone["history_rows"] / StoredForecast.objects.get(scope="").payload["history_rows"] - phone_share) < 0.05

    manager = _client(Role.MANAGER)
    page = manager.get("/operations/forecast/", {"scope": "channel:phone"})
    body = page.content.decode()
    assert page.status_code == 200 and '<option value="channel:phone" selected>' in body
    assert 'value="category:service-attitude"' in body and 'class="notice"' not in body
    assert manager.get("/operations/forecast/", {"scope": "channel:fax"}).status_code == 400


def test_without_a_stored_forecast_the_page_computes_one_and_says_so(demo):
    page = _client(Role.MANAGER).get("/operations/forecast/")
    assert page.status_code == 200 and 'class="notice"' in page.content.decode()
    assert StoredForecast.objects.count() == 1
    assert _client(Role.HANDLER).get("/operations/forecast/").status_code == 403




def test_the_simulation_runs_as_a_job_and_its_page_shows_progress_then_the_result(
        demo, jobs_run_in_process, django_capture_on_commit_callbacks):
    from kesu.workforce.models import SimulationRun

    manager = _client(Role.MANAGER)
    form = manager.get("/operations/simulation/")
    assert form.status_code == 200 and 'name="replications"' in form.content.decode()
    from kesu.workforce.selectors import handlers_per_group

    group = sorted(handlers_per_group())[0]
    fields = {"from": "2026-02-01", "to": "2026-02-14", "replications": "2", "volume": "20",
              f"handlers_{group}": "1", "faster_group": group, "faster_percent": "10"}
    huey_was = jobs_run_in_process.immediate
    jobs_run_in_process.immediate = False  # first: queued, not yet run — the page shows the progress
    with django_capture_on_commit_callbacks(execute=False):
        queued = manager.post("/operations/simulation/", fields)
    assert queued.status_code == 302
    run = SimulationRun.objects.get()
    waiting = manager.get(queued["Location"]).content.decode()
    assert "<progress" in waiting and 'hx-trigger="every 2s"' in waiting and "已完成 0 / 4" in waiting
    jobs_run_in_process.immediate = huey_was

    with django_capture_on_commit_callbacks(execute=True):
        done = manager.post("/operations/simulation/", fields)
    page = manager.get(done["Location"])
    body = page.content.decode()
    assert page.status_code == 200, body
    assert "simulation-groups" in body and "bottleneck-scenario" in body and "<progress" not in body
    latest = SimulationRun.objects.exclude(pk=run.pk).get()
    assert latest.state == "done" and latest.done == latest.total == 4
    poll = manager.get(done["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert poll.startswith('<div id="simulation-run"') and "hx-trigger" not in poll  # it stops polling
    handler = _client(Role.HANDLER)
    assert handler.get("/operations/simulation/").status_code == 403
    assert handler.get(done["Location"]).status_code == 403


def test_a_period_without_history_fails_with_its_reason_on_the_run_page(
        demo, jobs_run_in_process, django_capture_on_commit_callbacks):
    manager = _client(Role.MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        done = manager.post("/operations/simulation/", {"from": "2020-01-01", "to": "2020-01-10",
                                                        "replications": "2"})
    body = manager.get(done["Location"]).content.decode()
    assert 'role="alert"' in body and "2020-01-01" in body and "<progress" not in body


def test_bad_simulation_input_is_named_per_field(demo):
    response = _client(Role.MANAGER).post("/operations/simulation/", {
        "from": "2026-02-14", "to": "2026-02-01", "replications": "5000", "volume": "lots"})
    body = response.content.decode()
    assert response.status_code == 422
    for field in ("to", "replications", "volume"):
        assert f'data-field="{field}"' in body
    too_long = _client(Role.ANALYST).post("/operations/simulation/", {
        "from": "2025-10-01", "to": "2026-02-14", "replications": "2", "faster_group": "nobody"})
    body = too_long.content.decode()
    assert too_long.status_code == 422
    assert 'data-field="to"' in body and 'data-field="faster_group"' in body
    assert "92" in body  # the longest period allowed is named

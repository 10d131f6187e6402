"""The predictions the desk and the portal show for open complaints, read from what the jobs stored."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kesu.complaints.models import Category, Complaint, Status
from kesu.core.roles import Role
from tests.factories import make_complaint, make_user

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _resolved(category, hours: list[int], *, before: datetime) -> None:
    for i, span in enumerate(hours):
        complaint = make_complaint(now=before - timedelta(days=20), subject=f"已解决{category.code}{i}")
        created = before - timedelta(days=20, hours=i)
        Complaint.objects.filter(pk=complaint.pk).update(
            category=category, channel="phone", priority="P3", status=Status.CLOSED, created_at=created,
            resolved_at=created + timedelta(hours=span), closed_at=created + timedelta(hours=span + 1))


def _shown(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@pytest.mark.django_db
def test_likely_resolved_by_reads_the_stored_quantiles_which_the_job_refreshes(
        time_machine, client, django_assert_num_queries):
    from kesu.workforce.models import ResolutionQuantiles
    from kesu.workforce.predictions import expected_resolution
    from kesu.workforce.tasks import resolution_hourly

    time_machine.move_to(NOW, tick=False)
    parcels = Category.objects.create(code="t-parcels", name_zh="快递", name_en="Parcels")
    refunds = Category.objects.create(code="t-refunds", name_zh="退款", name_en="Refunds")
    _resolved(parcels, list(range(2, 27)), before=NOW)  # 2 … 26 hours: median 14 h
    _resolved(refunds, [200] * 25, before=NOW)  # slow, and not the open complaint's category
    open_one = make_complaint(now=NOW - timedelta(minutes=10), subject="还没到")
    Complaint.objects.filter(pk=open_one.pk).update(category=parcels, channel="phone", priority="P3",
                                                    created_at=NOW - timedelta(minutes=10))
    open_one.refresh_from_db()
    assert expected_resolution(open_one, now=NOW) is None  # nothing stored yet: no guess from the history

    assert resolution_hourly.call_local() == 5  # all, each category, each category × channel × priority
    with django_assert_num_queries(1):  # whatever the history's size
        expected = expected_resolution(open_one, now=NOW)
    assert expected.at == open_one.created_at + timedelta(hours=14) and expected.similar == 25
    manager = make_user(Role.MANAGER, "outlook-reader")
    client.force_login(manager)
    desk = client.get(f"/complaints/{open_one.pk}/").content.decode()
    assert "预计解决时间" in desk and _shown(open_one.created_at + timedelta(hours=14)) in desk

    # slower complaints resolved since: the page keeps the stored figure until the job runs again
    _resolved(parcels, list(range(102, 127)), before=NOW)
    assert expected_resolution(open_one, now=NOW).at == expected.at
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    resolution_hourly.call_local()
    assert set(ResolutionQuantiles.objects.values_list("computed_at", flat=True)) == {NOW + timedelta(hours=1)}
    later = open_one.created_at + timedelta(hours=64)  # the median of 2 … 26 and 102 … 126 hours
    assert expected_resolution(open_one, now=NOW + timedelta(hours=1)).at == later
    client.force_login(manager)  # the idle session ended with the hour
    desk = client.get(f"/complaints/{open_one.pk}/").content.decode()
    assert _shown(later) in desk and _shown(expected.at) not in desk


def test_the_conditional_median_counts_the_time_already_spent():
    from kesu.workforce.predictions import QUANTILES, conditional_median

    spans = [3600.0 * h for h in range(1, 101)]  # 1 … 100 hours, as stored quantiles
    import numpy as np

    quantiles = np.quantile(spans, np.linspace(0, 1, QUANTILES)).tolist()
    assert conditional_median(quantiles, 100, 0) == pytest.approx((50.5 * 3600, 100))
    span, similar = conditional_median(quantiles, 100, 60.5 * 3600)  # those longer than 60.5 h: 61 … 100
    assert span == pytest.approx(80.5 * 3600, rel=0.01) and similar == 40
    assert conditional_median(quantiles, 100, 90.5 * 3600) is None  # only 10 lasted that long


def test_an_open_case_is_described_as_its_prefixes_are():
    import pandas as pd

    from kesu.workforce.process import current_prefixes, prefixes_build

    at = pd.Timestamp("2026-03-02 09:00")
    frame = pd.DataFrame({"case_id": ["a"] * 4, "activity": ["created", "assigned", "pended", "resumed"],
                          "at": [at, at + pd.Timedelta(hours=2), at + pd.Timedelta(days=1), at + pd.Timedelta(days=3)]})
    vocabulary = {"assigned": 0, "created": 1, "pended": 2, "resumed": 3}
    whole = prefixes_build(frame, vocabulary)  # prefixes of 1, 2 and 3 events
    ids, current = current_prefixes(frame.iloc[:3], vocabulary)  # the case as it stood after 3 events
    assert ids == ["a"] and current.length.tolist() == [3]
    assert current.features.tolist() == whole.features[2:3].tolist()


@pytest.fixture
def demo(db, time_machine):
    from kesu.demo.generator import demo_generate

    time_machine.move_to(NOW, tick=False)
    return demo_generate(complaints=1200, seed=5, now=NOW)


def test_the_desk_shows_the_process_models_next_step_and_end_the_job_stored(demo, client, time_machine):
    from kesu.complaints.models import ComplaintEvent, EventKind
    from kesu.workforce.models import ProcessPrediction
    from kesu.workforce.predictions import OPEN
    from kesu.workforce.process_predictions import activity_label
    from kesu.workforce.tasks import process_predictions_job

    open_ids = set(Complaint.objects.filter(status__in=OPEN, merged_into__isnull=True).values_list("pk", flat=True))
    assert process_predictions_job.call_local() == len(open_ids)  # `kesu demo` runs it too
    stored = {p.complaint_id: p for p in ProcessPrediction.objects.all()}
    assert stored and set(stored) == open_ids
    lifecycle = {kind.value for kind in EventKind}
    assert all(p.next_activity in lifecycle and p.remaining_days >= 0 for p in stored.values())
    assert all(p.computed_at == NOW for p in stored.values())

    prediction = max(stored.values(), key=lambda p: p.expected_end)
    client.force_login(make_user(Role.HANDLER, "outlook-handler"))
    desk = client.get(f"/complaints/{prediction.complaint_id}/").content.decode()
    assert "process-outlook" in desk and "下一步" in desk
    assert activity_label(prediction.next_activity) in desk.split("process-next", 1)[1][:200]
    assert _shown(prediction.expected_end) in desk
    complaint = Complaint.objects.get(pk=prediction.complaint_id)  # a step since the job: out of date
    ComplaintEvent.objects.create(complaint=complaint, kind=prediction.next_activity, at=NOW,
                                  from_status=complaint.status, to_status=complaint.status)
    assert "process-outlook" not in client.get(f"/complaints/{complaint.pk}/").content.decode()
    closed = Complaint.objects.filter(status=Status.CLOSED).first()
    assert "process-outlook" not in client.get(f"/complaints/{closed.pk}/").content.decode()

    later = NOW + timedelta(hours=3)
    time_machine.move_to(later, tick=False)
    assert process_predictions_job.call_local() == len(open_ids)
    assert ProcessPrediction.objects.get(complaint=complaint).events == prediction.events + 1
    assert set(ProcessPrediction.objects.values_list("computed_at", flat=True)) == {later}


def _step(complaint_id: int, kind: str, at: datetime, **fields) -> None:
    from kesu.complaints.models import ComplaintEvent

    complaint = Complaint.objects.get(pk=complaint_id)
    ComplaintEvent.objects.create(complaint=complaint, kind=kind, at=at, from_status=complaint.status,
                                  to_status=fields.get("status", complaint.status))
    if fields:
        Complaint.objects.filter(pk=complaint_id).update(**fields)


def test_the_predictions_are_scored_against_what_happened_beside_their_baselines(demo, time_machine):
    from kesu.complaints.models import EventKind
    from kesu.workforce.models import PredictionRecord, ProcessPrediction
    from kesu.workforce.predictions import resolution_refresh
    from kesu.workforce.process_predictions import process_scores
    from kesu.workforce.tasks import process_predictions_job

    # given the job's predictions at NOW (the first after each complaint's last step is recorded)
    resolution_refresh(now=NOW)
    opened = process_predictions_job.call_local()
    records = {r.complaint_id: r for r in PredictionRecord.objects.all()}
    assert len(records) == opened and process_scores(now=NOW)["next_step"]["scored"] == 0
    # the next step's time (the portal's): the wait of those that had waited as long — always still ahead
    timed = ProcessPrediction.objects.filter(next_at__isnull=False)
    assert timed.exists() and all(p.next_at > NOW for p in timed)
    time_machine.move_to(NOW + timedelta(hours=3), tick=False)
    assert process_predictions_job.call_local() == opened  # nothing happened: nothing new recorded or scored
    assert PredictionRecord.objects.count() == opened
    assert process_scores(now=NOW + timedelta(hours=3))["next_step"]["scored"] == 0

    # when one complaint takes the predicted step, one another step, and a third closes two hours later
    kinds = [EventKind.RESOLVED, EventKind.PENDED, EventKind.TRANSFERRED]
    right = next(iter(records.values()))
    wrong = next(r for r in records.values() if r.pk != right.pk and r.next_activity not in kinds[1:]
                 and r.baseline_next not in kinds[1:])
    closes = next(r for r in records.values() if r.pk not in (right.pk, wrong.pk)
                  and r.next_activity != EventKind.CLOSED and r.baseline_next != EventKind.CLOSED
                  and r.likely_resolved_by is not None and r.likely_resolved_by >= NOW + timedelta(hours=4))
    _step(right.complaint_id, right.next_activity, NOW + timedelta(hours=3, minutes=30))
    other = next(k for k in kinds[1:] if k != wrong.next_activity)
    _step(wrong.complaint_id, other, NOW + timedelta(hours=4))
    end = NOW + timedelta(hours=4)
    _step(closes.complaint_id, EventKind.CLOSED, end, status=Status.CLOSED, resolved_at=end, closed_at=end)
    later = NOW + timedelta(hours=6)
    time_machine.move_to(later, tick=False)
    process_predictions_job.call_local()

    # then the next run scores them: one right step of three for the model (the bigram: at most that one)
    scores = process_scores(now=later)
    bigram_right = int(right.baseline_next == right.next_activity)
    assert scores["next_step"] == {"scored": 3, "model_accuracy": round(1 / 3, 4),
                                   "bigram_accuracy": round(bigram_right / 3, 4)}
    # the expected end of the closed one, and the median's, against its closing time
    expected_error = abs((closes.expected_end - end).total_seconds()) / 86400
    baseline_error = abs((closes.baseline_end - end).total_seconds()) / 86400
    assert scores["expected_end"] == {"scored": 1, "model_mae_days": round(expected_error, 3),
                                      "median_mae_days": round(baseline_error, 3)}
    # the two that are still open got a new record for their new step; the closed one none
    assert PredictionRecord.objects.count() == opened + 2

    # "likely resolved by": a month on, every estimate's time has come; only the closed one was resolved in time
    month = NOW + timedelta(days=30)
    likely = process_scores(now=month)["likely_resolved_by"]
    due = PredictionRecord.objects.filter(likely_resolved_by__lte=month).count()
    assert due >= 3 and likely["scored"] == due and likely["coverage"] == round(1 / due, 4)
    assert likely["nominal"] == 0.5 and likely["baseline_scored"] > 0
    # a prediction made more than the window ago is no longer counted
    assert process_scores(now=NOW + timedelta(days=91))["predictions"] == 0


def test_the_process_page_and_the_command_show_the_score_of_the_demos_past_predictions(demo, client, capsys):
    import json

    from kesu.cli import main
    from kesu.workforce.predictions import resolution_refresh
    from kesu.workforce.process_predictions import process_predictions_refresh, process_scores

    # given the predictions a job made a fortnight ago (as the demo replays them) and today's run
    resolution_refresh(now=NOW)
    assert process_predictions_refresh(now=NOW - timedelta(days=14), replay=True) > 0
    process_predictions_refresh(now=NOW)
    scores = process_scores(now=NOW)
    assert scores["next_step"]["scored"] > 0 and scores["expected_end"]["scored"] > 0
    assert scores["likely_resolved_by"]["scored"] > 0
    # the model does not do worse than its baseline on the steps taken since
    assert scores["next_step"]["model_accuracy"] >= scores["next_step"]["bigram_accuracy"]

    assert main(["process", "score", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == scores
    client.force_login(make_user(Role.MANAGER, "score-reader"))
    page = client.get("/operations/process/", headers={"Accept-Language": "en"}).content.decode()
    table = page.split("process-scores", 1)[1]
    assert "How the estimates did" in page and f"<td>{scores['next_step']['model_accuracy']}</td>" in table
    assert str(scores["expected_end"]["median_mae_days"]) in table
    assert "预测的准确程度" in client.get("/operations/process/").content.decode()

import json
from datetime import UTC, datetime

import pytest

from kesu.cli import main
from kesu.demo.generator import demo_generate
from kesu.workforce.models import RiskModelVersion, RiskScore

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


@pytest.fixture
def demo(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    return demo_generate(complaints=1500, seed=7, now=NOW)


def test_evaluate_reports_every_outcome_on_a_time_split(demo, capsys):
    assert main(["risk", "evaluate", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["train"] > report["test"] > 0
    assert set(report["outcomes"]) == {"escalation", "reopened", "repeat_30d", "negative_survey", "any"}
    for values in report["outcomes"].values():
        assert {"roc_auc", "recall_at_20pct", "precision_at_20pct", "baseline_emotion"} <= set(values)


def test_train_scores_the_open_complaints_with_reasons(demo, capsys):
    from kesu.complaints.models import Complaint, Status

    assert main(["risk", "train", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert RiskModelVersion.objects.filter(is_active=True).count() == 1
    open_count = Complaint.objects.filter(
        merged_into__isnull=True,
        status__in=[Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER]).count()
    assert data["scored_open"] == open_count == RiskScore.objects.count() > 0
    top = RiskScore.objects.order_by("-score").first()
    assert 0 < top.score < 1
    assert all(reason["contribution"] > 0 for reason in top.reasons)


def test_what_happened_since_intake_beats_the_intake_alone_on_escalations(demo):
    """The demo's customers chase a complaint that goes badly, angrier each time, until some threaten the
    regulator: the model that sees the messages ranks the coming escalations far better than the same
    model on the intake features or the intake's emotion (measured on the newest fifth and by rolling-
    origin cross-validation)."""
    from kesu.workforce.risk_actions import risk_evaluate

    report = risk_evaluate(now=NOW)
    escalation = report["outcomes"]["escalation"]
    assert 0.05 < escalation["positives"] / escalation["n"] < 0.4  # a minority, as in a real centre
    assert escalation["roc_auc"] >= escalation["baseline_intake"]["roc_auc"] + 0.1
    assert escalation["roc_auc"] >= escalation["baseline_emotion"]["roc_auc"] + 0.1
    assert escalation["precision_at_5pct"] > escalation["baseline_intake"]["precision_at_5pct"]
    cv = report["cv"]["roc_auc"]["escalation"]
    assert cv["model"] >= cv["baseline_intake"] + 0.1


def test_the_features_of_a_moment_ignore_what_came_after_it():
    from datetime import timedelta

    from kesu.complaints.models import EventKind
    from kesu.workforce.risk_selectors import Timeline

    created = NOW
    line = Timeline([(created + timedelta(hours=2), EventKind.CUSTOMER_MESSAGE, 0, 40),
                     (created + timedelta(hours=30), EventKind.CUSTOMER_MESSAGE, 0, 90),
                     (created + timedelta(hours=40), EventKind.ESCALATED, 2, 0)],
                    threats=[created + timedelta(hours=30)])
    at = created + timedelta(hours=24)
    progress = line.progress(created, at)
    assert (progress.customer_messages, progress.anger_max, round(progress.hours_since_contact)) == (1, 40, 22)
    assert progress.escalation_level == 0
    assert line.escalated_after(at) and not line.escalated_after(created + timedelta(hours=41))


def test_an_angry_message_raises_the_score_and_the_desk_and_list_show_it(demo, client):
    from datetime import timedelta

    from kesu.complaints.models import Complaint, ComplaintEvent, EventKind, Status
    from kesu.core.roles import Role
    from kesu.workforce.risk_actions import risk_score, risk_train
    from tests.factories import make_user

    risk_train(now=NOW)
    complaint = (Complaint.objects.filter(status=Status.IN_PROGRESS, merged_into__isnull=True)
                 .exclude(events__kind=EventKind.CUSTOMER_MESSAGE).order_by("-created_at").first())
    before = RiskScore.objects.get(complaint=complaint).score
    for hours, text in ((1, "怎么还没有人联系我？已经等了很久了"), (2, "太过分了！一次次催都没人理，受够了！")):
        ComplaintEvent.objects.create(complaint=complaint, kind=EventKind.CUSTOMER_MESSAGE,
                                      at=NOW - timedelta(minutes=10 * hours), from_status=complaint.status,
                                      to_status=complaint.status, data={"text": text})
    risk_score(now=NOW, complaint_ids=[complaint.pk])
    after = RiskScore.objects.get(complaint=complaint)
    assert after.score > before
    assert any("客户" in text for text in after.reason_texts)  # worded, in Chinese by default

    client.force_login(make_user(Role.MANAGER, "risk-reader"))
    desk = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "risk-panel" in desk and f"风险 {after.percent} %" in desk
    assert after.reason_texts[0] in desk
    listing = client.get("/", {"q": complaint.number}).content.decode()
    assert f"风险 {after.percent} %" in listing


def test_open_complaints_show_when_they_are_likely_resolved_on_the_portal_and_the_desk(demo, client):
    from datetime import timedelta

    from kesu.complaints.models import Complaint, Status
    from kesu.core.roles import Role
    from kesu.portal.actions import tracking_link_create
    from kesu.workforce.predictions import expected_resolution, resolution_refresh
    from tests.factories import make_user

    resolution_refresh(now=NOW)  # the hourly job (and `kesu demo`)
    complaint = (Complaint.objects.filter(status=Status.IN_PROGRESS, merged_into__isnull=True)
                 .order_by("-created_at").first())
    expected = expected_resolution(complaint, now=NOW)
    assert expected is not None and expected.similar >= 20
    assert expected.at > complaint.created_at
    older = expected_resolution(complaint, now=NOW + timedelta(days=3))  # the longer it lasts, the later
    assert older is None or older.at >= expected.at
    closed = Complaint.objects.filter(status=Status.CLOSED).first()
    assert expected_resolution(closed, now=NOW) is None

    shown = expected.at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    portal = client.get(f"/portal/t/{tracking_link_create(complaint=complaint, now=NOW)}/").content.decode()
    assert "预计解决时间" in portal and shown in portal
    client.force_login(make_user(Role.MANAGER, "desk-reader"))
    desk = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "预计解决时间" in desk and shown in desk

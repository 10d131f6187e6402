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

"""The demo's operations data: the escalation-risk model trained on the demo history (so the desk, the
queues and the risk page show scores) and the stored arrivals forecast. Runs after the analytics demo
(its surveys are an outcome)."""

from __future__ import annotations

from datetime import datetime, timedelta


def demo_populate(*, seed: int, complaints: int, now: datetime) -> None:
    from kesu.core.errors import FieldError
    from kesu.workforce.actions import forecast_refresh
    from kesu.workforce.models import RiskModelVersion, StoredForecast
    from kesu.workforce.risk import FEATURES
    from kesu.workforce.risk_actions import risk_train

    active = RiskModelVersion.objects.filter(is_active=True).first()
    if active is None or active.params.get("features") != list(FEATURES):
        print("Operations: training the escalation-risk model …", flush=True)
        try:
            version = risk_train(now=now)
        except FieldError:
            print("  too little history for the risk model")
        else:
            escalation = version.metrics["outcomes"]["escalation"]
            print(
                f"  escalation: ROC AUC {escalation['roc_auc']}, precision in the top 5 % "
                f"{escalation['precision_at_5pct']} on the newest fifth"
            )
    from kesu.workforce.predictions import resolution_refresh
    from kesu.workforce.process_predictions import process_predictions_refresh

    print("Operations: resolution times and the process model's predictions …", flush=True)
    resolution_refresh(now=now)
    # the predictions a job would have made a fortnight ago, scored by today's run: the process page's score
    # (trained on fewer cases than the real job: it only gives the score a past)
    process_predictions_refresh(now=now - timedelta(days=14), seed=seed, replay=True, max_train_cases=1000)
    process_predictions_refresh(now=now, seed=seed)
    if not StoredForecast.objects.exists():
        print("Operations: the arrivals forecast …", flush=True)
        forecast_refresh(now=now)

"""A complaint's event re-scores its risk (a cheap job on the queue, after the event's transaction commits)."""

from __future__ import annotations

from django.db import transaction


def risk_on_event(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not created:
        return
    from kesu.workforce.models import RiskModelVersion
    from kesu.workforce.tasks import risk_rescore

    if not RiskModelVersion.objects.filter(is_active=True).exists():
        return
    complaint_id = instance.complaint_id
    transaction.on_commit(lambda: risk_rescore(complaint_id))

"""The SLA context of this process: the enabled policies, parsed once and cached.

Like the triage context: dropped in this process when a policy is saved (signals in apps.py), which
raises the version "sla" the other processes compare with (ADR 0015).
"""

from __future__ import annotations

import dataclasses
import logging
import threading

from kesu.core.configcache import config_version
from kesu.core.errors import FieldError
from kesu.sla.policies import Policy, policy_parse

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_cached: tuple[int, tuple[Policy, ...]] | None = None


def _build() -> tuple[Policy, ...]:
    from kesu.sla.models import SlaPolicy

    policies = []
    for row in SlaPolicy.objects.filter(enabled=True).select_related("calendar").order_by("position", "id"):
        try:
            policy = policy_parse(
                id=row.pk, name=row.name, conditions=row.conditions, targets=row.targets, levels=row.levels,
                warn_percent=row.warn_percent, specialist_after_minutes=row.specialist_after_minutes,
                remind_every_minutes=row.remind_every_minutes,
                calendar=row.calendar.name if row.calendar_id else None,
            )
            policies.append(dataclasses.replace(policy, titles=(row.title, row.title_en)))
        except FieldError as error:  # saved around the validation (e.g. by SQL): skip it, loudly
            logger.error("SLA policy %s is invalid and is skipped: %s", row.name, error)
    return tuple(policies)


def sla_policies() -> tuple[Policy, ...]:
    global _cached
    cached = _cached
    version = config_version("sla")
    if cached is None or cached[0] != version:
        cached = (version, _build())
        with _lock:
            _cached = cached
    return cached[1]


def sla_context_reset(**_kwargs) -> None:
    global _cached
    with _lock:
        _cached = None

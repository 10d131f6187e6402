"""The triage context of this process: configuration rows and the active model, cached.

Rows change rarely (the management layer edits them); the cache is dropped in this process when
one is saved (signals in apps.py), which also raises the version "triage" that the other processes
compare with (``kesu.core.configcache``, ADR 0015).
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from kesu.complaints.models import Category
from kesu.core.configcache import config_version
from kesu.triage.engine import TriageContext
from kesu.triage.keywords import KeywordMatcher, KeywordRule
from kesu.triage.models import Keyword, ModelKind, ModelVersion, PriorityRule, TriageSettings
from kesu.triage.severity import MatrixCell

_lock = threading.Lock()
_cached: tuple[int, TriageContext, dict[str, Category]] | None = None
_models: dict[tuple[str, int, str], object] = {}


def models_dir(kind: str = ModelKind.CATEGORY) -> Path:
    return Path(settings.KESU_DATA_DIR) / "models" / kind


def model_load(version: ModelVersion):
    """The model of ``version`` (a CategoryModel or an AngerModel), loaded once per process."""
    from kesu.triage.anger import AngerModel
    from kesu.triage.classifier import CategoryModel

    directory = Path(settings.KESU_DATA_DIR) / version.directory
    key = (version.kind, version.version, str(directory))
    if key not in _models:
        loader = AngerModel if version.kind == ModelKind.ANGER else CategoryModel
        _models[key] = loader.load(directory)
    return _models[key]


def triage_settings() -> TriageSettings:
    return TriageSettings.objects.get_or_create(pk=1)[0]


def _build() -> tuple[TriageContext, dict[str, Category]]:
    config = triage_settings()
    categories = list(Category.objects.select_related("parent").filter(is_active=True))
    codes = {c.pk: c.code for c in categories}
    rules = [
        KeywordRule(tag=k.tag, words=tuple(k.words), category=codes.get(k.category_id, ""))
        for k in Keyword.objects.filter(is_active=True)
    ]
    matrix = tuple(
        MatrixCell(category=codes.get(r.category_id, "") if r.category_id else "", tier=r.tier, severity=r.severity,
                   priority=r.priority)
        for r in PriorityRule.objects.all()
    )
    active = ModelVersion.objects.filter(kind=ModelKind.CATEGORY, is_active=True).first()
    anger = ModelVersion.objects.filter(kind=ModelKind.ANGER, is_active=True).first()
    context = TriageContext(
        keywords=KeywordMatcher(rules),
        matrix=matrix,
        required_fields={c.code: list(c.required_fields) for c in categories if c.required_fields},
        parents={c.code: c.parent.code for c in categories if c.parent_id},
        known_categories=frozenset(codes.values()),
        emotion_threshold=config.emotion_threshold,
        repeat_window_days=config.repeat_window_days,
        repeat_similarity=config.repeat_similarity,
        category_min_confidence=config.category_min_confidence,
        model=model_load(active) if active else None,
        model_version=str(active.version) if active else "",
        anger_model=model_load(anger) if anger else None,
        anger_model_version=str(anger.version) if anger else "",
    )
    return context, {c.code: c for c in categories}


def _current() -> tuple[int, TriageContext, dict[str, Category]]:
    """The cached context, rebuilt when the version "triage" moved (ADR 0015). Built outside the lock: building saves the
    settings row when it is missing, and its post_save signal resets this very cache."""
    global _cached
    cached = _cached
    version = config_version("triage")
    if cached is None or cached[0] != version:
        cached = (version, *_build())
        with _lock:
            _cached = cached
    return cached


def triage_context() -> TriageContext:
    return _current()[1]


def triage_categories() -> dict[str, Category]:
    """The active categories by code, as of the cached context."""
    return _current()[2]


def triage_context_reset(**_kwargs) -> None:
    global _cached
    with _lock:
        _cached = None

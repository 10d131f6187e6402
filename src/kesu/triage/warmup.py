"""Pay triage's start-up costs when a process starts, not in its first request."""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)


def triage_warm() -> None:
    """Initialise jieba's dictionary and load the triage context (rows and the active model)."""
    from kesu.triage.context import triage_context
    from kesu.triage.text import jieba_warm

    started = time.perf_counter()
    jieba_seconds = jieba_warm()
    try:
        triage_context()
    except Exception:  # an unmigrated database: the first triage will load it
        logger.warning("triage context not loaded at start (is the database migrated?)")
    logger.info("triage warm in %.2f s (jieba %.2f s)", time.perf_counter() - started, jieba_seconds)

"""Send analytics reads to the read replica (``DATABASE_REPLICA_URL``); writes never go there.

Installed only when a replica is configured (config/settings.py). The analytics app's own tables
(rollups, targets) are read from the replica; everything else, and every write, stays on
``default``. A replica lags its primary by its replication delay, on top of the rollups' own minute.
"""

from __future__ import annotations

REPLICA = "replica"
APP_LABEL = "analytics"


class AnalyticsReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if model._meta.app_label == APP_LABEL else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

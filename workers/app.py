"""The Celery app, configured from the settings (configs/*.toml and CONTRACT_FLOW_* variables).

Tasks that must not be lost (Celery docs, "Should I use retry or acks_late?" and the Redis transport's
"Visibility timeout"): late acknowledgement, reject on worker lost, one prefetched task per process, a
visibility timeout after which Redis hands a dead worker's task to another. The database ledger stays the
source of truth: a task lost anyway leaves its rows `sending`, and the next sweep re-queues them after the claim
timeout.

Production: Redis is the broker and holds RedBeat's lock, so exactly one beat runs. The embedded default needs
no server: kombu's filesystem transport under `<data_dir>/broker` and the standard beat scheduler.
"""

from __future__ import annotations

from celery import Celery

from contract_flow.adapters.queue import IMPORT_CASES, PUSH_TDB, RUN_RETENTION, SEND, SWEEP, celery_config
from contract_flow.settings import Settings, get_settings

__all__ = ["IMPORT_CASES", "PUSH_TDB", "RUN_RETENTION", "SEND", "SWEEP", "celery_app", "celery_config",
           "make_celery"]


def make_celery(settings: Settings | None = None) -> Celery:
    app = Celery("contract_flow", include=["workers.tasks"])
    app.conf.update(celery_config(settings or get_settings()))
    return app


celery_app = make_celery()

"""The baseline of `bench/reminders.py` part (b): a bare no-op Celery task, run by `celery -A bench._support worker`.

Its Celery app is configured exactly as the reminder worker's: `workers.app.celery_config` of the settings read
from the same CONTRACT_FLOW_* variables (same Redis broker, late ack, reject on worker lost, prefetch 1). The task
does nothing but count itself in Redis, so that the bench can tell when the last one has run.
"""

from __future__ import annotations

from typing import Any

import redis
from celery import Celery

from contract_flow.settings import get_settings
from workers.app import celery_config

NOOP = "contract_flow.bench.noop"
#: INCR'd by every no-op task; the bench sets it to 0 before a round and polls it.
COUNTER = "contract-flow:bench:noop-count"

_client: redis.Redis | None = None


def _redis(url: str) -> redis.Redis:
    """One client per worker process, made after the fork (a connection must not cross it)."""
    global _client  # noqa: PLW0603 (one client per pool process, like workers.tasks' App)
    if _client is None:
        _client = redis.Redis.from_url(url)
    return _client


def make_noop_celery() -> Celery:
    settings = get_settings()
    noop_app = Celery("contract_flow_bench")
    noop_app.conf.update(celery_config(settings))

    @noop_app.task(name=NOOP, ignore_result=True)
    def noop() -> None:
        _redis(settings.broker_url).incr(COUNTER)

    return noop_app


def __getattr__(name: str) -> Any:
    """`app`, for `celery -A bench._support`, built on first use: the bench imports this module for its
    constants, and must not read settings (nor build a Celery app) from its own environment."""
    if name == "app":
        built = globals()["app"] = make_noop_celery()
        return built
    raise AttributeError(name)

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

from pathlib import Path
from typing import Any

from celery import Celery

from contract_flow.settings import Settings, get_settings

SWEEP = "contract_flow.sweep_reminders"
SEND = "contract_flow.send_reminders"


def celery_config(settings: Settings) -> dict[str, Any]:
    config: dict[str, Any] = {
        "broker_url": settings.broker_url,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_ignore_result": True,
        "task_serializer": "json",
        "accept_content": ["json"],
        "timezone": "Europe/Paris",
        "enable_utc": True,
        "broker_connection_retry_on_startup": True,
        "worker_hijack_root_logger": False,
        "beat_schedule": {
            "sweep-due-reminders": {"task": SWEEP, "schedule": settings.sweep_interval_seconds},
        },
    }
    if settings.broker_url.startswith("filesystem://"):
        folder = Path(settings.broker_dir).resolve()
        for sub in ("queue", "processed"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        config["broker_transport_options"] = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            "store_processed": False,
            # Without it a prefetch-1 worker polls once a second (about 2 tasks/s).
            "polling_interval": 0.05,
        }
        config["beat_schedule_filename"] = str(folder / "beat-schedule")
    else:
        config["broker_transport_options"] = {
            "visibility_timeout": settings.broker_visibility_timeout_seconds,
        }
    if settings.redis_url:
        config.update({
            "beat_scheduler": "redbeat.RedBeatScheduler",
            "redbeat_redis_url": settings.redis_url,
            "redbeat_key_prefix": "contract-flow:beat",
            # RedBeat's default lock lasts 25 minutes: a standby beat would wait that long after the leader died.
            "redbeat_lock_timeout": settings.beat_lock_timeout_seconds,
            "beat_max_loop_interval": max(1, settings.beat_lock_timeout_seconds // 5),
        })
    return config


def make_celery(settings: Settings | None = None) -> Celery:
    app = Celery("contract_flow", include=["workers.tasks"])
    app.conf.update(celery_config(settings or get_settings()))
    return app


celery_app = make_celery()

"""The task queue as the application sends to it: the Celery configuration shared by the workers (workers/app.py)
and by the entrypoints that hand work to them (an import job), and `enqueue_import`.

Tasks that must not be lost (Celery docs, "Should I use retry or acks_late?" and the Redis transport's
"Visibility timeout"): late acknowledgement, reject on worker lost, one prefetched task per process, a
visibility timeout after which Redis hands a dead worker's task to another.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import Celery
from celery.schedules import crontab

from contract_flow.settings import Settings

SWEEP = "contract_flow.sweep_reminders"
SEND = "contract_flow.send_reminders"
#: An import job (services.importer.run_job), by its id.
IMPORT_CASES = "contract_flow.import_cases"
#: The daily retention job (services.retention.run_retention): the cases whose retention period is over, anonymised.
RUN_RETENTION = "contract_flow.run_retention"
#: The monthly push of each CFA's learners to the Tableau de bord (services.tdb.push_due).
PUSH_TDB = "contract_flow.push_tdb"


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
            # once a day at night (Paris), when nobody works on the cases
            "anonymise-what-is-due": {"task": RUN_RETENTION, "schedule": crontab(hour=3, minute=30)},
            # the Tableau de bord's monthly push: hourly in the day within its window (the 1st to the 5th by default);
            # the ledger's claim of the CFA's month makes it one push, whichever beat, worker or hour runs it first
            "push-the-tdb-feed": {"task": PUSH_TDB, "schedule": crontab(
                minute=20, hour="7-19", day_of_month=f"{settings.tdb_push_first_day}-{settings.tdb_push_last_day}")},
        },
    }
    if settings.broker_url.startswith("filesystem://"):
        folder = Path(settings.broker_dir).resolve()
        for sub in ("queue", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        config["broker_transport_options"] = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            # the broadcast (pidbox) exchanges: kombu's default is "control" in the current directory
            "control_folder": str(folder / "control"),
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


_SENDERS: dict[tuple[str, str, str | None], Celery] = {}


def _sender(settings: Settings) -> Celery:
    """A Celery app that only sends (the workers' is workers.app.celery_app), one per broker per process."""
    key = (settings.broker_url, str(settings.broker_dir), settings.redis_url)
    if key not in _SENDERS:
        sender = Celery("contract_flow", set_as_current=False)
        sender.conf.update(celery_config(settings))
        _SENDERS[key] = sender
    return _SENDERS[key]


def enqueue_import(settings: Settings, job_id: int) -> None:
    """Hand import job `job_id` to the workers (after the commit that recorded it)."""
    _sender(settings).send_task(IMPORT_CASES, args=[job_id])

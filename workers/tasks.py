"""Thin tasks: they take ids, call the use cases (reminders, import jobs), and are safe to run twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from celery.signals import worker_process_init, worker_process_shutdown

from contract_flow.bootstrap import App, bootstrap
from contract_flow.services import importer, reminders, retention, tdb
from workers.app import IMPORT_CASES, PUSH_TDB, RUN_RETENTION, SEND, SWEEP, celery_app

_services: App | None = None


def services() -> App:
    """The use cases' App, built in the process that uses it (engines must not cross a fork)."""
    global _services  # noqa: PLW0603 (one composition root per worker process, built after the fork)
    if _services is None:
        _services = bootstrap()
    return _services


@worker_process_init.connect
def _fresh_after_fork(**_: Any) -> None:
    global _services  # noqa: PLW0603
    _services = None


@worker_process_shutdown.connect
def _close(**_: Any) -> None:
    if _services is not None:
        _services.close()


@celery_app.task(name=SWEEP, ignore_result=True)
def sweep_reminders() -> int:
    """Claim what is due and queue its sends once the claim is committed."""
    swept = reminders.sweep(services(), enqueue=send_reminders.delay)
    return len(swept.ids)


@celery_app.task(name=SEND, ignore_result=True)
def send_reminders(ids: list[int], token: str, now: str | None = None) -> int:
    """Deliver a batch of rows claimed under `token`; rows no longer under that claim are skipped, so a task
    delivered twice, or after its claim was released, sends nothing twice. `now` (ISO, aware) is the moment they
    are sent as, for a sweep run at a moment of its own (a test that lives a contract's three years through a
    worker); without it, the worker's clock, as the beat's sweeps hand them."""
    moment = datetime.fromisoformat(now) if now is not None else None
    report = reminders.send(services(), ids, token, moment)
    return len(report.sent)


@celery_app.task(name=IMPORT_CASES, ignore_result=True)
def import_cases(job_id: int) -> int:
    """Run import job `job_id` (services.importer.run_job). Delivered again after a worker died (late
    acknowledgement), it resumes after the rows it had recorded; a job done is not run again."""
    view = importer.run_job(services(), job_id)
    return view.processed


@celery_app.task(name=RUN_RETENTION, ignore_result=True)
def run_retention() -> int:
    """The daily job: anonymise the cases whose retention period is over (services.retention.run_retention), each
    in its own transaction and logged as done by the beat; run twice, a case already anonymised is not again."""
    run = retention.run_retention(services(), by=retention.BEAT)
    return len(run.anonymised)


@celery_app.task(name=PUSH_TDB, ignore_result=True)
def push_tdb() -> int:
    """The Tableau de bord's monthly push (services.tdb.push_due): each CFA with a key, once a month, its month
    claimed in the ledger first; run again (another beat, a redelivery, the next hour), it finds the month taken."""
    return len(tdb.push_due(services()))

"""Reminders through real Redis, real Celery worker and beat processes and a real SMTP server.

Every reminder must arrive exactly once, counted by Message-ID (derived from its idempotency key), even when
the worker is killed with `kill -9` in the middle of a run, when Redis restarts (losing every queued task), and
when two beats run at once.
"""

from __future__ import annotations

import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import tomli_w

from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.bootstrap import bootstrap
from contract_flow.configfiles import PACKAGED_DIR
from contract_flow.domain.reminders import PlannedReminder, ReminderKind
from contract_flow.messages import message_id_for
from contract_flow.services.reminders import ledger, sweep
from contract_flow.settings import Settings
from tests.support.cases import open_candidate
from tests.support.processes import Process
from tests.support.servers import RedisServer
from tests.support.smtp_sink import SmtpSink
from workers.app import SEND, make_celery

CLAIM_TIMEOUT = 5  # seconds: a dead worker's claims are queued again this soon in these tests
CONCURRENCY = 2  # pool processes of each `contract-flow worker` started here


@pytest.fixture
def reminders_file(tmp_path: Path) -> Path:
    """The shipped policies, with no quiet hours (these tests run at any hour) and short claim timeouts."""
    data = tomllib.loads((PACKAGED_DIR / "reminders.toml").read_text())
    data["quiet_hours"] = {"start": "00:00", "end": "00:00"}
    data["delivery"]["claim_timeout_seconds"] = CLAIM_TIMEOUT
    data["delivery"]["send_batch"] = 50
    path = tmp_path / "reminders.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    return path


class Rig:
    """A database, a broker, an SMTP sink, and the env a worker or beat process needs to use them."""

    def __init__(self, database_url: str, redis_url: str, sink: SmtpSink, reminders_file: Path, logs: Path) -> None:
        self.sink = sink
        self.logs = logs
        self.processes: list[Process] = []
        self.env = {
            "CONTRACT_FLOW_ENVIRONMENT": "test",
            "CONTRACT_FLOW_DATABASE_URL": database_url,
            "CONTRACT_FLOW_BROKER_URL": redis_url,
            "CONTRACT_FLOW_REDIS_URL": redis_url,
            "CONTRACT_FLOW_SMTP_HOST": "127.0.0.1",
            "CONTRACT_FLOW_SMTP_PORT": str(sink.port),
            "CONTRACT_FLOW_REMINDERS_FILE": str(reminders_file),
            "CONTRACT_FLOW_BROKER_VISIBILITY_TIMEOUT_SECONDS": "10",
            "CONTRACT_FLOW_SWEEP_INTERVAL_SECONDS": "1",
            "CONTRACT_FLOW_BEAT_LOCK_TIMEOUT_SECONDS": "10",
        }
        settings = Settings(environment="test", database_url=database_url, broker_url=redis_url,
                            redis_url=redis_url, reminders_file=reminders_file, smtp_port=sink.port)
        self.app = bootstrap(settings)
        self.app.mailer = SmtpMailer("127.0.0.1", sink.port)
        self.celery = make_celery(settings)

    def process(self, name: str, *args: str) -> Process:
        process = Process(list(args), self.env, self.logs / f"{name}.log")
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        """However a test ends, no worker or beat outlives it."""
        for process in self.processes:
            process.stop()

    def worker(self, name: str = "worker") -> Process:
        process = self.process(name, "worker", "--concurrency", str(CONCURRENCY), "--loglevel", "INFO").start()
        process.wait_for_log("ready.")
        return process

    def enqueue(self, ids: list[int], token: str) -> None:
        self.celery.send_task(SEND, args=[ids, token])

    def sweep(self) -> int:
        return len(sweep(self.app, enqueue=self.enqueue).ids)

    def seed(self, count: int) -> tuple[int, set[str]]:
        """`count` email reminders, due a minute ago, for one case; returns the case and their Message-IDs."""
        case_id = open_candidate(self.app)
        now = datetime.now(UTC)
        items = [PlannedReminder(
            key=f"{case_id}/load/{index}", case_id=case_id, kind=ReminderKind.SEARCH_STALE,
            recipient_role="apprentice", recipient=f"apprenti{index}@example.org", channel="email",
            due_at=now - timedelta(minutes=1),
            payload={"case_id": str(case_id), "candidate": "Léa Martin", "role": "apprentice",
                     "since": "2026-03-02", "step": "apply"},
        ) for index in range(count)]
        with self.app.uow() as uow:
            uow.ledger.apply_plan(case_id, items, now)
            uow.commit()
        domain = self.app.settings.message_id_domain
        return case_id, {message_id_for(item.key, domain) for item in items}

    def deliver_all(self, expected: set[str], timeout: float, tick: Callable[[], None] | None = None) -> None:
        """Sweep every second (as the beat would) until every expected Message-ID has arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if expected <= set(self.sink.message_ids()):
                return
            if tick is not None:
                tick()
            self.sweep()
            time.sleep(1)
        missing = expected - set(self.sink.message_ids())
        raise AssertionError(f"{len(missing)} of {len(expected)} reminders never arrived\n{self.logs_tail()}")

    def logs_tail(self, size: int = 4000) -> str:
        """The end of each worker's and beat's log: what a failure needs to be understood from CI's output."""
        return "\n".join(f"--- {process.log.name}:\n{process.log.read_text(errors='replace')[-size:]}"
                         for process in self.processes if process.log.exists())


@pytest.fixture
def rig(database_url: str, private_redis: RedisServer, reminders_file: Path, tmp_path: Path) -> Iterator[Rig]:
    with SmtpSink() as sink:
        built = Rig(database_url, private_redis.url, sink, reminders_file, tmp_path)
        try:
            yield built
        finally:
            built.stop_all()
            built.app.close()


def duplicates(sink: SmtpSink) -> int:
    return sum(count - 1 for count in Counter(sink.message_ids()).values())


def repeatable(rig: Rig) -> int:
    """What a crash may send again: the emails the SMTP server accepted whose `sent` marks were still waiting to
    be committed (`delivery.mark_sent_every` at most), per worker process in the middle of a batch. They go out
    again with the same Message-ID, so a mail client shows each once."""
    return rig.app.policies.mark_sent_every * CONCURRENCY


def test_a_worker_delivers_every_due_reminder_once(rig: Rig, people: object) -> None:
    case_id, expected = rig.seed(200)
    with rig.worker():
        assert rig.sweep() == 200
        rig.deliver_all(expected, timeout=60)
    assert duplicates(rig.sink) == 0
    assert {row.status for row in ledger(rig.app, case_id) if "/load/" in row.key} == {"sent"}


def test_kill_9_of_the_worker_mid_run_loses_nothing_and_repeats_at_most_what_was_in_flight(
        rig: Rig, people: object) -> None:
    case_id, expected = rig.seed(2000)
    first = rig.worker("first")
    rig.sweep()
    rig.sink.wait_for(300, timeout=60)
    first.kill()
    delivered_before_crash = len(set(rig.sink.message_ids()))
    assert delivered_before_crash < 2000, "the worker finished before it could be killed: seed more"
    with rig.worker("second"):
        rig.deliver_all(expected, timeout=180)
    assert set(rig.sink.message_ids()) == expected
    # Messages the SMTP server accepted before the kill, whose `sent` marks were not committed yet, go out again
    # with the same Message-ID: at most a group of marks per worker process.
    assert duplicates(rig.sink) <= repeatable(rig)
    assert {row.status for row in ledger(rig.app, case_id) if "/load/" in row.key} == {"sent"}


def test_a_redis_restart_mid_run_loses_no_reminder(rig: Rig, people: object, private_redis: RedisServer) -> None:
    case_id, expected = rig.seed(1000)
    with rig.worker():
        rig.sweep()
        rig.sink.wait_for(100, timeout=60)
        private_redis.restart()  # every queued task is gone: Redis keeps nothing on disk here
        rig.deliver_all(expected, timeout=180)
    assert set(rig.sink.message_ids()) == expected
    # The queued tasks are lost, not the claims: their rows are queued again after the claim timeout. Running
    # tasks go on; at worst, as after a crash, a group of marks per worker process is sent again.
    assert duplicates(rig.sink) <= repeatable(rig)
    assert {row.status for row in ledger(rig.app, case_id) if "/load/" in row.key} == {"sent"}


def test_two_beats_started_at_once_send_no_duplicate(rig: Rig, people: object) -> None:
    case_id, expected = rig.seed(500)
    beats = [rig.process(f"beat{n}", "beat", "--loglevel", "DEBUG") for n in (1, 2)]
    for beat in beats:
        beat.start()
    try:
        with rig.worker():
            deadline = time.monotonic() + 120
            while not expected <= set(rig.sink.message_ids()) and time.monotonic() < deadline:
                time.sleep(0.5)
        # Read while both run: once the leader stops and releases the lock, the other takes it (as it should).
        holders = [beat for beat in beats if "beat: Acquired lock" in beat.log.read_text()]
    finally:
        for beat in beats:
            beat.stop()
    assert set(rig.sink.message_ids()) == expected
    assert duplicates(rig.sink) == 0
    assert len(holders) == 1, "exactly one beat holds the Redis lock"
    assert {row.status for row in ledger(rig.app, case_id) if "/load/" in row.key} == {"sent"}

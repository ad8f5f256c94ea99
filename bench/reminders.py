"""Reminder sweep and delivery (issue 4 item 8), each beside a baseline measured in the same run.

(a) Sweep. A database holding 1,000,000 reminder rows, 10,000 of them due (planned, due_at <= now), the rest
planned in the future, sent or cancelled, all of one case (the foreign key needs a real one: a programme and a
case are made with the services, in a database migrated with `schema.upgrade`; the bulk rows are then written by
one `INSERT ... SELECT` from a recursive CTE on SQLite, from `generate_series` on PostgreSQL). Two identical copies:
on one, `services.reminders.sweep(app, now, enqueue=...)` claims the due rows and hands their ids to an enqueue
that collects the (ids, token) batches in a list (the database claim is what is compared; part (b) enqueues to
Redis); on the other, raw SQL in one transaction: one indexed range scan `SELECT id ... WHERE status = 'planned'
AND due_at <= ? ORDER BY due_at LIMIT 10000` (`FOR UPDATE SKIP LOCKED` on PostgreSQL), then one UPDATE of those
ids to `sending` with a claim token and time. Both must claim the same 10,000 ids. (The service's sweep also
releases stale claims first, an indexed UPDATE that finds none here.) The reminders file sets `delivery.sweep_batch`
to 10,000, so one sweep claims them all.
After an untimed warm-up claim on each side (first statements, the policies file read), 5 timed rounds, the side
going first alternating; between rounds both copies are put back as they were (the claimed rows `planned`
again), untimed. Printed: each side's median time and `sweep ratio=<raw time / service time>`, the median of the
rounds' ratios (1.0: the service claims as fast as raw SQL). SQLite (a WAL file, the embedded default) always;
PostgreSQL too when there is one: then the `sweep ratio=` line gives the lower of the two.

(b) Delivery. 5,000 due email reminders end to end: `sweep(...)` claims them and enqueues one send task per
`send_batch` ids (the shipped 100) on a real Redis broker; a real `contract-flow worker --concurrency 2` process
(started as the integration tests start it, with env vars pointing at the bench database, Redis and the SMTP sink's
port, no quiet hours) delivers them into a real SMTP server (tests.support.smtp_sink, aiosmtpd in this process,
which keeps each message's bytes and reads only its Message-ID on arrival; nothing is parsed). The worker commits
its `sent` marks `delivery.mark_sent_every` at a time (the shipped 10), as in production. Timed from the start of
the sweep until the sink holds the 5,000 expected Message-IDs. Baseline: a bare no-op Celery task
(bench/_support.py: it only INCRs a Redis counter), run by a `celery -A bench._support worker` with the same Celery
configuration (`workers.app.celery_config` of the same settings: late ack, prefetch 1), the same concurrency, log
level and flags, on the same broker; 5,000 tasks, one per message, timed from the first send until the counter
reaches 5,000. One worker runs at a time (both use the default queue). Each worker first gets an untimed warm-up
(400 reminders; 200 no-op tasks), so that imports, connections and templates are not counted. 2 rounds by default,
the side going first alternating. Printed: delivered/s, bare tasks/s, and last `ratio=<delivered per s / bare tasks
per s>` over all rounds. Target: ratio >= 1.0. The database is PostgreSQL when one is available (see below), else
the embedded SQLite file. Beside each run, the CPU time each party spent per message (the worker with its pool
processes, read from /proc; this process, which runs the SMTP sink's thread, the sweep and the producer; Redis, from
INFO; not PostgreSQL's): all share the machine's cores, so this tells where the time goes when the ratio falls
short.

Servers: `make bench` runs this under `python -m tests.support.servers`, which sets
CONTRACT_FLOW_TEST_POSTGRES_URL and CONTRACT_FLOW_TEST_REDIS_URL: then those are used (databases are created on
that PostgreSQL and dropped at the end). Run on its own, the bench starts a throwaway Redis (and, with
`--postgres start`, a PostgreSQL) with tests.support.servers in a temporary directory; never the machine's own
servers. Everything (workers, servers, databases, the temporary directory) is stopped and removed at the end,
also on an error, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Self

import psycopg
import redis
import tomli_w

# tests.support (the throwaway servers, the SMTP sink) and bench._support live in the checkout, not in the
# installed package: make the checkout importable when run as `python bench/reminders.py`.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import Postgres, run  # noqa: E402
from bench._support import COUNTER, NOOP  # noqa: E402
from contract_flow.adapters.clock import FixedClock  # noqa: E402
from contract_flow.bootstrap import App, bootstrap  # noqa: E402
from contract_flow.configfiles import PACKAGED_DIR  # noqa: E402
from contract_flow.domain.case import Track  # noqa: E402
from contract_flow.domain.reminders import PlannedReminder, ReminderKind  # noqa: E402
from contract_flow.messages import message_id_for  # noqa: E402
from contract_flow.services.cases import OpenCase, open_case  # noqa: E402
from contract_flow.services.directory import add_programme  # noqa: E402
from contract_flow.services.reminders import due, sweep  # noqa: E402
from contract_flow.services.schema import upgrade  # noqa: E402
from contract_flow.settings import Settings  # noqa: E402
from tests.support.processes import CONTRACT_FLOW, Process  # noqa: E402
from tests.support.servers import ENV_POSTGRES_URL, ENV_REDIS_URL, libpq_dsn, start_postgres, start_redis  # noqa: E402
from tests.support.smtp_sink import SmtpSink  # noqa: E402
from workers.app import SEND, make_celery  # noqa: E402

#: Part (a)'s "now": a fixed moment, so that the generated rows are due or not whatever the day.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: SQLAlchemy's storage format of a datetime on SQLite (naive UTC, microseconds always written): raw SQL must
#: compare the same strings.
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"
CELERY = str(Path(sys.executable).parent / "celery")
#: What `contract-flow worker` passes to Celery besides concurrency and log level (cli/reminders.py).
WORKER_FLAGS = ["--without-gossip", "--without-mingle"]


# --------------------------------------------------------------------------- shared


def reminders_file(folder: Path, send_batch: int, sweep_batch: int) -> Path:
    """The shipped policies, with no quiet hours (the bench runs at any hour) and the batches asked for."""
    data = tomllib.loads((PACKAGED_DIR / "reminders.toml").read_text())
    data["quiet_hours"] = {"start": "00:00", "end": "00:00"}
    data["delivery"]["sweep_batch"] = sweep_batch
    data["delivery"]["send_batch"] = send_batch
    path = folder / "reminders.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    return path


def open_bench_case(app: App) -> int:
    """One programme and one case, through the services: every generated row belongs to this case."""
    add_programme(app, "bench", name="Bench programme", start_date=date(2026, 9, 1), years=3, seats=40)
    return open_case(app, OpenCase("bench", "Léa", "Martin", date(2004, 5, 12), "lea.martin@example.org",
                                   Track.EXCELLENCE))


# --------------------------------------------------------------------------- (a) sweep

#: The generated rows, by their number i (1..n): i % 100 == 1 is due (a minute apart, the newest a minute
#: before now), 2..49 planned in the future, 50..74 sent in the past, the rest cancelled (past or future).
#: Interleaved, so that the due rows are spread over the table as they would be after months of use.
_STATUS = ("CASE WHEN i % 100 = 1 THEN 'planned' WHEN i % 100 < 50 THEN 'planned' WHEN i % 100 < 75 THEN 'sent' "
           "ELSE 'cancelled' END")
_OFFSET = ("CASE WHEN i % 100 = 1 THEN -60 * (i / 100 + 1) WHEN i % 100 < 50 THEN i WHEN i % 100 < 75 THEN -i "
           "ELSE i - 500000 END")
_COLUMNS = ("idempotency_key, case_id, kind, recipient_role, recipient, channel, due_at, status, attempts, payload, "
            "created_at, sent_at, message_id")
PAYLOAD = '{"case_id": "1", "candidate": "L\\u00e9a Martin", "role": "apprentice", "since": "2026-02-01", ' \
          '"step": "apply"}'

SQLITE_FILL = f"""
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < :n)
INSERT INTO reminder ({_COLUMNS})
SELECT 'bench/' || i, :case_id, 'search_stale', 'apprentice', 'apprenti' || i || '@example.org', 'email', at,
       status, status = 'sent', :payload, :created, CASE WHEN status = 'sent' THEN at END,
       CASE WHEN status = 'sent' THEN '<bench-' || i || '@example.org>' END
FROM (SELECT i, status, strftime('%Y-%m-%d %H:%M:%S', :now, printf('%+d seconds', off)) || '.000000' AS at
      FROM (SELECT i, {_STATUS} AS status, {_OFFSET} AS off FROM seq))
"""

POSTGRES_FILL = f"""
INSERT INTO reminder ({_COLUMNS})
SELECT 'bench/' || i, %(case_id)s, 'search_stale', 'apprentice', 'apprenti' || i || '@example.org', 'email', at,
       status, (status = 'sent')::int, %(payload)s::json, %(created)s, CASE WHEN status = 'sent' THEN at END,
       CASE WHEN status = 'sent' THEN '<bench-' || i || '@example.org>' END
FROM (SELECT i, status, %(now)s + make_interval(secs => off) AS at
      FROM (SELECT i, {_STATUS.replace("%", "%%")} AS status, {_OFFSET.replace("%", "%%")} AS off
            FROM generate_series(1, %(n)s) AS i) AS numbered)
     AS timed
"""

PICK = "SELECT id FROM reminder WHERE status = 'planned' AND due_at <= {p} ORDER BY due_at LIMIT {p}"
RESET = "UPDATE reminder SET status = 'planned', claim_token = NULL, claimed_at = NULL WHERE status = 'sending'"

#: One claim: (seconds, ids claimed).
Claim = Callable[[], tuple[float, list[int]]]


def service_claim(app: App, expected_batch: int) -> Claim:
    def claim() -> tuple[float, list[int]]:
        batches: list[tuple[list[int], str]] = []
        started = time.perf_counter()
        swept = sweep(app, NOW, enqueue=lambda ids, token: batches.append((ids, token)))
        elapsed = time.perf_counter() - started
        if [i for ids, _ in batches for i in ids] != swept.ids or any(len(ids) > expected_batch for ids, _ in batches):
            raise AssertionError("the sweep did not hand over its claim in send_batch batches")
        return elapsed, swept.ids

    return claim


def raw_sqlite_claim(connection: sqlite3.Connection, limit: int) -> Claim:
    at = NOW.replace(tzinfo=None).strftime(SQLITE_TIME)

    def claim() -> tuple[float, list[int]]:
        token = uuid.uuid4().hex
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")  # the write lock first, as the service's unit of work takes it
        ids = [row[0] for row in connection.execute(PICK.format(p="?"), (at, limit))]
        connection.execute(f"UPDATE reminder SET status = 'sending', claim_token = ?, claimed_at = ? "
                           f"WHERE id IN ({','.join('?' * len(ids))})", (token, at, *ids))
        connection.execute("COMMIT")
        return time.perf_counter() - started, ids

    return claim


def raw_postgres_claim(connection: psycopg.Connection, limit: int) -> Claim:
    def claim() -> tuple[float, list[int]]:
        token = uuid.uuid4().hex
        started = time.perf_counter()
        with connection.transaction():
            ids = [row[0] for row in connection.execute(
                PICK.format(p="%s") + " FOR UPDATE SKIP LOCKED", (NOW, limit))]
            connection.execute("UPDATE reminder SET status = 'sending', claim_token = %s, claimed_at = %s "
                               "WHERE id = ANY(%s)", (token, NOW, ids))
        return time.perf_counter() - started, ids

    return claim


@dataclass
class SweepResult:
    database: str
    service: list[float]
    raw: list[float]
    claimed: int

    @property
    def ratio(self) -> float:
        return statistics.median(r / s for r, s in zip(self.raw, self.service, strict=True))

    def report(self) -> None:
        service, raw = statistics.median(self.service), statistics.median(self.raw)
        print(f"  {self.database}: service sweep {service * 1000:.0f} ms, raw SQL claim {raw * 1000:.0f} ms "
              f"(medians of {len(self.service)} rounds, {self.claimed:,} ids each, the same on both sides); "
              f"raw/service {self.ratio:.3f} (rounds {min(self.rounds):.3f} to {max(self.rounds):.3f})")

    @property
    def rounds(self) -> list[float]:
        return [r / s for r, s in zip(self.raw, self.service, strict=True)]


def measure_claims(database: str, service: Claim, raw: Claim, reset: Callable[[], None], *, due_count: int,
                   rounds: int) -> SweepResult:
    """Warm-up, then `rounds` timed claims per side, alternating which goes first; both put back after each."""
    result = SweepResult(database, [], [], due_count)
    for r in range(-1, rounds):  # round -1: the untimed warm-up
        first, second = (service, raw) if r % 2 == 0 else (raw, service)
        (t1, ids1), (t2, ids2) = first(), second()
        (service_time, service_ids), (raw_time, raw_ids) = ((t1, ids1), (t2, ids2)) if first is service \
            else ((t2, ids2), (t1, ids1))
        if sorted(service_ids) != sorted(raw_ids) or len(set(service_ids)) != due_count:
            raise AssertionError(f"{database}: the service claimed {len(service_ids)} ids, raw SQL {len(raw_ids)}, "
                                 f"{len(set(service_ids) ^ set(raw_ids))} not in both; {due_count} are due")
        reset()
        if r >= 0:
            result.service.append(service_time)
            result.raw.append(raw_time)
    return result


def sweep_on_sqlite(folder: Path, reminders: Path, *, rows: int, due_count: int, rounds: int) -> SweepResult:
    template = folder / "template.sqlite"
    app = bootstrap(Settings(environment="test", database_url=f"sqlite:///{template}", reminders_file=reminders),
                    clock=FixedClock(NOW))
    upgrade(app)
    case_id = open_bench_case(app)
    app.close()
    started = time.perf_counter()
    with contextlib.closing(sqlite3.connect(template, isolation_level=None)) as connection:
        existing = connection.execute("SELECT count(*) FROM reminder").fetchone()[0]
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(SQLITE_FILL, {"n": rows - existing, "case_id": case_id, "payload": PAYLOAD,
                                         "now": NOW.replace(tzinfo=None).isoformat(" "),
                                         "created": (NOW - timedelta(days=30)).replace(tzinfo=None).strftime(
                                             SQLITE_TIME)})
        connection.execute("COMMIT")
        describe(connection, "sqlite", time.perf_counter() - started, due_count)
        # Everything in the main file, so that a copy of it alone is the whole database.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    service_db, raw_db = folder / "service.sqlite", folder / "raw.sqlite"
    shutil.copy(template, service_db)
    shutil.copy(template, raw_db)
    template.unlink()
    app = bootstrap(Settings(environment="test", database_url=f"sqlite:///{service_db}", reminders_file=reminders),
                    clock=FixedClock(NOW))
    raw = sqlite3.connect(raw_db, isolation_level=None)
    # The connection settings the service's engine uses (adapters/db.py).
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")
    raw.execute("PRAGMA foreign_keys=ON")

    def reset() -> None:
        for path in (service_db, raw_db):
            with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as connection:
                connection.execute(RESET)

    try:
        return measure_claims("sqlite", service_claim(app, app.policies.send_batch),
                              raw_sqlite_claim(raw, due_count), reset, due_count=due_count, rounds=rounds)
    finally:
        raw.close()
        app.close()
        for path in folder.glob("*.sqlite*"):
            path.unlink()  # a million rows twice over: not kept for the rest of the run


def sweep_on_postgres(pg: Postgres, reminders: Path, *, rows: int, due_count: int, rounds: int) -> SweepResult:
    template = pg.create("cf_bench_sweep_template")
    app = bootstrap(Settings(environment="test", database_url=pg.url_of(template), reminders_file=reminders),
                    clock=FixedClock(NOW))
    upgrade(app)
    case_id = open_bench_case(app)
    app.close()  # CREATE DATABASE ... TEMPLATE needs the template without connections
    started = time.perf_counter()
    with psycopg.connect(libpq_dsn(pg.url_of(template)), autocommit=True) as connection:
        existing = connection.execute("SELECT count(*) FROM reminder").fetchone()
        connection.execute(POSTGRES_FILL, {"n": rows - (existing[0] if existing else 0), "case_id": case_id,
                                           "payload": PAYLOAD, "now": NOW, "created": NOW - timedelta(days=30)})
        # What autovacuum would have done by the time a table holds a million rows: statistics for the planner
        # and a visibility map.
        connection.execute("VACUUM ANALYZE reminder")
        describe(connection, "postgresql", time.perf_counter() - started, due_count)
    service_db, raw_db = pg.create("cf_bench_sweep_service", template), pg.create("cf_bench_sweep_raw", template)
    app = bootstrap(Settings(environment="test", database_url=pg.url_of(service_db), reminders_file=reminders),
                    clock=FixedClock(NOW))
    raw = psycopg.connect(libpq_dsn(pg.url_of(raw_db)))

    def reset() -> None:
        for name in (service_db, raw_db):
            with psycopg.connect(libpq_dsn(pg.url_of(name)), autocommit=True) as connection:
                connection.execute(RESET)

    try:
        return measure_claims("postgresql", service_claim(app, app.policies.send_batch),
                              raw_postgres_claim(raw, due_count), reset, due_count=due_count, rounds=rounds)
    finally:
        raw.close()
        app.close()


def describe(connection: sqlite3.Connection | psycopg.Connection, database: str, seconds: float,
             due_count: int) -> None:
    """Print what was generated, and check the due rows are exactly as many as the sweep should claim."""
    mark = "?" if database == "sqlite" else "%s"
    at: object = NOW.replace(tzinfo=None).strftime(SQLITE_TIME) if database == "sqlite" else NOW
    counts = dict(connection.execute("SELECT status, count(*) FROM reminder GROUP BY status").fetchall())
    found = connection.execute(f"SELECT count(*) FROM reminder WHERE status = 'planned' AND due_at <= {mark}",
                               (at,)).fetchone()
    due_now = found[0] if found else 0
    print(f"  {database}: {sum(counts.values()):,} reminder rows written in {seconds:.1f} s "
          f"({', '.join(f'{status} {count:,}' for status, count in sorted(counts.items()))}), {due_now:,} due")
    if due_now != due_count:
        raise AssertionError(f"{database}: {due_now} rows due, {due_count} expected")


# --------------------------------------------------------------------------- (b) delivery


class Worker(Process):
    """A Celery worker process, started as `Process` starts `contract-flow worker` (own session, env vars), with
    any command line, and a parent-death signal: a bench killed outright (SIGKILL) leaves no worker behind."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        super().__init__(command, env, log)
        self.command = command

    def start(self) -> Self:
        setpriv = shutil.which("setpriv")
        prefix = [setpriv, "--pdeathsig=TERM", "--"] if setpriv and sys.platform.startswith("linux") else []
        with self.log.open("ab") as out:
            self._proc = subprocess.Popen([*prefix, *self.command], env=self.env, cwd=ROOT,
                                          stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                          start_new_session=True)
        return self

    def interrupted(self) -> str | None:
        """Why the worker can no longer be working for us, or None: it exited, or it was told to shut down (by
        a signal not from this bench: the machine is shared, and a broad `pkill` elsewhere reaches it too)."""
        if not self.running:
            return "the worker exited"
        with self.log.open("rb") as log:
            log.seek(max(0, self.log.stat().st_size - 4096))
            if b"shutdown (MainProcess)" in log.read():
                return "the worker received a shutdown signal from outside the bench"
        return None

    def cpu_seconds(self) -> float:
        """CPU time of the worker and its pool processes so far (Linux /proc; 0 elsewhere)."""
        if self._proc is None:
            return 0.0
        pid = self._proc.pid  # setpriv execs the worker: same pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return 0.0
        return sum(_cpu_seconds(each) for each in (pid, *map(int, children)))


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0  # gone meanwhile
    # utime + stime, counted in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """One timed run: `count` messages in `seconds`, and the CPU seconds each party spent meanwhile."""

    count: int
    seconds: float
    cpu: dict[str, float]

    def describe(self) -> str:
        spent = ", ".join(f"{party} {seconds * 1000 / self.count:.2f}" for party, seconds in self.cpu.items())
        return (f"{self.count} in {self.seconds:.2f} s = {self.count / self.seconds:,.0f}/s; CPU ms per message: "
                f"{spent} (total {sum(self.cpu.values()) * 1000 / self.count:.2f}, on {os.cpu_count()} cores)")


def rate(runs: list[Run]) -> float:
    return sum(run.count for run in runs) / sum(run.seconds for run in runs)


class DeliveryRig:
    """The bench database, the SMTP sink, the broker, and the env both workers get."""

    def __init__(self, database_url: str, redis_url: str, sink: SmtpSink, reminders: Path, logs: Path,
                 loglevel: str) -> None:
        self.sink, self.logs, self.loglevel = sink, logs, loglevel
        self.env = {
            "CONTRACT_FLOW_ENVIRONMENT": "test",
            "CONTRACT_FLOW_DATABASE_URL": database_url,
            "CONTRACT_FLOW_BROKER_URL": redis_url,
            "CONTRACT_FLOW_REDIS_URL": redis_url,
            "CONTRACT_FLOW_SMTP_HOST": "127.0.0.1",
            "CONTRACT_FLOW_SMTP_PORT": str(sink.port),
            "CONTRACT_FLOW_REMINDERS_FILE": str(reminders),
            "PYTHONPATH": str(ROOT),  # for `celery -A bench._support`
        }
        settings = Settings(environment="test", database_url=database_url, broker_url=redis_url,
                            redis_url=redis_url, reminders_file=reminders, smtp_host="127.0.0.1", smtp_port=sink.port)
        self.app = bootstrap(settings)  # seeds and sweeps; the worker sends
        self.celery = make_celery(settings)
        self.redis = redis.Redis.from_url(redis_url)
        self.case_id = open_bench_case(self.app)
        self.seeded = 0

    def close(self) -> None:
        self.redis.close()
        self.app.close()

    @contextmanager
    def worker(self, name: str, command: list[str]) -> Iterator[Worker]:
        process = Worker([*command, "--concurrency", "2", "--loglevel", self.loglevel],
                         self.env, self.logs / f"{name}.log")
        try:
            process.start()
            self.wait_ready(process)
            yield process
        except BaseException:
            # The log goes with the temporary directory: show its end first.
            if process.log.exists():
                print(f"--- end of {process.log.name}:\n{process.log.read_text(errors='replace')[-3000:]}",
                      file=sys.stderr)
            raise
        finally:
            process.stop()

    def wait_ready(self, process: Worker, timeout: float = 60.0) -> None:
        """Celery logs "ready." at INFO; at a quieter level, ask the worker to answer a ping instead."""
        if self.loglevel.upper() in ("DEBUG", "INFO"):
            process.wait_for_log("ready.", timeout)
            return
        deadline = time.monotonic() + timeout
        while not self.celery.control.ping(timeout=0.5):
            if time.monotonic() > deadline or not process.running:
                raise AssertionError(f"{process.command[0]} did not answer a ping within {timeout} s")

    @contextmanager
    def accounted(self, worker: Worker, count: int, runs: list[Run]) -> Iterator[None]:
        """Time the block, and count the CPU the worker, this process (the SMTP sink's thread, the producer, the
        sweep) and Redis spent in it; append the Run to `runs`."""

        def redis_cpu() -> float:
            info = self.redis.info("cpu")
            return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])

        before = (worker.cpu_seconds(), time.process_time(), redis_cpu())
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
        after = (worker.cpu_seconds(), time.process_time(), redis_cpu())
        spent = [end - start for start, end in zip(before, after, strict=True)]
        runs.append(Run(count, seconds, dict(zip(("worker", "bench process", "redis"), spent, strict=True))))

    # ----------------------------------------------------------- delivery side
    def seed(self, count: int) -> set[str]:
        """`count` email reminders due a minute ago; returns their Message-IDs. Keys are new each time, and the
        rows seeded before are sent already, so a sweep claims exactly these."""
        self.seeded += 1
        now = datetime.now(UTC)
        items = [PlannedReminder(
            key=f"{self.case_id}/bench-{self.seeded}/{index}", case_id=self.case_id, kind=ReminderKind.SEARCH_STALE,
            recipient_role="apprentice", recipient=f"apprenti{index}@example.org", channel="email",
            due_at=now - timedelta(minutes=1),
            payload={"case_id": str(self.case_id), "candidate": "Léa Martin", "role": "apprentice",
                     "since": "2026-03-02", "step": "apply"},
        ) for index in range(count)]
        with self.app.uow() as uow:
            uow.ledger.apply_plan(self.case_id, items, now)
            uow.commit()
        if len(due(self.app)) != count:
            raise AssertionError(f"{len(due(self.app))} reminders due, {count} seeded")
        domain = self.app.settings.message_id_domain
        return {message_id_for(item.key, domain) for item in items}

    def enqueue(self, ids: list[int], token: str) -> None:
        self.celery.send_task(SEND, args=[ids, token])

    def deliver(self, worker: Worker, expected: set[str], timeout: float) -> None:
        """Sweep, and wait until the sink holds every expected Message-ID."""
        swept = sweep(self.app, enqueue=self.enqueue)
        if len(swept.ids) != len(expected):
            raise AssertionError(f"the sweep claimed {len(swept.ids)} reminders, {len(expected)} are due")
        seen: set[str] = set()
        read = 0
        deadline = time.monotonic() + timeout
        while not expected <= seen:
            # Blocks until the sink holds as many messages as could complete the set (the sink's thread wakes
            # this one; duplicates, if any, only make it wait for more), or for a second, to check on the worker.
            try:
                received = self.sink.wait(read + len(expected - seen), timeout=1.0)
            except TimeoutError:
                received = []
            if len(received) <= read:
                self.check(worker, deadline, f"{len(self.sink.received)} of {len(expected)} reminders delivered")
                continue
            seen.update(str(item.message_id) for item in received[read:])  # read on arrival: nothing is parsed
            read = len(received)

    @staticmethod
    def check(worker: Worker, deadline: float, progress: str) -> None:
        """Fail now, rather than at the deadline, when the worker is gone."""
        reason = worker.interrupted()
        if reason is not None:
            raise RuntimeError(f"{reason} ({Path(worker.command[0]).name} worker): {progress}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{progress} when the time ran out")

    # ----------------------------------------------------------- baseline side
    def bare(self, worker: Worker, count: int, timeout: float) -> None:
        """`count` no-op tasks, one per message; returns when the last has run."""
        self.redis.set(COUNTER, 0)
        for _ in range(count):
            self.celery.send_task(NOOP)
        deadline = time.monotonic() + timeout
        polls = 0
        while (done := int(self.redis.get(COUNTER) or 0)) < count:
            polls += 1
            if polls % 500 == 0:  # about every second
                self.check(worker, deadline, f"{done} of {count} no-op tasks run")
            time.sleep(0.002)


def delivery(rig: DeliveryRig, *, count: int, rounds: int, timeout: float) -> tuple[list[Run], list[Run]]:
    """`rounds` rounds of each side, the side going first alternating; each on a freshly started worker, warmed
    up untimed (imports, connections, the first templates), then timed."""
    delivered: list[Run] = []
    bare: list[Run] = []
    for r in range(rounds):
        for side in ("bare", "delivery") if r % 2 == 0 else ("delivery", "bare"):
            if side == "delivery":
                with rig.worker(f"reminders-{r}", [CONTRACT_FLOW, "worker"]) as worker:
                    rig.sink.clear()
                    rig.deliver(worker, rig.seed(400), timeout)  # 4 tasks: both pool processes get some
                    rig.sink.clear()
                    expected = rig.seed(count)  # untimed: planning is not what is measured
                    with rig.accounted(worker, count, delivered):
                        rig.deliver(worker, expected, timeout)
                print(f"  round {r + 1}: reminders delivered: {delivered[-1].describe()}")
            else:
                with rig.worker(f"bare-{r}", [CELERY, "-A", "bench._support", "worker", *WORKER_FLAGS]) as worker:
                    rig.bare(worker, 200, timeout)
                    with rig.accounted(worker, count, bare):
                        rig.bare(worker, count, timeout)
                print(f"  round {r + 1}: no-op tasks run:     {bare[-1].describe()}")
    return delivered, bare


# --------------------------------------------------------------------------- main


def sweep_part(args: argparse.Namespace, tmp: Path, pg: Postgres | None) -> float:
    """Part (a) on SQLite, and on PostgreSQL when there is one; returns the lower ratio."""
    due_count = args.rows // 100  # one generated row in 100 is due (see _STATUS)
    print(f"(a) sweep: {args.rows:,} reminder rows, {due_count:,} due; service sweep vs raw SQL claim")
    folder = tmp / "sweep"
    folder.mkdir()
    # One sweep claims every due row (the shipped sweep_batch is 10,000 too; the bench does not rely on it).
    policies = reminders_file(folder, send_batch=args.send_batch, sweep_batch=due_count)
    results = [sweep_on_sqlite(folder, policies, rows=args.rows, due_count=due_count, rounds=args.sweep_rounds)]
    if pg is not None:
        results.append(sweep_on_postgres(pg, policies, rows=args.rows, due_count=due_count,
                                         rounds=args.sweep_rounds))
        pg.drop_all()  # the three copies of a million rows: not kept for part (b)
    for result in results:
        result.report()
    worst = min(results, key=lambda result: result.ratio)
    if len(results) > 1:
        print(f"  the lower ratio is {worst.database}'s")
    return worst.ratio


def delivery_part(args: argparse.Namespace, tmp: Path, stack: ExitStack, redis_url: str, pg: Postgres | None) -> float:
    """Part (b), on PostgreSQL when there is one, else on a SQLite file; returns the ratio."""
    print(f"(b) delivery: {args.deliver:,} email reminders through Redis, `contract-flow worker --concurrency 2` "
          f"and SMTP, send_batch {args.send_batch}, on {'postgresql' if pg is not None else 'sqlite'}; vs as many "
          f"no-op tasks")
    folder = tmp / "delivery"
    folder.mkdir()
    policies = reminders_file(folder, send_batch=args.send_batch, sweep_batch=max(10_000, args.deliver))
    url = pg.url_of(pg.create("cf_bench_delivery")) if pg is not None else f"sqlite:///{folder / 'delivery.sqlite'}"
    migrator = bootstrap(Settings(environment="test", database_url=url))
    upgrade(migrator)
    migrator.close()
    sink = stack.enter_context(SmtpSink())
    rig = DeliveryRig(url, redis_url, sink, policies, folder, args.loglevel)
    stack.callback(rig.close)
    delivered_runs, bare_runs = delivery(rig, count=args.deliver, rounds=args.delivery_rounds, timeout=args.timeout)
    delivered, bare = rate(delivered_runs), rate(bare_runs)
    print(f"  delivered: {delivered:,.0f} reminders/s; bare tasks: {bare:,.0f} tasks/s (over all rounds)")
    return delivered / bare


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="(a) reminder rows in the database, a multiple of 100; one in 100 is due")
    parser.add_argument("--sweep-rounds", type=int, default=5, help="(a) timed claims per side")
    parser.add_argument("--deliver", type=int, default=5_000, help="(b) reminders delivered, no-op tasks run")
    parser.add_argument("--delivery-rounds", type=int, default=2, help="(b) rounds of each side")
    parser.add_argument("--send-batch", type=int, default=100, help="(b) ids per send task (shipped: 100)")
    parser.add_argument("--loglevel", default="INFO",
                        help="(b) both workers' log level (`contract-flow worker`'s default: INFO)")
    parser.add_argument("--timeout", type=float, default=180.0, help="(b) seconds a run may take before failing")
    parser.add_argument("--postgres", choices=("auto", "start", "no"), default="auto",
                        help=f"auto: use ${ENV_POSTGRES_URL} when set; start: else start a throwaway one; "
                             "no: SQLite only")
    parser.add_argument("--only", choices=("sweep", "delivery"), help="run one part only")
    args = parser.parse_args()
    if args.rows % 100 or args.rows < 1000:
        parser.error("--rows: a multiple of 100, at least 1,000")
    return args


def main() -> int:
    args = arguments()
    # Exits in reverse: workers (inside the parts), the sink, databases dropped, servers stopped, files removed.
    with tempfile.TemporaryDirectory(prefix="cf-bench-reminders-") as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        redis_url = os.environ.get(ENV_REDIS_URL) or stack.enter_context(start_redis(tmp)).url
        pg_url = os.environ.get(ENV_POSTGRES_URL) if args.postgres != "no" else None
        if pg_url is None and args.postgres == "start":
            pg_url = stack.enter_context(start_postgres(tmp)).url
        pg = Postgres(pg_url) if pg_url is not None else None
        if pg is not None:
            stack.callback(pg.drop_all)
        sweep_ratio = sweep_part(args, tmp, pg) if args.only != "delivery" else None
        ratio = delivery_part(args, tmp, stack, redis_url, pg) if args.only != "sweep" else None
    if sweep_ratio is not None:
        print(f"sweep ratio={sweep_ratio:.3f}")
    if ratio is not None:
        print(f"ratio={ratio:.3f}")
    return 0


if __name__ == "__main__":
    run(main)

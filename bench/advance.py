"""Advance 20,000 cases one step each through the service layer, beside a raw sqlite3 loop doing the minimal
same writes on an identical database, in the same run. Last line: `ratio=<service rate / raw rate>`.

Both sides run on a SQLite file in WAL mode with synchronous=NORMAL, one transaction per case. The same writes
are: the case's state and version with the version check, its event, and, since reminders are planned in the
transaction of the facts that cause them (issue 4), the reminder rows that move re-plans: the step's stale-search
and search-window reminders of `reflect` cancelled, those of `apply` inserted. The raw loop gets those rows
computed before it is timed; the service plans them itself.

How it is measured: this machine is shared and noisy (other jobs come and go), so the two sides run in
interleaved rounds (by default 20 rounds of 1,000 cases, the side that goes first alternating), each after the same
untimed warm-up (by default 500 extra cases each: first statements, caches, the rules loaded once). A burst of
load then hits both sides of the same round instead of one whole side. The ratio is the median of the rounds'
ratios; the totals' ratio is printed beside it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import case_table, person_table, programme_table
from contract_flow.bootstrap import bootstrap
from contract_flow.domain.states import CaseState
from contract_flow.services.cases import advance, find_actor
from contract_flow.services.reminders import planned_for
from contract_flow.services.schema import upgrade
from contract_flow.settings import Settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADVISOR = "advisor@bench.example"


def build_database(path: Path, cases: int) -> dict[int, tuple[list[str], list[dict[str, object]]]]:
    """The cases in `reflect` with their reminders planned (as opening them does); returns, per case, the
    reminder writes `start_applying` makes: the keys it cancels and the rows it inserts."""
    app = bootstrap(Settings(database_url=f"sqlite:///{path}"), clock=FixedClock(NOW))
    upgrade(app)
    with app.engine.begin() as connection:
        connection.execute(sa.insert(programme_table).values(
            code="bench", name="Bench", cfa_code="bench", start_date=date(2026, 9, 1), years=3, seats=40))
        connection.execute(sa.insert(person_table).values(
            email=ADVISOR, name="Bench Advisor", role="advisor", cfa_code="bench", created_at=NOW))
        connection.execute(sa.insert(case_table), [
            {"programme_id": 1, "first_name": "Cand", "last_name": f"N{i}", "birth_date": date(2004, 1, 1),
             "email": f"c{i}@bench.example", "track": "standard", "state": "reflect", "version": 1,
             "event_count": 0, "opened_at": NOW, "state_since": NOW, "target_job": "technicien",
             "mobility_area": "Occitanie", "advisor_email": ADVISOR} for i in range(cases)])
    writes: dict[int, tuple[list[str], list[dict[str, object]]]] = {}
    with app.uow() as uow:
        for case_id in range(1, cases + 1):
            case = uow.cases.get(case_id, ())
            before = planned_for(app, uow, case)
            uow.ledger.apply_plan(case_id, before, NOW)
            case.state, case.state_since = CaseState.APPLY, NOW
            after = planned_for(app, uow, case)
            kept = {item.key for item in after}
            writes[case_id] = (
                [item.key for item in before if item.key not in kept],
                [{"key": item.key, "kind": item.kind.value, "role": item.recipient_role, "to": item.recipient,
                  "channel": item.channel, "due": item.due_at.astimezone(UTC).replace(tzinfo=None).isoformat(" "),
                  "payload": json.dumps(item.payload)} for item in after if item.key not in {b.key for b in before}],
            )
        uow.commit()
    app.close()
    return writes


#: Advances the cases of a range, one transaction each; returns the seconds it took.
Side = Callable[[range], float]


@contextmanager
def service_side(path: Path) -> Iterator[Side]:
    app = bootstrap(Settings(database_url=f"sqlite:///{path}"), clock=FixedClock(NOW))
    # The advisor is authenticated once, as the HTTP API does from a token; each call is one use case.
    advisor = find_actor(app, ADVISOR)

    def run(case_ids: range) -> float:
        started = time.perf_counter()
        for case_id in case_ids:
            advance(app, case_id, "start_applying", actor_email=advisor)
        return time.perf_counter() - started

    try:
        yield run
    finally:
        app.close()


@contextmanager
def raw_side(path: Path, writes: dict[int, tuple[list[str], list[dict[str, object]]]]) -> Iterator[Side]:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    at = NOW.replace(tzinfo=None).isoformat(sep=" ")

    def run(case_ids: range) -> float:
        started = time.perf_counter()
        for case_id in case_ids:
            connection.execute("BEGIN IMMEDIATE")
            cursor = connection.execute(
                "UPDATE apprenticeship_case SET state = ?, version = version + 1, event_count = event_count + 1, "
                "state_since = ? WHERE id = ? AND version = ?", ("apply", at, case_id, 1))
            if cursor.rowcount != 1:
                raise RuntimeError("raw loop lost its version check")
            connection.execute(
                "INSERT INTO case_event (case_id, seq, from_state, to_state, trigger, actor, reason, at, facts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (case_id, 1, "reflect", "apply", "start_applying", ADVISOR, None, at, "{}"))
            cancelled, inserted = writes[case_id]
            connection.executemany(
                "UPDATE reminder SET status = 'cancelled' WHERE idempotency_key = ? AND status = 'planned'",
                [(key,) for key in cancelled])
            connection.executemany(
                "INSERT INTO reminder (idempotency_key, case_id, kind, recipient_role, recipient, channel, due_at, "
                "status, attempts, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', 0, ?, ?)",
                [(row["key"], case_id, row["kind"], row["role"], row["to"], row["channel"], row["due"],
                  row["payload"], at) for row in inserted])
            connection.execute("COMMIT")
        return time.perf_counter() - started

    try:
        yield run
    finally:
        connection.close()


def measure(raw: Side, service: Side, *, warmup: int, cases: int, rounds: int) -> tuple[list[float], list[float]]:
    """Each side's seconds per round, over the same cases on its own copy of the database."""
    raw(range(1, warmup + 1))
    service(range(1, warmup + 1))
    raw_times, service_times = [], []
    bounds = [warmup + 1 + cases * r // rounds for r in range(rounds + 1)]
    for r in range(rounds):
        case_ids = range(bounds[r], bounds[r + 1])
        if r % 2 == 0:
            raw_times.append(raw(case_ids))
            service_times.append(service(case_ids))
        else:
            service_times.append(service(case_ids))
            raw_times.append(raw(case_ids))
    return raw_times, service_times


def moved(path: Path) -> tuple[int, int, int]:
    """Cases moved, reminders planned and reminders cancelled: both sides must end with the same."""
    with sqlite3.connect(path) as check:
        cases = check.execute("SELECT count(*) FROM apprenticeship_case WHERE state = 'apply'").fetchone()[0]
        planned, cancelled = (check.execute("SELECT count(*) FROM reminder WHERE status = ?", (status,)).fetchone()[0]
                              for status in ("planned", "cancelled"))
        return int(cases), int(planned), int(cancelled)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20_000, help="cases timed, on each side")
    parser.add_argument("--rounds", type=int, default=20, help="interleaved rounds the timed cases are split in")
    parser.add_argument("--warmup", type=int, default=500, help="extra cases each side advances first, untimed")
    args = parser.parse_args()
    total = args.warmup + args.cases
    with tempfile.TemporaryDirectory(prefix="cf-bench-") as tmp:
        template = Path(tmp) / "template.sqlite"
        writes = build_database(template, total)
        service_db, raw_db = Path(tmp) / "service.sqlite", Path(tmp) / "raw.sqlite"
        shutil.copy(template, service_db)
        shutil.copy(template, raw_db)
        with raw_side(raw_db, writes) as raw_run, service_side(service_db) as service_run:
            raw_times, service_times = measure(raw_run, service_run, warmup=args.warmup, cases=args.cases,
                                               rounds=args.rounds)
        raw_end, service_end = moved(raw_db), moved(service_db)
        if raw_end != service_end or raw_end[0] != total:
            print(f"the sides differ: (moved, planned, cancelled) raw {raw_end}, service {service_end}",
                  file=sys.stderr)
            return 1
    raw, service = sum(raw_times), sum(service_times)
    raw_rate, service_rate = args.cases / raw, args.cases / service
    rounds = statistics.median(r / s for r, s in zip(raw_times, service_times, strict=True))
    print(f"raw sqlite3:   {args.cases} transitions in {raw:.2f} s = {raw_rate:,.0f}/s")
    print(f"service layer: {args.cases} transitions in {service:.2f} s = {service_rate:,.0f}/s")
    print(f"totals' ratio={service_rate / raw_rate:.3f}; rounds' ratios from "
          f"{min(r / s for r, s in zip(raw_times, service_times, strict=True)):.3f} to "
          f"{max(r / s for r, s in zip(raw_times, service_times, strict=True)):.3f}")
    print(f"ratio={rounds:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

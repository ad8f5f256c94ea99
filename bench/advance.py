"""Advance 20,000 cases one step each through the service layer, beside a raw sqlite3 loop doing the minimal
same writes on an identical database, in the same run. Last line: `ratio=<service rate / raw rate>`.

Both sides run on a SQLite file in WAL mode with synchronous=NORMAL, one transaction per case.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import case_table, person_table, programme_table
from contract_flow.bootstrap import bootstrap
from contract_flow.services.cases import advance, find_actor
from contract_flow.services.schema import upgrade
from contract_flow.settings import Settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADVISOR = "advisor@bench.example"


def build_database(path: Path, cases: int) -> None:
    app = bootstrap(Settings(database_url=f"sqlite:///{path}"), clock=FixedClock(NOW))
    upgrade(app)
    with app.engine.begin() as connection:
        connection.execute(sa.insert(programme_table).values(
            code="bench", name="Bench", cfa_code="bench", start_date=date(2026, 9, 1), years=3, seats=40))
        connection.execute(sa.insert(person_table).values(
            email=ADVISOR, name="Bench Advisor", role="advisor", created_at=NOW))
        connection.execute(sa.insert(case_table), [
            {"programme_id": 1, "first_name": "Cand", "last_name": f"N{i}", "birth_date": date(2004, 1, 1),
             "email": f"c{i}@bench.example", "track": "standard", "state": "reflect", "version": 1,
             "event_count": 0, "opened_at": NOW, "state_since": NOW, "target_job": "technicien",
             "mobility_area": "Occitanie"} for i in range(cases)])
    app.close()


def run_service(path: Path, cases: int) -> float:
    app = bootstrap(Settings(database_url=f"sqlite:///{path}"), clock=FixedClock(NOW))
    # The advisor is authenticated once, as the HTTP API does from a token; each call is one use case.
    advisor = find_actor(app, ADVISOR)
    started = time.perf_counter()
    for case_id in range(1, cases + 1):
        advance(app, case_id, "start_applying", actor_email=advisor)
    elapsed = time.perf_counter() - started
    app.close()
    return elapsed


def run_raw(path: Path, cases: int) -> float:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    at = NOW.replace(tzinfo=None).isoformat(sep=" ")
    started = time.perf_counter()
    for case_id in range(1, cases + 1):
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
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cf-bench-") as tmp:
        template = Path(tmp) / "template.sqlite"
        build_database(template, args.cases)
        service_db, raw_db = Path(tmp) / "service.sqlite", Path(tmp) / "raw.sqlite"
        shutil.copy(template, service_db)
        shutil.copy(template, raw_db)
        raw = run_raw(raw_db, args.cases)
        service = run_service(service_db, args.cases)
        with sqlite3.connect(service_db) as check:
            moved = check.execute("SELECT count(*) FROM apprenticeship_case WHERE state = 'apply'").fetchone()[0]
        if moved != args.cases:
            print(f"service moved {moved} of {args.cases} cases", file=sys.stderr)
            return 1
    raw_rate, service_rate = args.cases / raw, args.cases / service
    print(f"raw sqlite3:   {args.cases} transitions in {raw:.2f} s = {raw_rate:,.0f}/s")
    print(f"service layer: {args.cases} transitions in {service:.2f} s = {service_rate:,.0f}/s")
    print(f"ratio={service_rate / raw_rate:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

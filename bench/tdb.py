"""The Tableau de bord's feed at scale (issue 16, item 7), beside a baseline measured in the same run.

A PostgreSQL database holds `--learners` cases (1,000,000 by default) of one programme of one CFA (the brochure's
mecatronique, its [tdb] establishments), written by `INSERT ... SELECT FROM generate_series`: 60 % in their trial
with a contract, 10 % whose contract was broken (a break date and cause), 5 % of those with a second contract, the
rest still searching (no contract). Then, each in a fresh child process (so that its peak RSS is its own):

- ours: `services.tdb.feed_batches` (the query on a server-side cursor, every item built and checked field by field
  by domain.tdb_feed) and each batch's JSON body (`Batch.parts()`: json.dumps's bytes in parts), what a push sends;
- raw: the same SQL (`services.tdb_rows.feed_query`, compiled for PostgreSQL) on a psycopg server-side cursor, 2,000
  rows a fetch, and `json.dumps` of each fetch's rows: what reading and serialising the same rows costs at least.

Both read the same rows (one per case and contract); each prints rows/s and its peak RSS (ru_maxrss). The feed's
peak RSS is asserted under `--max-rss-mib` (constant memory: it must not grow with the learners). 2 rounds, the side
going first alternating; the rates are each side's best. Then the monthly push: `services.tdb.push_feed` of the whole
feed to the stand-in TDB (tests/support/tdb_server.py, in its own process, which checks every field of every item
as the TDB does), timed; it must finish within `--max-push-seconds` (5 minutes). Printed last:
`ratio=<ours rows/s / raw rows/s>`, target >= 0.5.

Servers: under `python -m tests.support.servers` (as `make bench` runs it) the PostgreSQL of
CONTRACT_FLOW_TEST_POSTGRES_URL is used (a database created and dropped at the end); alone, a throwaway PostgreSQL is
started in a temporary directory. Run the million under `flock /tmp/helpers/bench.lock` on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
from pydantic import SecretStr

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import Postgres, run  # noqa: E402
from contract_flow.adapters.clock import FixedClock  # noqa: E402
from contract_flow.adapters.prepared import Prepared  # noqa: E402
from contract_flow.bootstrap import bootstrap  # noqa: E402
from contract_flow.domain.case import Actor, Role  # noqa: E402
from contract_flow.services.directory import add_programme  # noqa: E402
from contract_flow.services.schema import upgrade  # noqa: E402
from contract_flow.services.tdb import FeedRequest, feed_batches, push_feed  # noqa: E402
from contract_flow.services.tdb_rows import feed_query, next_midnight  # noqa: E402
from contract_flow.settings import Settings  # noqa: E402
from tests.support.calendars import MECATRONIQUE  # noqa: E402
from tests.support.servers import ENV_POSTGRES_URL, libpq_dsn, start_postgres  # noqa: E402

CFA = "bench-cfa"
ON = date(2027, 3, 1)
KEY = "bench-key"
BATCH = 2000

CASES = """
INSERT INTO apprenticeship_case (programme_id, first_name, last_name, birth_date, email, track, state, version,
    event_count, opened_at, state_since, completed_lower_secondary, programme_year, legal_representative_email)
SELECT %(programme)s, 'Prénom' || g, 'Nom-' || g, date '2003-01-01' + (g %% 2500), 'learner' || g || '@example.org',
    'excellence', CASE WHEN g %% 20 < 12 THEN 'trial' WHEN g %% 20 < 14 THEN 'terminated' ELSE 'apply' END, 1, 0,
    timestamptz '2026-05-01 08:00+00' + (g %% 90) * interval '1 day', timestamptz '2026-10-01 08:00+00', false, 1,
    CASE WHEN g %% 7 = 0 THEN 'parent' || g || '@example.org' END
FROM generate_series(1, %(count)s) AS g
"""
CONTRACTS = """
INSERT INTO contract (case_id, signed, start_date, end_date, employer_siret, ended_on, termination_reason, ended_by)
SELECT id, true, date '2026-09-01', date '2029-08-31', '73282932000074',
    CASE WHEN state = 'terminated' THEN date '2027-01-15' END,
    CASE WHEN state = 'terminated' AND id % 2 = 0 THEN 'mutual_agreement' END,
    CASE WHEN state = 'terminated' AND id % 2 = 1 THEN 'apprentice' END
FROM apprenticeship_case WHERE state IN ('trial', 'terminated');
INSERT INTO contract (case_id, signed, start_date, end_date, employer_siret)
SELECT id, true, date '2027-02-01', date '2029-08-31', '73282932000074'
FROM apprenticeship_case WHERE state = 'terminated' AND id % 4 = 0;
"""


def build(url: str, learners: int) -> None:
    app = bootstrap(Settings(environment="test", database_url=url))
    try:
        upgrade(app)
        add_programme(app, "mecatronique", name="Ingénieur Mécatronique", start_date=date(2026, 9, 1),
                                  years=3, seats=40, cfa_code=CFA, calendar=MECATRONIQUE, level=7)
    finally:
        app.close()
    with psycopg.connect(libpq_dsn(url), autocommit=True) as connection:
        started = time.perf_counter()
        programme = connection.execute("SELECT id FROM programme WHERE code = 'mecatronique'").fetchone()[0]
        connection.execute(CASES, {"programme": programme, "count": learners})
        connection.execute(CONTRACTS)
        connection.execute("ANALYZE")
        print(f"  built {learners:,} learners in {time.perf_counter() - started:.1f} s", flush=True)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_ours(url: str) -> dict[str, float]:
    app = bootstrap(Settings(environment="test", database_url=url))
    request = FeedRequest(CFA, ON, Actor(email="system", role=Role.SYSTEM))
    rows = size = refused = 0
    started = time.perf_counter()
    for batch in feed_batches(app, request, BATCH):
        size += sum(map(len, batch.parts()))
        rows += len(batch)
        refused += batch.refused
    seconds = time.perf_counter() - started
    app.close()
    return {"learners": rows, "refused": refused, "seconds": seconds, "bytes": size}


def measure_raw(url: str) -> dict[str, float]:
    app = bootstrap(Settings(environment="test", database_url=url))
    dialect = app.engine.dialect
    app.close()
    prepared = Prepared(feed_query(dialect), dialect)
    parameters = prepared.parameters({"on": ON, "until": next_midnight(ON), "cfa": CFA})
    rows = size = 0
    started = time.perf_counter()
    with psycopg.connect(libpq_dsn(url)) as connection, connection.cursor(name="raw_feed") as cursor:
        cursor.itersize = BATCH
        cursor.execute(prepared.sql, parameters)
        while chunk := cursor.fetchmany(BATCH):
            size += len(json.dumps(chunk, ensure_ascii=False, default=str))
            rows += len(chunk)
    return {"rows": rows, "seconds": time.perf_counter() - started, "bytes": size}


def child(side: str, url: str) -> dict[str, float]:
    """One measurement in a fresh interpreter: its result and its own peak RSS."""
    output = subprocess.run([sys.executable, __file__, "--measure", side, "--url", url], check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def feed_rows(url: str) -> int:
    """The rows of the feed query (one per case and contract): the unit both sides are counted in."""
    with psycopg.connect(libpq_dsn(url)) as connection:
        return int(connection.execute(
            "SELECT count(*) FROM apprenticeship_case c LEFT JOIN contract k ON k.case_id = c.id").fetchone()[0])


def push(url: str, tmp: Path) -> tuple[float, int, str]:
    """The monthly push of the whole feed to the stand-in TDB in its own process; its duration."""
    port_file = tmp / "tdb.port"
    server = subprocess.Popen([sys.executable, "-m", "tests.support.tdb_server", KEY, str(port_file)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text():
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the TDB stand-in did not start")
            time.sleep(0.05)
        settings = Settings(environment="test", database_url=url, tdb_url=f"http://127.0.0.1:{port_file.read_text()}",
                            tdb_keys={CFA: SecretStr(KEY)}, tdb_timeout_seconds=120)
        app = bootstrap(settings, clock=FixedClock(datetime(2027, 3, 1, 9, tzinfo=UTC)))
        started = time.perf_counter()
        result = push_feed(app, actor_email="system", trigger="cli", cfa_code=CFA, on=ON)
        seconds = time.perf_counter() - started
        app.close()
    finally:
        server.terminate()
        said, _ = server.communicate(timeout=30)
    return seconds, result.items_sent, f"{result.status}, {result.batches} batches; stand-in: {said.strip()}"


def main() -> int:
    args = arguments()
    if args.measure:
        result = measure_ours(args.url) if args.measure == "ours" else measure_raw(args.url)
        print(json.dumps({**result, "peak_rss_mib": peak_rss_mib()}))
        return 0
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cf-bench-tdb-")))
        server_url = os.environ.get(ENV_POSTGRES_URL)
        if not server_url:
            server = start_postgres(tmp / "pg")
            stack.callback(server.close)
            server_url = server.url
        pg = Postgres(server_url)
        stack.callback(pg.drop_all)
        url = pg.url_of(pg.create("cf_bench_tdb"))
        print(f"TDB feed: {args.learners:,} learners of one CFA on PostgreSQL; ours (feed_batches: each item built "
              f"and checked, each batch's JSON body) vs raw (the same SQL on a server-side cursor + json.dumps of "
              f"each fetch)", flush=True)
        build(url, args.learners)
        rows = feed_rows(url)
        ours: list[dict[str, float]] = []
        raw: list[dict[str, float]] = []
        for round_ in range(args.rounds):
            for side in (("ours", "raw") if round_ % 2 == 0 else ("raw", "ours")):
                result = child(side, url)
                (ours if side == "ours" else raw).append(result)
                print(f"  round {round_ + 1} {side}: {rows / result['seconds']:,.0f} rows/s, "
                      f"{result['seconds']:.1f} s, peak RSS {result['peak_rss_mib']:.0f} MiB", flush=True)
        best_ours = min(result["seconds"] for result in ours)
        best_raw = min(result["seconds"] for result in raw)
        learners = int(ours[0]["learners"])
        peak = max(result["peak_rss_mib"] for result in ours)
        print(f"ours: {rows / best_ours:,.0f} rows/s ({learners:,} learners, {int(ours[0]['refused'])} refused)")
        print(f"raw: {rows / best_raw:,.0f} rows/s")
        print(f"peak RSS (feed): {peak:.0f} MiB (limit {args.max_rss_mib} MiB)")
        failed = []
        if learners != args.learners:
            failed.append(f"{learners:,} learners in the feed, {args.learners:,} built")
        if peak > args.max_rss_mib:
            failed.append(f"the feed's peak RSS {peak:.0f} MiB is over {args.max_rss_mib} MiB")
        if args.push:
            seconds, sent, said = push(url, tmp)
            print(f"push: {sent:,} learners in {seconds:.1f} s ({said}); limit {args.max_push_seconds:.0f} s")
            if sent != args.learners:
                failed.append(f"{sent:,} learners pushed")
            if seconds > args.max_push_seconds:
                failed.append(f"the push took {seconds:.0f} s")
        ratio = best_raw / best_ours
        if ratio < args.min_ratio:
            failed.append(f"ratio {ratio:.2f} under {args.min_ratio}")
        for failure in failed:
            print(f"FAILED: {failure}")
        print(f"ratio={ratio:.2f}")  # last, as every bench
        return 1 if failed else 0


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--max-rss-mib", type=int, default=200, help="the feed's peak RSS limit")
    parser.add_argument("--max-push-seconds", type=float, default=300.0)
    parser.add_argument("--min-ratio", type=float, default=0.5)
    parser.add_argument("--no-push", dest="push", action="store_false")
    parser.add_argument("--measure", choices=("ours", "raw"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    run(main)

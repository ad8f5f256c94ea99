"""The HTTP API under 32 concurrent clients, beside bare endpoints doing the same SQL in the same app (issue 5,
item 5). Last line: `ratio=<API p99 / bare p99>`, the higher of GET's and the transition's, on the embedded
default (a SQLite file in WAL mode).

What is compared. One uvicorn process (one worker, uvloop and httptools when installed, no access log) serves
`create_app(app)` plus two routes added to the same FastAPI instance by `bench/_api_support.py`:
`GET /bare/cases/{id}` and `POST /bare/cases/{id}/transitions`. Before serving, that process asks the real API
(in process) for each case the bench will use and records every call the API makes on its database driver in
its units of work: the same transactions, statements and parameters; moves are dry runs, rolled back. A bare
route replays what was recorded for its case on the API's own connections (same engine and pool), checks that
it found and changed what it should, and answers a small JSON. The difference between the two sides is
therefore everything the API does besides its SQL: its dependencies (token, principal, If-Match) and the thread
hops they take, the domain (guards, history, the blocked reasons), the reminders re-planned, the response models,
the JSON. Both sides share the rest: uvicorn, the app's middleware, FastAPI's routing, the threadpool.

The server's threads: anyio's default, 40, for sync routes and dependencies. On SQLite `Connections` keeps one
connection checked out per thread for good, so the server never gets more threads than the engine's pool can
hand out (with the pool of 5 + 10 it had before commit ec59d4e, 15: from the 16th thread on, a unit of work
waited 30 s for a connection and failed; `--threads 40` on such a pool shows it).

The data: a programme, an advisor of its CFA with an API token, and as many cases as the rounds need, all in
`reflect` with the facts `start_applying` needs and their reminders planned (as bench/advance.py builds them).

How it is measured. 32 clients, each with its own keep-alive connection (a minimal HTTP/1.1 client on asyncio
streams: httpx's pool costs ~4 ms of CPU per request at this concurrency and would be the bottleneck), send a
request as soon as their previous one is answered; each request is timed from send to response read. The
machine is shared and noisy, so the sides run in interleaved rounds (the side going first alternating), after an
untimed warm-up of each: GET first (both sides read the same 500 cases, cycling through them), then transitions
(each request moves a different case once, start_applying with If-Match "1"; the API and the bare side move
disjoint ranges of cases, which start identical). Per (endpoint, side): requests, throughput (requests over the
side's summed round time), p50 and p99 over all its requests, and the server's CPU time per request (from
/proc). `get ratio=` and `transition ratio=` are the ratio of the p99s over all requests (the issue's); beside
it, the median and range of the rounds' own p99 ratios, which tell how much the machine's noise moves it (a
round's p99 is its 4th worst request: whether a stall fell in that round; the rounds' median, as bench/advance.py
takes for its rates, was found to swing from 0.7 to 3.2 between runs where the pooled ratio stayed in 1.0-1.9),
and the ratios of the p50s, of the throughputs and of the server CPU per request. At the end both sides must have
moved all their cases, with the same numbers of events and reminder rows.

Reading the p99s: the server is saturated (32 requests in flight), so a request's latency is mostly its wait
behind the others, and the p99 adds what stalls the whole process: full garbage collections of the ~150,000
objects of the imported modules (60-190 ms each, about one a second under this load; `--gc-freeze` removes
them, on both sides) and, for transitions, SQLite's busy handler (a writer waiting at BEGIN IMMEDIATE sleeps
1, 2, 5, ... 100 ms between tries). Those fall on both sides alike and pull the p99 ratio towards 1; the p50s'
and the CPU ratios show the API's own cost.

PostgreSQL: when $CONTRACT_FLOW_TEST_POSTGRES_URL is set (`make bench` runs under `python -m
tests.support.servers`), or with `--postgres start`, the same is run on a database created there (and dropped at
the end); its lines are printed too, but `ratio=` stays the embedded default's: the target is the default
installation's (`make run`), and on 2 cores a local PostgreSQL server competes with the client and the server
for CPU. Everything started (server process, databases, temporary files) is stopped and removed at the end, also
on an error, Ctrl-C or SIGTERM. Only loopback traffic.
"""
from __future__ import annotations

import argparse
import asyncio
import ctypes
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
import sqlalchemy as sa

# The checkout (tests.support, bench._api_support) is not installed: importable when run as `python bench/api.py`.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._api_support import NOW, TOKEN_ENV, TRIGGER, VERSION, services  # noqa: E402
from bench._common import Postgres, run  # noqa: E402
from contract_flow.adapters.tables import case_table, person_table, programme_table  # noqa: E402
from contract_flow.services.directory import issue_token  # noqa: E402
from contract_flow.services.reminders import planned_for  # noqa: E402
from contract_flow.services.schema import upgrade  # noqa: E402
from tests.support.servers import ENV_POSTGRES_URL, free_port, start_postgres  # noqa: E402

ADVISOR = "advisor@bench.example"
CLIENTS = 32


# --------------------------------------------------------------------------- the database


def build_database(url: str, cases: int) -> str:
    """The programme, its advisor and `cases` cases ready for start_applying; returns the advisor's token."""
    app = services(url)
    try:
        upgrade(app)
        with app.engine.begin() as connection:
            programme_id = connection.execute(sa.insert(programme_table).values(
                code="bench", name="Bench", cfa_code="bench", start_date=date(2026, 9, 1), years=3, seats=40,
            ).returning(programme_table.c.id)).scalar_one()
            connection.execute(sa.insert(person_table).values(
                email=ADVISOR, name="Bench Advisor", role="advisor", cfa_code="bench", created_at=NOW))
            connection.execute(sa.insert(case_table), [
                {"programme_id": programme_id, "first_name": "Cand", "last_name": f"N{i}",
                 "birth_date": date(2004, 1, 1), "email": f"c{i}@bench.example", "track": "standard",
                 "state": "reflect", "version": VERSION, "event_count": 0, "opened_at": NOW, "state_since": NOW,
                 "target_job": "technicien", "mobility_area": "Occitanie", "advisor_email": ADVISOR}
                for i in range(cases)])
        with app.uow() as uow:  # the reminders opening a case plans
            for case_id in range(1, cases + 1):
                uow.ledger.apply_plan(case_id, planned_for(app, uow, uow.cases.get(case_id, ())), NOW)
            uow.commit()
        return issue_token(app, ADVISOR)
    finally:
        app.close()


def outcome(url: str, case_ids: range) -> tuple[int, int, int, int]:
    """Cases moved, their events, reminders planned and cancelled: both sides must end with the same."""
    app = services(url)
    try:
        with app.engine.connect() as connection:
            def count(query: str) -> int:
                return int(connection.execute(sa.text(query), {"a": case_ids.start, "b": case_ids.stop}).scalar_one())
            return (
                count("SELECT count(*) FROM apprenticeship_case WHERE state = 'apply' AND id >= :a AND id < :b"),
                count("SELECT count(*) FROM case_event WHERE case_id >= :a AND case_id < :b"),
                count("SELECT count(*) FROM reminder WHERE status = 'planned' AND case_id >= :a AND case_id < :b"),
                count("SELECT count(*) FROM reminder WHERE status = 'cancelled' AND case_id >= :a AND case_id < :b"),
            )
    finally:
        app.close()


# --------------------------------------------------------------------------- the server


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str

    def cpu_seconds(self) -> float:
        """User and system time of the server process so far (all its threads)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serve(url: str, token: str, gets: range, moves: range, log: Path, threads: int = -1,
          gc_freeze: bool = False) -> Iterator[Server]:
    port = free_port()
    command = [sys.executable, "-m", "bench._api_support", "--url", url, "--port", str(port),
               "--gets", f"{gets.start}:{gets.stop}", "--moves", f"{moves.start}:{moves.stop}",
               "--threads", str(threads), *(["--gc-freeze"] if gc_freeze else [])]
    with running(command, {**os.environ, TOKEN_ENV: token}, port, log) as server:
        yield server


@contextmanager
def running(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[Server]:
    """The server `command` starts on `port`, its output in `log`, once it answers; stopped on the way out (and
    by the kernel if this process dies first). Its log's end is printed when it fails."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   preexec_fn=_die_with_parent)  # noqa: PLW1509 (no other thread runs yet)
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        _wait_ready(server, log)
        yield server
    except Exception:
        print(f"the server's log ends with:\n{log.read_text()[-4000:]}", file=sys.stderr)
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM if this process dies without stopping it (SIGKILL), as
    tests.support.servers does for its servers."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG


def _wait_ready(server: Server, log: Path, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited ({server.process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{server.base}/api/v1/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server was not ready in {timeout:.0f} s:\n{log.read_text()[-3000:]}")


# --------------------------------------------------------------------------- the clients


class Client:
    """One keep-alive HTTP/1.1 connection to the server, one request at a time.

    Not httpx: on these 2 cores an httpx.AsyncClient with a pool of 32 connections spends about 4 ms of CPU per
    request (its pool's bookkeeping), saturates its core at ~250 requests/s, and the latencies measured are then
    the client's own queue, alike on both sides. This client writes prepared bytes and reads the status line,
    the headers and a Content-Length body (uvicorn's answers here always have one): a few % of a core.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int) -> Client:
        return cls(*await asyncio.open_connection(host, port))

    async def send(self, request: bytes) -> tuple[int, bytes]:
        self._writer.write(request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        at = head.lower().find(b"\r\ncontent-length:")
        if at < 0:
            raise RuntimeError(f"an answer without Content-Length: {head[:300]!r}")
        length = int(head[at + 17: head.index(b"\r\n", at + 2)])
        return int(head[9:12]), await self._reader.readexactly(length)

    def close(self) -> None:
        self._writer.close()


#: The request's bytes for an item (a case id).
Build = Callable[[int], bytes]


@dataclass
class Side:
    name: str
    build: Build
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    cpu: float = 0.0
    #: Each round's p99, for the rounds' ratios.
    round_p99: list[float] = field(default_factory=list)

    def line(self, label: str) -> str:
        count = len(self.latencies)
        return (f"  {label:<38} {count:>6} req {count / self.seconds:>7,.0f} req/s  p50 {p(self.latencies, 50):6.2f} ms"
                f"  p99 {p(self.latencies, 99):6.2f} ms  server CPU {1000 * self.cpu / count:.2f} ms/req")


def p(latencies: Sequence[float], percent: int) -> float:
    """The percentile in milliseconds (nearest rank)."""
    ordered = sorted(latencies)
    return 1000 * ordered[max(0, -(-len(ordered) * percent // 100) - 1)]


async def burst(clients: Sequence[Client], build: Build, items: Sequence[int]) -> tuple[list[float], float]:
    """`items` sent by the concurrent clients, each sending its next as soon as it has its answer."""
    latencies: list[float] = []
    pending = iter(items)
    failures: list[str] = []

    async def one_client(client: Client) -> None:
        for item in pending:
            request = build(item)
            started = time.perf_counter()
            status, body = await client.send(request)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures.append(f"{request.split(b' HTTP')[0].decode()}: {status} {body[:200].decode()}")

    started = time.perf_counter()
    await asyncio.gather(*(one_client(client) for client in clients))
    seconds = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} requests failed, e.g. {failures[0]}")
    return latencies, seconds


async def rounds(clients: Sequence[Client], server: Server, api: Side, bare: Side,
                 warmup: tuple[Sequence[int], Sequence[int]], timed: list[tuple[Sequence[int], Sequence[int]]]) -> None:
    """The untimed warm-up, then each round's items for (api, bare), the side going first alternating."""
    await burst(clients, bare.build, warmup[1])
    await burst(clients, api.build, warmup[0])
    for number, (api_items, bare_items) in enumerate(timed):
        order = [(api, api_items), (bare, bare_items)]
        for side, items in order if number % 2 == 0 else reversed(order):
            cpu = server.cpu_seconds()
            latencies, seconds = await burst(clients, side.build, items)
            side.cpu += server.cpu_seconds() - cpu
            side.latencies += latencies
            side.seconds += seconds
            side.round_p99.append(p(latencies, 99))


def ratio_line(name: str, api: Side, bare: Side) -> tuple[float, str]:
    """The p99s' ratio over all requests, with beside it the median and range of the rounds' own p99 ratios (how
    much the machine's noise moves it) and the ratios of the p50s, of the throughputs and of the CPU per request."""
    ratio = p(api.latencies, 99) / p(bare.latencies, 99)
    per_round = [a / b for a, b in zip(api.round_p99, bare.round_p99, strict=True)]
    return ratio, (f"{name} ratio={ratio:.3f} (API p99 / bare p99 over all requests; the {len(per_round)} rounds' "
                   f"own: median {statistics.median(per_round):.3f}, from {min(per_round):.3f} to "
                   f"{max(per_round):.3f}; p50s' ratio {p(api.latencies, 50) / p(bare.latencies, 50):.3f}; "
                   f"throughputs' ratio "
                   f"{(len(api.latencies) / api.seconds) / (len(bare.latencies) / bare.seconds):.3f}; server CPU "
                   f"per request {(api.cpu / len(api.latencies)) / (bare.cpu / len(bare.latencies)):.3f})")


@dataclass
class Plan:
    """Which cases each part uses. Case ids start at 1; GET reads the first `gets` of them."""

    get_warmup: int
    get_round: int
    transition_warmup: int
    transition_round: int
    rounds: int
    gets: int = 500

    @property
    def per_side(self) -> int:
        return self.transition_warmup + self.rounds * self.transition_round

    @property
    def cases(self) -> int:
        return 2 * self.per_side

    @property
    def api_moves(self) -> range:
        return range(1, 1 + self.per_side)

    @property
    def bare_moves(self) -> range:
        return range(1 + self.per_side, 1 + 2 * self.per_side)

    def split(self, ids: Sequence[int], warmup: int, each: int) -> tuple[Sequence[int], list[Sequence[int]]]:
        return ids[:warmup], [ids[warmup + r * each: warmup + (r + 1) * each] for r in range(self.rounds)]


async def drive(server: Server, token: str, plan: Plan) -> tuple[tuple[Side, Side], tuple[Side, Side], float]:
    """Both parts; returns the (api, bare) sides of GET and of the transition, and the client's CPU share."""
    host, port = server.base.removeprefix("http://").split(":")
    common = f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
    body = json.dumps({"trigger": TRIGGER})

    def get(prefix: str) -> Build:
        return lambda case_id: f"GET {prefix}/cases/{case_id} HTTP/1.1\r\n{common}\r\n".encode()

    def move(prefix: str) -> Build:
        return lambda case_id: (f"POST {prefix}/cases/{case_id}/transitions HTTP/1.1\r\n{common}"
                                f"If-Match: \"{VERSION}\"\r\nContent-Type: application/json\r\n"
                                f"Content-Length: {len(body)}\r\n\r\n{body}").encode()

    get_api, get_bare = Side("api", get("/api/v1")), Side("bare", get("/bare"))
    move_api, move_bare = Side("api", move("/api/v1")), Side("bare", move("/bare"))
    started, cpu = time.perf_counter(), time.process_time()
    clients = [await Client.open(host, int(port)) for _ in range(CLIENTS)]
    try:
        cycle = [1 + i % plan.gets for i in range(plan.get_warmup + plan.rounds * plan.get_round)]
        warm, timed = plan.split(cycle, plan.get_warmup, plan.get_round)
        await rounds(clients, server, get_api, get_bare, (warm, warm), [(ids, ids) for ids in timed])
        api_warm, api_timed = plan.split(plan.api_moves, plan.transition_warmup, plan.transition_round)
        bare_warm, bare_timed = plan.split(plan.bare_moves, plan.transition_warmup, plan.transition_round)
        await rounds(clients, server, move_api, move_bare, (api_warm, bare_warm),
                     list(zip(api_timed, bare_timed, strict=True)))
    finally:
        for client in clients:
            client.close()
    client_share = (time.process_time() - cpu) / (time.perf_counter() - started)
    return (get_api, get_bare), (move_api, move_bare), client_share


def _event_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def run_on(database: str, url: str, plan: Plan, logs: Path, args: argparse.Namespace) -> float:
    """One database: build, serve, measure, check, print; returns the higher of the two ratios."""
    started, load = time.perf_counter(), os.getloadavg()[0]
    token = build_database(url, plan.cases)
    with serve(url, token, range(1, 1 + plan.gets), plan.bare_moves, logs / f"server-{database}.log",
               args.threads, args.gc_freeze) as server:
        ready = time.perf_counter() - started
        threads = _server_says(logs / f"server-{database}.log", "threads: ")
        with asyncio.Runner(loop_factory=_event_loop) as runner:
            (get_api, get_bare), (move_api, move_bare), client_share = runner.run(drive(server, token, plan))
    api_end, bare_end = outcome(url, plan.api_moves), outcome(url, plan.bare_moves)
    if api_end != bare_end or api_end[0] != plan.per_side:
        raise RuntimeError(f"the sides differ: (moved, events, planned, cancelled) api {api_end}, bare {bare_end}")
    print(f"{database}: {plan.cases:,} cases, {CLIENTS} concurrent clients, {threads} server threads, "
          f"{plan.rounds} interleaved rounds "
          f"(built, captured and served in {ready:.1f} s; client CPU {100 * client_share:.0f}% of a core; the "
          f"machine's load average {load:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores)")
    print(get_api.line("GET /api/v1/cases/{id}"))
    print(get_bare.line("GET /bare/cases/{id}"))
    get_ratio, get_text = ratio_line("get", get_api, get_bare)
    print(f"  {get_text}")
    print(move_api.line("POST /api/v1/cases/{id}/transitions"))
    print(move_bare.line("POST /bare/cases/{id}/transitions"))
    move_ratio, move_text = ratio_line("transition", move_api, move_bare)
    print(f"  {move_text}")
    print(f"  both sides moved {api_end[0]:,} cases each, with {api_end[1]:,} events, {api_end[2]:,} reminders "
          f"planned and {api_end[3]:,} cancelled", flush=True)
    return max(get_ratio, move_ratio)


def _server_says(log: Path, prefix: str) -> str:
    lines = [line for line in log.read_text().splitlines() if line.startswith(prefix)]
    return lines[-1].removeprefix(prefix) if lines else "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10, help="interleaved timed rounds of each part")
    parser.add_argument("--get-round", type=int, default=400, help="GET requests per side per round")
    parser.add_argument("--get-warmup", type=int, default=400, help="untimed GET requests per side first")
    parser.add_argument("--transition-round", type=int, default=200, help="transitions per side per round")
    parser.add_argument("--transition-warmup", type=int, default=200, help="untimed transitions per side first")
    parser.add_argument("--postgres", choices=("auto", "start", "no"), default="auto",
                        help=f"auto: also on ${ENV_POSTGRES_URL} when set; start: else on a throwaway one; "
                             "no: SQLite only")
    parser.add_argument("--threads", type=int, default=-1,
                        help="the server's threads for sync routes (anyio's limiter): 0 for anyio's default (40); "
                             "-1 (default): that, lowered on SQLite to what its engine's pool can hand out if that "
                             "is less (see bench/_api_support.py, pool_capacity)")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="the server calls gc.freeze() once built, both sides alike (src does not): shows how "
                             "much of the p99s are full garbage collections of the imported modules' objects")
    args = parser.parse_args()
    plan = Plan(args.get_warmup, args.get_round, args.transition_warmup, args.transition_round, args.rounds)
    with tempfile.TemporaryDirectory(prefix="cf-bench-api-") as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        ratio = run_on("sqlite", f"sqlite:///{tmp / 'bench.sqlite'}", plan, tmp, args)
        pg_url = os.environ.get(ENV_POSTGRES_URL) if args.postgres != "no" else None
        if pg_url is None and args.postgres == "start":
            pg_url = stack.enter_context(start_postgres(tmp)).url
        if pg_url is not None:
            pg = Postgres(pg_url)
            stack.callback(pg.drop_all)
            run_on("postgresql", pg.url_of(pg.create("cf_bench_api")), plan, tmp, args)
    print(f"ratio={ratio:.3f}")
    return 0


if __name__ == "__main__":
    run(main)

"""The API's p99 under a flood of 10 logins a second, against its p99 without it (issue 12, item 5: at most 1.5x).
Last line: `ratio=<p99 with the flood / p99 without>`.

The server. `contract-flow serve` itself (uvicorn, one process, as an installation runs it) on the embedded
default (a SQLite file in WAL mode), with the production password cost (`password_hash_cost = "standard"`:
argon2id, RFC 9106's low-memory profile, about 0.16 s of CPU a verification here) and the login settings'
defaults, or those given (`--verify-workers`, `--verify-queue`, `--verify-nice`: `--verify-workers 40
--verify-queue 1000 --verify-nice 0` is close to what it did before, every verification on the request threads).
The data: bench/api.py's (a programme, an advisor with an API token, the cases) and 20 users with a web password.

The load. The API side: `GET /api/v1/cases/{id}` (an advisor's read of a case, the pages' and the clients' most
frequent call) at a fixed rate (`--rate`, 100/s by default) over 16 keep-alive connections, each request timed from
the moment it was due (a request waiting for a free connection counts its wait: no coordinated omission). The
flood: 10 logins a second (`--logins`), each the real form's two requests (GET /login for the session's CSRF
token, POST /login) on a fresh connection from one of 5 client addresses (127.0.0.2 to 127.0.0.6), cycling over
the 20 accounts, each account's attempts alternating a wrong and the right password: no account nor address ever
reaches its lock, so every login that gets a verification slot costs an argon2 verification (the worst case for
the server; a throttled attacker costs it less). Logins answered 429 (the verifier's queue full) are counted.

The machine is shared and noisy: `--rounds` rounds of `--seconds` seconds, each a calm phase and a flood phase,
the one going first alternating, after an untimed warm-up. Printed: per phase, requests, p50, p99 and the worst,
the server's CPU per second (from /proc), and the logins' outcomes; `ratio=` is the p99 over all the flood phases'
requests over the p99 over all the calm phases' (the rounds' own ratios beside it). Everything started (the
server, temporary files) is stopped and removed at the end, also on an error, Ctrl-C or SIGTERM. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._api_support import NOW  # noqa: E402
from bench._common import run  # noqa: E402
from bench.api import ADVISOR, Client, Server, build_database, p, running  # noqa: E402
from contract_flow.adapters.passwords import HASHERS  # noqa: E402
from contract_flow.adapters.tables import person_table  # noqa: E402
from contract_flow.bootstrap import bootstrap  # noqa: E402
from contract_flow.services.directory import issue_token  # noqa: E402
from contract_flow.settings import Settings  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

CASES = 200
USERS = tuple(f"user{n}@bench.example" for n in range(20))
PASSWORD = "le mot de passe du banc"
WRONG = "pas le bon mot de passe"
ADDRESSES = tuple(f"127.0.0.{n}" for n in range(2, 7))
CONNECTIONS = 16


def build(url: str) -> str:
    """bench/api.py's database and 20 users with a web password (one standard-cost hash for all: each
    verification costs what it costs whatever the salt); returns the advisor's API token."""
    build_database(url, CASES)
    stored = HASHERS["standard"].hash(PASSWORD)
    # The server runs on the system's clock: its token is issued now (bench/api.py's, at its fixed NOW, would be
    # past its expiry).
    app = bootstrap(Settings(database_url=url))
    try:
        with app.engine.begin() as connection:
            connection.execute(sa.insert(person_table), [
                {"email": email, "name": f"User {n}", "role": "tutor", "cfa_code": "bench", "created_at": NOW,
                 "password_hash": stored, "language": "fr"} for n, email in enumerate(USERS)])
        return issue_token(app, ADVISOR)
    finally:
        app.close()


@contextmanager
def serve(url: str, data_dir: Path, log: Path, args: argparse.Namespace) -> Iterator[Server]:
    """`contract-flow serve` on `url`, with the production password cost."""
    port = free_port()
    env = {**os.environ, "CONTRACT_FLOW_DATABASE_URL": url, "CONTRACT_FLOW_DATA_DIR": str(data_dir),
           "CONTRACT_FLOW_PASSWORD_HASH_COST": "standard",
           "CONTRACT_FLOW_LOGIN_VERIFY_WORKERS": str(args.verify_workers),
           "CONTRACT_FLOW_LOGIN_VERIFY_QUEUE": str(args.verify_queue),
           "CONTRACT_FLOW_LOGIN_VERIFY_NICE": str(args.verify_nice)}
    command = [sys.executable, "-c", "from contract_flow.cli import main; main()", "serve", "--port", str(port)]
    with running(command, env, port, log) as server:
        yield server


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    cpu: float = 0.0
    round_p99: list[float] = field(default_factory=list)
    logins: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        count = len(self.latencies)
        logins = ", ".join(f"{n} {what}" for what, n in sorted(self.logins.items())) or "none"
        return (f"  {self.name:<6} {count:>6} GET  p50 {p(self.latencies, 50):6.2f} ms  p99 "
                f"{p(self.latencies, 99):7.2f} ms  worst {1000 * max(self.latencies):7.2f} ms  server CPU "
                f"{self.cpu / self.seconds:.2f} s/s  logins: {logins}")


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    request: bytes) -> tuple[int, bytes, bytes]:
    """One HTTP/1.1 request on a kept-alive connection: (status, head, body); the answers have Content-Length."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    at = head.lower().find(b"\r\ncontent-length:")
    length = int(head[at + 17: head.index(b"\r\n", at + 2)]) if at >= 0 else 0
    return int(head[9:12]), head, await reader.readexactly(length)


async def login(host: str, port: int, address: str, email: str, password: str) -> int:
    """The login form as a browser posts it, on a fresh connection from `address`: GET /login (the session
    cookie and its CSRF token), POST /login; the POST's status."""
    reader, writer = await asyncio.open_connection(host, port, local_addr=(address, 0))
    try:
        status, head, body = await _exchange(reader, writer, f"GET /login HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        if status != 200:
            raise RuntimeError(f"GET /login: {status}")
        at = head.lower().find(b"\r\nset-cookie: ")
        cookie = head[at + 14:].split(b";", 1)[0] if at >= 0 else b""
        token = body.split(b'name="csrf_token" value="', 1)[1].split(b'"', 1)[0].decode()
        form = urlencode({"email": email, "password": password, "csrf_token": token}).encode()
        status, _, _ = await _exchange(reader, writer, (
            f"POST /login HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie.decode()}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(form)}\r\n\r\n").encode()
            + form)
        return status
    finally:
        writer.close()


def flood_process(base: str, rate: float, go: Event, stop: Event, results: Queue[tuple[str, int]]) -> None:
    """The flood, in a process of its own (the API's timing client's event loop never waits for it): while `go`
    is set, `rate` logins a second; each answer's outcome is put on `results`; ends when `stop` is set."""
    asyncio.run(_flood(base, rate, go, stop, results))


async def _flood(base: str, rate: float, go: Event, stop: Event, results: Queue[tuple[str, int]]) -> None:
    host, port = base.removeprefix("http://").split(":")
    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[None]] = set()
    attempts = itertools.count()

    async def one(attempt: int) -> None:
        address = ADDRESSES[attempt % len(ADDRESSES)]
        account = USERS[attempt % len(USERS)]
        # Each account's attempts alternate wrong and right: no lock is ever reached, every login is verified.
        right = (attempt // len(USERS)) % 2 == 1
        status = await login(host, int(port), address, account, PASSWORD if right else WRONG)
        outcome = {303: "in", 401: "refused", 429: "busy (429)"}.get(status, f"status {status}")
        if status != 429 and (status == 303) != right:
            outcome = f"unexpected {status} for a {'right' if right else 'wrong'} password"
        results.put((outcome, 1))

    while not stop.is_set():
        if not go.is_set():
            await asyncio.sleep(0.05)
            continue
        started = loop.time()
        for n in itertools.count():
            if not go.is_set() or stop.is_set():
                break
            delay = started + n / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(one(next(attempts)))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)


async def api_phase(clients: asyncio.Queue[Client], request: bytes, ids: Iterator[int], rate: float,
                    seconds: float) -> list[float]:
    """GETs due at a fixed rate, each timed from when it was due."""
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    failures: list[str] = []

    async def one(due: float, case_id: int) -> None:
        client = await clients.get()
        try:
            status, body = await client.send(request.replace(b"{id}", str(case_id).encode()))
        finally:
            clients.put_nowait(client)
        latencies.append(loop.time() - due)
        if status != 200:
            failures.append(f"{status} {body[:200].decode()}")

    started, tasks = loop.time(), []
    for n in range(int(rate * seconds)):
        due = started + n / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due, next(ids))))
    await asyncio.gather(*tasks)
    if failures:
        raise RuntimeError(f"{len(failures)} API requests failed, e.g. {failures[0]}")
    return latencies


async def drive(server: Server, token: str, args: argparse.Namespace) -> tuple[Phase, Phase]:
    host, port = server.base.removeprefix("http://").split(":")
    request = (f"GET /api/v1/cases/{{id}} HTTP/1.1\r\nHost: {host}:{port}\r\n"
               f"Authorization: Bearer {token}\r\n\r\n").encode()
    clients: asyncio.Queue[Client] = asyncio.Queue()
    for _ in range(CONNECTIONS):
        clients.put_nowait(await Client.open(host, int(port)))
    ids = itertools.cycle(range(1, CASES + 1))
    calm, flood = Phase("calm"), Phase("flood")
    context = multiprocessing.get_context("spawn")
    go, stop, results = context.Event(), context.Event(), context.Queue()
    flooder = context.Process(target=flood_process, args=(server.base, args.logins, go, stop, results), daemon=True)
    flooder.start()
    try:
        await api_phase(clients, request, ids, args.rate, args.warmup)
        for number in range(args.rounds):
            for phase in (calm, flood) if number % 2 == 0 else (flood, calm):
                if phase is flood:
                    go.set()
                    await asyncio.sleep(1.0)  # the verifier's queue fills before the API is timed
                cpu, started = server.cpu_seconds(), time.perf_counter()
                latencies = await api_phase(clients, request, ids, args.rate, args.seconds)
                phase.seconds += time.perf_counter() - started
                phase.cpu += server.cpu_seconds() - cpu
                if phase is flood:
                    go.clear()
                    await asyncio.sleep(2.0)  # the logins in flight end before the next calm phase
                    while not results.empty():
                        outcome, count = results.get()
                        phase.logins[outcome] += count
                phase.latencies += latencies
                phase.round_p99.append(p(latencies, 99))
    finally:
        stop.set()
        flooder.join(30)
        if flooder.is_alive():
            flooder.terminate()
        while not clients.empty():
            clients.get_nowait().close()
    return calm, flood


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=4, help="rounds, each a calm and a flood phase")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds of API load per phase")
    parser.add_argument("--warmup", type=float, default=3.0, help="untimed seconds of API load first")
    parser.add_argument("--rate", type=float, default=100.0, help="API GETs a second")
    parser.add_argument("--logins", type=float, default=10.0, help="logins a second during a flood phase")
    parser.add_argument("--verify-workers", type=int, default=1, help="the server's login_verify_workers")
    parser.add_argument("--verify-queue", type=int, default=8, help="the server's login_verify_queue")
    parser.add_argument("--verify-nice", type=int, default=19, help="the server's login_verify_nice")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cf-bench-logins-") as tmp_name:
        tmp = Path(tmp_name)
        url = f"sqlite:///{tmp / 'bench.sqlite'}"
        token = build(url)
        load = os.getloadavg()[0]
        with serve(url, tmp, tmp / "server.log", args) as server, asyncio.Runner() as runner:
            calm, flood = runner.run(drive(server, token, args))
    ratio = p(flood.latencies, 99) / p(calm.latencies, 99)
    per_round = [f / c for f, c in zip(flood.round_p99, calm.round_p99, strict=True)]
    print(f"sqlite: `contract-flow serve`, password_hash_cost standard, verifier: {args.verify_workers} worker(s), "
          f"queue {args.verify_queue}, nice {args.verify_nice}; GET /api/v1/cases/{{id}} at {args.rate:.0f}/s over "
          f"{CONNECTIONS} connections; {args.rounds} rounds of {args.seconds:.0f} s calm and {args.seconds:.0f} s "
          f"with {args.logins:.0f} logins/s from {len(ADDRESSES)} addresses (the machine's load average "
          f"{load:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores)")
    print(calm.line())
    print(flood.line())
    print(f"  rounds' own p99 ratios: median {statistics.median(per_round):.3f}, from {min(per_round):.3f} to "
          f"{max(per_round):.3f}; p50s' ratio {p(flood.latencies, 50) / p(calm.latencies, 50):.3f}")
    print(f"ratio={ratio:.3f}")
    return 0


if __name__ == "__main__":
    run(main)

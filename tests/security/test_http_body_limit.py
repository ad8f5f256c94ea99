"""Issue 12, item 1: a body without Content-Length (chunked) was read whole before the 64 KiB limit applied, so
`head -c 1G /dev/zero | curl -X POST -T - ... /api/v1/health` grew the server by 1 GiB before its 413, and
parallel requests multiplied it. Reproduced against the real server (`contract-flow serve`, its own process, on a
migrated SQLite file): chunked bodies of 1 MiB, 64 MiB and 512 MiB, generated lazily, several at once, with no
credentials, on the API and on the pages (the import's 2 MiB limit too). Each gets its 413 and the server's peak
resident memory (VmHWM in /proc/<pid>/status) grows by less than RSS_BOUND.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from contract_flow.http.limits import MAX_BODY_BYTES
from contract_flow.web import MAX_IMPORT_BYTES
from tests.support.servers import free_port

MiB = 1024 * 1024
#: How much the server may grow while refusing all of the bodies below (its own code paths warmed up first).
RSS_BOUND = 50 * MiB
CHUNK = 64 * 1024
CONTRACT_FLOW = str(Path(sys.executable).parent / "contract-flow")


@dataclass
class Server:
    pid: int
    port: int

    def memory_kib(self, field: str) -> int:
        """VmRSS (now) or VmHWM (the peak since the process started), in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
        raise AssertionError(f"no {field} in /proc/{self.pid}/status")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("serve")
    database = base / "serve.sqlite"
    shutil.copy(sqlite_template, database)
    port = free_port()
    env = {**os.environ, "CONTRACT_FLOW_DATABASE_URL": f"sqlite:///{database}", "CONTRACT_FLOW_ENVIRONMENT": "test"}
    log = (base / "serve.log").open("wb")
    process = subprocess.Popen([CONTRACT_FLOW, "serve", "--port", str(port)], env=env, stdin=subprocess.DEVNULL,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError((base / "serve.log").read_text(errors="replace")) from None
                time.sleep(0.2)
        yield Server(process.pid, port)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def _zeros(size: int) -> Iterator[bytes]:
    """`size` bytes of JSON-ish filler, CHUNK at a time, never held whole."""
    block = b" " * CHUNK
    sent = 0
    while sent < size:
        part = block[:min(CHUNK, size - sent)]
        sent += len(part)
        yield part


def send_chunked(port: int, method: str, path: str, size: int, content_type: str = "application/json") -> int:
    """A request whose body (`size` bytes) is sent chunked, as `curl -T -` does, while its answer is read: the
    status the server answered (it may answer, and close, before the body is all sent)."""
    status: list[int] = []
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                f"Content-Type: {content_type}\r\n\r\n")

        def read() -> None:
            received = b""
            try:
                while b"\r\n" not in received:
                    data = sock.recv(4096)
                    if not data:
                        break
                    received += data
            except OSError:
                pass
            if received.startswith(b"HTTP/1.1 "):
                status.append(int(received.split(b" ", 2)[1]))

        reader = threading.Thread(target=read)
        reader.start()
        try:
            sock.sendall(head.encode())
            for part in _zeros(size):
                if status:
                    break
                sock.sendall(b"%x\r\n%s\r\n" % (len(part), part))
            else:
                sock.sendall(b"0\r\n\r\n")
        except OSError:  # the server answered and closed: the rest of the body is never read
            pass
        reader.join(timeout=60)
    assert status, f"{method} {path}: no answer"
    return status[0]


#: (method, path, limit): the API without credentials (health takes no body; a route that does), the login page,
#: the import page with its larger limit.
TARGETS = (("POST", "/api/v1/health", MAX_BODY_BYTES), ("PATCH", "/api/v1/cases/1/facts", MAX_BODY_BYTES),
           ("GET", "/api/v1/cases", MAX_BODY_BYTES), ("POST", "/login", MAX_BODY_BYTES),
           ("POST", "/import", MAX_IMPORT_BYTES))


def test_the_server_refuses_a_small_chunked_body_over_the_limit_with_413(server: Server) -> None:
    for method, path, limit in TARGETS:
        assert send_chunked(server.port, method, path, limit + 1) == 413, (method, path)


@pytest.mark.parametrize("size", [1 * MiB, 64 * MiB, 512 * MiB], ids=["1MiB", "64MiB", "512MiB"])
def test_chunked_bodies_sent_in_parallel_are_refused_without_growing_the_server(server: Server, size: int) -> None:
    send_chunked(server.port, "POST", "/api/v1/health", 2 * MAX_BODY_BYTES)  # the code paths warmed up
    before = server.memory_kib("VmHWM")
    jobs = [(method, path) for method, path, limit in TARGETS if size > limit] * 2  # up to ten requests at once
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        statuses = list(pool.map(lambda job: send_chunked(server.port, job[0], job[1], size), jobs))
    grown = (server.memory_kib("VmHWM") - before) * 1024
    assert grown < RSS_BOUND, f"the server grew by {grown / MiB:.1f} MiB refusing {len(jobs)} bodies of {size} bytes"
    assert statuses == [413] * len(jobs)


def test_the_server_still_answers_after_the_refusals(server: Server) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/api/v1/health", timeout=10) as answer:
        assert answer.status == 200

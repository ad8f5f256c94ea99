"""Twenty people fire the same move on one case at the same instant, through a real HTTP server (uvicorn on a free
loopback port, in a thread): exactly one wins, the nineteen others are told the case changed (409), and the
history holds the move once. SQLite and PostgreSQL."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn

from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from tests.conftest import snapshot
from tests.e2e.api.conftest import World

CALLERS = 20


@pytest.fixture
def base_url(app: App, world: World) -> Iterator[str]:
    """The API served by uvicorn in a thread, on a port the system picked; stopped after the test."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(app), log_level="warning", lifespan="off", ws="none",
                                           access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped before it started"
        assert time.monotonic() < deadline, "uvicorn did not start within 10 s"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
        assert not thread.is_alive(), "uvicorn did not stop"


def fire_at_once(base_url: str, path: str, body: dict[str, object], headers: dict[str, str]) -> list[httpx.Response]:
    """`CALLERS` threads, each with its own connection, send the same request once all are ready."""
    barrier = threading.Barrier(CALLERS)

    def one(_: int) -> httpx.Response:
        with httpx.Client(base_url=base_url, timeout=60) as client:
            client.get("/api/v1/health").raise_for_status()  # connected before the race
            barrier.wait(timeout=30)
            return client.post(path, json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=CALLERS) as pool:
        return list(pool.map(one, range(CALLERS)))


SQLITE_POOL = ("bug: on SQLite every server thread keeps its own connection for good (Connections.release is "
               "a no-op), drawn from the engine's default QueuePool of 5 + 10 overflow; with more than 15 threads at "
               "once (uvicorn runs sync routes on up to 40), the 16th waits pool_timeout (30 s) and answers 500 "
               "sqlalchemy.exc.TimeoutError 'QueuePool limit of size 5 overflow 10 reached'")


def test_twenty_simultaneous_moves_one_wins_the_others_get_409_and_history_holds_one(
        request: pytest.FixtureRequest, app: App, world: World, base_url: str) -> None:
    advisor = world.as_("advisor")
    case_path = f"/api/v1/cases/{world.one.case_id}"
    with httpx.Client(base_url=base_url) as client:
        read = client.get(case_path, headers=advisor)
        assert read.status_code == 200
        history_before = client.get(f"{case_path}/history", headers=advisor).json()
    headers = {**advisor, "If-Match": read.headers["ETag"]}
    body = {"trigger": "break_trial", "reason": "rupture pendant l'essai", "facts": {"contract.ended_by": "employer"}}

    responses = fire_at_once(base_url, f"{case_path}/transitions", body, headers)

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [409] * (CALLERS - 1), [r.text for r in responses if r.status_code != 409]
    # Every loser is told the case changed since the version it named, before any guard looks at it.
    assert {response.json()["error"] for response in responses if response.status_code == 409} == {"conflict"}
    assert {response.json()["field"] for response in responses if response.status_code == 409} == {"If-Match"}
    [winner] = [response for response in responses if response.status_code == 200]
    assert winner.json()["event"]["to_state"] == "ended_in_trial"

    with httpx.Client(base_url=base_url) as client:
        history = client.get(f"{case_path}/history", headers=advisor).json()
        case = client.get(case_path, headers=advisor)
    assert history[:len(history_before)] == history_before
    assert [event["trigger"] for event in history[len(history_before):]] == ["break_trial"]
    assert case.json()["state"] == "ended_in_trial"
    assert case.headers["ETag"] == winner.headers["ETag"]
    assert case.json()["facts"]["contract"]["ended_by"] == "employer"
    reviews = snapshot(app)["review"]
    assert {(row["id"], row["state"]) for row in reviews if row["case_id"] == world.one.case_id} == {
        (world.one.held_review_id, "held"), (world.one.planned_review_id, "cancelled")}

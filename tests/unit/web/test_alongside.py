"""A page's side reads (web/alongside.py) never outlive the request: left normally or by an error (the board's
unknown programme is a 404 raised while its two network-wide reads run), the block waits for each one, so that no
read still holds a connection when the pool is closed."""

from __future__ import annotations

import threading
import time

import pytest

from contract_flow.web import alongside


def test_a_read_beside_a_failing_page_is_finished_when_the_page_is_left() -> None:
    finished = threading.Event()

    def slow_read() -> int:
        time.sleep(0.3)
        finished.set()
        return 1

    def page() -> None:
        with alongside.reads() as side:
            side.start(slow_read)
            raise LookupError("programme")

    with pytest.raises(LookupError):
        page()
    assert finished.is_set()


def test_a_read_gives_its_value_and_its_error_to_the_page() -> None:
    def failing() -> int:
        raise ValueError("unreadable")

    with alongside.reads() as side:
        value = side.start(lambda: 42)
        error = side.start(failing)
        assert value.result() == 42
        with pytest.raises(ValueError, match="unreadable"):
            error.result()

"""A real SMTP server for tests: aiosmtpd in a thread on a free loopback port, keeping what it receives.

Use::

    with SmtpSink() as sink:
        mailer = SmtpMailer("127.0.0.1", sink.port)
        ...  # send
        sink.wait_for(3)              # the 3 messages, parsed with email.policy.default
        sink.message_ids()            # their Message-IDs, in arrival order
        sink.received[0].rcpt_tos     # the envelope: Cc addresses are recipients too
        sink.wait(3)                  # the 3 Received records (envelope, bytes, Message-ID), nothing parsed
        sink.refuse("x@example.org")  # RCPT TO refused (550) from now on: to test a failed delivery
        sink.clear()

The port is picked by the system when the server binds (port 0) and read back from its socket, so two sinks
never race for a port. Safe to read from any thread while the server's thread appends.

On arrival the sink keeps the bytes and reads only the Message-ID header; a message is parsed the first time a
test asks for it. The server's thread runs in the test's (or the benchmark's) process and shares its CPU: parsing
every message there cost more than the worker spent writing it (bench/reminders.py, part b).
"""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from functools import cached_property
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller

REFUSED = "550 5.1.1 Mailbox unavailable (refused by the test sink)"
#: The Message-ID header, with any continuation lines, at the start of a line of the header block.
MESSAGE_ID = re.compile(rb"^message-id:[ \t]*((?:[^\r\n]|\r?\n[ \t])*)", re.IGNORECASE | re.MULTILINE)


def message_id_of(data: bytes) -> str | None:
    """The Message-ID header's value, as the parser gives it, read from the header block alone."""
    end = data.find(b"\r\n\r\n")
    found = MESSAGE_ID.search(data, 0, end if end >= 0 else len(data))
    return b" ".join(found.group(1).split()).decode("ascii", "replace") if found else None


@dataclass(frozen=True)
class Received:
    """One accepted message with its envelope; `peer` tells which connection carried it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    peer: tuple[str, int]
    data: bytes
    message_id: str | None

    @cached_property
    def message(self) -> EmailMessage:
        """Parsed with email.policy.default, the first time it is asked for."""
        return email.message_from_bytes(self.data, policy=email.policy.default)


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if self._sink.is_refused(address):
            return REFUSED
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = envelope.original_content or envelope.content
        peer = session.peer if isinstance(session.peer, tuple) else (str(session.peer), 0)
        self._sink._add(Received(envelope.mail_from, tuple(envelope.rcpt_tos), (peer[0], peer[1]), data,
                                 message_id_of(data)))
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """Binds port 0, then reads the port the system chose before the controller's own readiness check."""

    def _trigger_server(self) -> None:
        server: Any = self.server  # an asyncio.Server, bound by now
        self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]  # unannotated in aiosmtpd


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self._changed = threading.Condition()
        self._received: list[Received] = []
        self._refused: set[str] = set()
        self._awaited = 0  # the fewest messages a waiter waits for
        self._controller: _Controller | None = None

    @property
    def port(self) -> int:
        if self._controller is None:
            raise RuntimeError("the SMTP sink is not running")
        return int(self._controller.port)

    def start(self) -> Self:
        if self._controller is not None:
            raise RuntimeError("the SMTP sink is already running")
        # A fixed server_hostname spares aiosmtpd a getfqdn() (a DNS lookup) at start.
        controller = _Controller(_Handler(self), hostname=self.host, port=0, server_hostname="smtp-sink.test")
        try:
            controller.start()
        except BaseException:
            controller.stop(no_assert=True)
            if not controller.loop.is_closed():
                controller.loop.close()  # never ran: close it here, or it warns when collected
            raise
        self._controller = controller
        return self

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _add(self, received: Received) -> None:
        with self._changed:
            self._received.append(received)
            # Waiters are woken when there is enough for one of them, not at every message: each wake-up takes
            # the GIL from the server's thread.
            if len(self._received) >= self._awaited:
                self._changed.notify_all()

    def is_refused(self, address: str) -> bool:
        with self._changed:
            return address.lower() in self._refused

    def refuse(self, *addresses: str) -> None:
        """From now on, refuse these recipients at RCPT TO (550)."""
        with self._changed:
            self._refused.update(address.lower() for address in addresses)

    @property
    def received(self) -> list[Received]:
        with self._changed:
            return list(self._received)

    @property
    def messages(self) -> list[EmailMessage]:
        return [item.message for item in self.received]

    def message_ids(self) -> list[str]:
        return [str(item.message_id) for item in self.received]

    def wait(self, count: int, timeout: float = 5.0) -> list[Received]:
        """What was received, once at least `count` messages have arrived; TimeoutError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self._received)} message(s) received, {count} expected "
                                       f"within {timeout} s")
                self._awaited = count if self._awaited <= len(self._received) else min(self._awaited, count)
                self._changed.wait(left)
            return list(self._received)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """The messages, parsed, once at least `count` have arrived; TimeoutError after `timeout` seconds."""
        return [item.message for item in self.wait(count, timeout)]

    def clear(self) -> None:
        with self._changed:
            self._received.clear()
            self._refused.clear()

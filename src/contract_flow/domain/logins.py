"""Login throttling as a rule: after so many failed logins in a row, an account (or a client address) is locked
for a window that doubles with each further failure, up to a cap.

Why: the issue's attack (issue 12, item 5) tried 50 passwords in 5 seconds. ANSSI's recommendations on
authentication (« Recommandations relatives à l'authentification multifacteur et aux mots de passe », 2021,
R24-R25) and OWASP's Authentication Cheat Sheet ("Account lockout") ask for a limit on failed attempts with a
growing delay, so that guessing costs time, not just requests. The counters are kept per account (the email as
typed, normalised, known or not: an unknown email is throttled exactly as a known one, so that throttling does not
tell which emails have accounts) and per client address (one address trying many accounts).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class ThrottleKind(StrEnum):
    """What a failure counter counts for (`login_failure.kind`)."""

    ACCOUNT = "account"
    ADDRESS = "address"


@dataclass(frozen=True)
class Throttle:
    """The rule for one kind of counter: `max_failures` in a row lock for `base`, each further failure doubles
    the window, never beyond `cap`; failures older than `memory` (counted from the last one) are forgotten."""

    max_failures: int
    base: timedelta
    cap: timedelta
    memory: timedelta

    def __post_init__(self) -> None:
        if self.max_failures < 1:
            raise ValueError("max_failures: at least 1")
        if not timedelta(0) < self.base <= self.cap:
            raise ValueError("base and cap: 0 < base <= cap")

    def failures_after(self, failures: int, last_failed_at: datetime | None, now: datetime) -> int:
        """The count once this failure is added: the earlier ones count unless the last is older than memory."""
        if last_failed_at is None or now - last_failed_at > self.memory:
            return 1
        return failures + 1

    def lock_for(self, failures: int) -> timedelta | None:
        """How long `failures` failures in a row lock: None below max_failures, then base, 2 x base, 4 x base...
        up to cap."""
        if failures < self.max_failures:
            return None
        doublings = min(failures - self.max_failures, 40)  # 2**40 x a second is beyond any cap already
        window: timedelta = self.base * (2 ** doublings)
        return min(window, self.cap)


#: The longest key stored (`login_failure.key`): an email's maximum length (RFC 5321's 254).
MAX_KEY = 254


def account_key(email: str) -> str:
    """The account key of a typed email: what the login looks up (trimmed, lower case), known or not."""
    return email.strip().lower()[:MAX_KEY]


def address_key(host: str) -> str:
    """The address key of a client: its IPv4 address, or its IPv6 /64 network (RFC 6177: a /64 is what one
    subscriber gets; counting per IPv6 address would give each attacker 2^64 fresh counters); anything else
    (a test client's name) as it is."""
    try:
        address = ipaddress.ip_address(host.strip())
    except ValueError:
        return host.strip()[:MAX_KEY] or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)

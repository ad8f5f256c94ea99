"""The web login, throttled: a password is verified only for an account and an address that are not locked, and
each failure counts against both (issue 12, item 5; the rule in domain/logins.py).

One answer for every refusal: an unknown email, a user without a web login or deactivated, a wrong password and a
locked account or address all give None (the login page's one generic error), so that neither the answer nor its
throttling tells which emails have accounts: an unknown email's failures are counted and locked exactly as a known
one's. The verification itself runs on the App's `PasswordVerifier` (adapters/passwords.py), off the threads that
answer the API; when too many wait, `LoginBusy` (429, Retry-After) and nothing is counted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from contract_flow.adapters.passwords import PasswordVerifier, VerifierBusy, nobody
from contract_flow.adapters.tables import login_failure_table, person_table
from contract_flow.domain.logins import Throttle, ThrottleKind, account_key, address_key
from contract_flow.services.common import Configured, Store

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork
    from contract_flow.settings import Settings

#: A password longer than any that can be set (directory.MAX_PASSWORD) cannot match: only that much is hashed.
MAX_PASSWORD = 256


class LoginDeps(Store, Configured, Protocol):
    """A database, the time, the settings (the throttles) and the password verifier."""

    @property
    def passwords(self) -> PasswordVerifier: ...


class LoginBusy(Exception):
    """Too many logins being verified at once: the client should try again after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many logins at once; try again in {retry_after} s")
        self.retry_after = retry_after


def throttles(settings: Settings) -> dict[ThrottleKind, Throttle]:
    """Each kind of counter's rule, from the settings (login_* in settings.py, docs/operations.md)."""
    base = timedelta(seconds=settings.login_lockout_seconds)
    cap = timedelta(seconds=settings.login_lockout_max_seconds)
    memory = timedelta(seconds=settings.login_failure_memory_seconds)
    return {ThrottleKind.ACCOUNT: Throttle(settings.login_max_failures, base, cap, memory),
            ThrottleKind.ADDRESS: Throttle(settings.login_max_failures_per_address, base, cap, memory)}


def log_in(app: LoginDeps, email: str, password: str, address: str) -> int | None:
    """The person's id when `password` is theirs and neither the account nor `address` is locked; None otherwise
    (the same None for every refusal). A failure counts against the account and the address, a success forgets
    both counters; LoginBusy when the verifier's queue is full (nothing counted)."""
    now = app.clock.now()
    keys = {ThrottleKind.ACCOUNT: account_key(email), ThrottleKind.ADDRESS: address_key(address)}
    with app.uow(write=False) as uow:
        if _locked(uow, keys, now):
            # Refused before any hashing: a locked account costs an attacker a request, the server no argon2.
            return None
        row = uow.execute(sa.select(person_table.c.id, person_table.c.password_hash, person_table.c.active)
                          .where(person_table.c.email == keys[ThrottleKind.ACCOUNT])).first()
    # An unknown email, no web login or a deactivated user: a hash nobody knows the password of is verified all
    # the same, so the answer takes as long as a wrong password's.
    usable = row is not None and bool(row.password_hash) and bool(row.active)
    stored: str = row.password_hash if row is not None and usable else nobody(app.settings.password_hash_cost)
    try:
        matched = app.passwords.verify(stored, password[:MAX_PASSWORD])
    except VerifierBusy as busy:
        raise LoginBusy(busy.retry_after) from None
    person_id = int(row.id) if matched and usable and row is not None else None
    with app.uow() as uow:
        if person_id is None:
            rules = throttles(app.settings)
            for kind, key in keys.items():
                _count_failure(uow, rules[kind], kind, key, now)
            _forget_old(uow, max(rule.memory for rule in rules.values()), now)
        else:
            uow.execute(sa.delete(login_failure_table).where(_any_of(keys)))
        uow.commit()
    return person_id


def _any_of(keys: dict[ThrottleKind, str]) -> sa.ColumnElement[bool]:
    table = login_failure_table.c
    return sa.or_(*(sa.and_(table.kind == kind.value, table.key == key) for kind, key in keys.items()))


def _locked(uow: UnitOfWork, keys: dict[ThrottleKind, str], now: datetime) -> bool:
    locked: int = uow.execute(sa.select(sa.func.count()).select_from(login_failure_table).where(
        _any_of(keys), login_failure_table.c.locked_until > now)).scalar_one()
    return locked > 0


def _count_failure(uow: UnitOfWork, rule: Throttle, kind: ThrottleKind, key: str, now: datetime) -> None:
    """One more failure for (kind, key), locking it when the rule says so. The row is created if missing
    (ON CONFLICT DO NOTHING: two first failures at once both count), then read locked (FOR UPDATE on
    PostgreSQL; SQLite's writers are serialised by BEGIN IMMEDIATE) and updated."""
    table = login_failure_table
    insert = postgresql.insert if uow.connection.dialect.name == "postgresql" else sqlite.insert
    uow.execute(insert(table).values(kind=kind.value, key=key, failures=0)
                .on_conflict_do_nothing(index_elements=["kind", "key"]))
    row = uow.execute(sa.select(table.c.id, table.c.failures, table.c.first_failed_at, table.c.last_failed_at)
                      .where(table.c.kind == kind.value, table.c.key == key).with_for_update()).one()
    failures = rule.failures_after(row.failures, row.last_failed_at, now)
    lock = rule.lock_for(failures)
    uow.execute(sa.update(table).where(table.c.id == row.id).values(
        failures=failures, first_failed_at=row.first_failed_at if failures > 1 else now, last_failed_at=now,
        locked_until=now + lock if lock is not None else None))


def _forget_old(uow: UnitOfWork, memory: timedelta, now: datetime) -> None:
    """Counters no rule remembers any more go: an attacker typing random emails does not grow the table for
    ever (it grows by at most the failures of one memory window)."""
    table = login_failure_table.c
    uow.execute(sa.delete(login_failure_table).where(
        table.last_failed_at < now - memory, sa.or_(table.locked_until.is_(None), table.locked_until <= now)))

"""What the use cases share without calling each other: the dependencies each one names, who is acting, the
context a move is judged in, the version a caller saw, and codes as they are stored.

Each use case declares the dependencies it uses as a Protocol of this module's parts (a unit of work, a clock,
the legal rules, the reminder policies...) rather than the whole container: the composition root's `App`
provides all of them, and a test may pass a fake holding only what the use case names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from contract_flow.domain.access import Action, authorize, parts_to_judge
from contract_flow.domain.case import Actor, Case, Part, Role
from contract_flow.domain.context import TransitionContext
from contract_flow.domain.errors import ConflictError, InvalidInput, NotFound
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.services.dossier_assembly import dossier_refusals

if TYPE_CHECKING:
    from contract_flow.adapters.clock import Clock
    from contract_flow.adapters.smtp import SmtpMailer
    from contract_flow.domain.dossier import Refusal
    from contract_flow.domain.legal import LegalRules
    from contract_flow.domain.reminders import ReminderPolicies
    from contract_flow.services.unit_of_work import UnitOfWork
    from contract_flow.settings import Settings


# -- the dependencies a use case may name ------------------------------------------------------------------------

class Transactional(Protocol):
    def uow(self, *, write: bool = True) -> UnitOfWork: ...


class Clocked(Protocol):
    @property
    def clock(self) -> Clock: ...


class Ruled(Protocol):
    """The legal rules (rule set and programme calendars)."""

    @property
    def rules(self) -> LegalRules: ...


class Planned(Protocol):
    """The reminder policies."""

    @property
    def policies(self) -> ReminderPolicies: ...


class Configured(Protocol):
    @property
    def settings(self) -> Settings: ...


class Mailing(Protocol):
    @property
    def mailer(self) -> SmtpMailer: ...


class Store(Transactional, Clocked, Protocol):
    """A database and the time: what every writing use case needs."""


class Engine(Store, Ruled, Protocol):
    """A database, the time and the law: the use cases that judge a case's moves."""


# -- helpers -----------------------------------------------------------------------------------------------------

#: The email a trusted batch job acts as (the CLI's `--operator`) and the engine's own moves are recorded under.
OPERATOR = "system"


def resolve_actor(uow: UnitOfWork, email: str | Actor) -> Actor:
    """The user acting, from their email; `system` is the engine itself and the CLI's operator mode.

    An entrypoint that has already authenticated the user (the HTTP API, the pages) passes the `Actor`.
    """
    if isinstance(email, Actor):
        return email
    if email == OPERATOR:
        return Actor(email=OPERATOR, role=Role.SYSTEM)
    person = uow.people.find(email.strip().lower())
    if person is None:
        raise NotFound("user", email)
    return Actor(email=person["email"], role=Role(person["role"]), person_id=person["id"],
                 cfa_code=person["cfa_code"], case_id=person["case_id"])


def transition_context(app: Engine, uow: UnitOfWork, case: Case, actor: Actor, reason: str | None = None,
                       given: Mapping[str, str] | None = None, at: datetime | None = None) -> TransitionContext:
    """What a guard may know besides the case: who acts, when, the programme's seats, the law, its dossier."""
    return TransitionContext(
        actor=actor,
        now=at or app.clock.now(),
        reason=reason,
        facts=dict(given or {}),
        seats_taken=lambda: uow.cases.seats_taken(case.programme.code),
        rules=app.rules,
        dossier_refusals=lambda: _dossier_refusals(app, uow, case),
    )


def _dossier_refusals(app: Engine, uow: UnitOfWork, case: Case) -> list[Refusal]:
    """The case's dossier as it stands in this unit of work (the facts given with the move included), checked."""
    uow.cases.load_parts(case, (Part.CONTRACT,))
    return dossier_refusals(uow, case, app.rules)


def checked_version(case: Case, expected: int | None) -> int:
    """The version a save must find. A caller who names the version it saw (If-Match) is told at once when it is
    stale, before any guard: the case it reasoned about is no longer the case."""
    if expected is not None and case.version != expected:
        assert case.id is not None
        raise ConflictError(case.id, expected, case.version)
    return case.version


def authorize_on(uow: UnitOfWork, actor: Actor, action: Action, case: Case, *, kind: str = "case",
                 key: object = None) -> None:
    """The access policy (domain/access.py) on a case loaded in `uow`, with what of it the policy reads."""
    needed = parts_to_judge(actor) - case.loaded
    if needed:
        uow.cases.load_parts(case, needed)
    authorize(actor, action, case, kind=kind, key=key)


def token_hash(token: str) -> str:
    """An API token as stored: 256 random bits need no slow hash, a SHA-256 is enough (nothing to guess from)."""
    return hashlib.sha256(token.encode()).hexdigest()


def code(field: str, text: str) -> str:
    """A programme's or a CFA's code as stored: trimmed, in lower case, letters, digits, '-' or '_'."""
    value = text.strip().lower()
    if not value or len(value) > 40 or not all(c.isalnum() or c in "-_" for c in value):
        raise InvalidInput(field, Reason("not_a_code", typed=Typed(text)))
    return value


def programme_code(text: str, field: str = "programme") -> str:
    """A programme code as stored and looked up everywhere (CLI, API, import, board filters): trimmed and in
    lower case, so `MKX` and `mkx` name the same programme (issue 10)."""
    return code(field, text)

"""The composition root: builds settings, engine, clock and rules once, for every entrypoint.

Nothing connects at import time; `bootstrap()` is called by the CLI, the HTTP app and the workers, and by tests
with an in-memory or throwaway database and a fixed clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from sqlalchemy.engine import Engine

from contract_flow.adapters.clock import Clock, SystemClock
from contract_flow.adapters.db import make_engine
from contract_flow.adapters.passwords import PasswordVerifier
from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.domain.events import (
    CaseChanged,
    ContractBroken,
    ContractSigned,
    OpenCase,
    PassTrial,
    StartContract,
)
from contract_flow.domain.legal import LegalRules
from contract_flow.domain.reminders import ReminderPolicies
from contract_flow.rulefiles import (
    load_programme_funding,
    load_programme_skills,
    load_reminder_policies,
    load_ruleset,
)
from contract_flow.services import cases, dossier_versions, reminders, reviews
from contract_flow.services.messagebus import MessageBus
from contract_flow.services.unit_of_work import Connections, UnitOfWork
from contract_flow.settings import Settings, get_settings


@dataclass
class App:
    settings: Settings
    engine: Engine
    clock: Clock
    #: The legal rules and the reminder policies, loaded the first time a use case needs them.
    _rules: LegalRules | None = field(default=None, repr=False)
    _policies: ReminderPolicies | None = field(default=None, repr=False)
    #: Where email goes; tests and `make run` point it at a local SMTP server.
    mailer: SmtpMailer = field(init=False, repr=False)
    connections: Connections = field(init=False, repr=False)
    #: Hands what a use case recorded to the handlers that react to it, in its unit of work.
    bus: MessageBus = field(init=False, repr=False)
    #: Password verifications, on their own bounded executor (adapters/passwords.py): a login flood does not
    #: take the threads that answer the API.
    passwords: PasswordVerifier = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.connections = Connections(self.engine)
        self.mailer = SmtpMailer.from_settings(self.settings)
        self.bus = message_bus(self)
        self.passwords = PasswordVerifier(workers=self.settings.login_verify_workers,
                                          queue=self.settings.login_verify_queue, nice=self.settings.login_verify_nice,
                                          per_second=self.settings.login_verify_per_second)

    @property
    def policies(self) -> ReminderPolicies:
        if self._policies is None:
            self._policies = load_reminder_policies(self.settings.reminders_file)
        return self._policies

    def uow(self, *, write: bool = True) -> UnitOfWork:
        return UnitOfWork(self.connections, write=write, bus=self.bus)

    @property
    def rules(self) -> LegalRules:
        if self._rules is None:
            self._rules = load_legal_rules(self.settings)
        return self._rules

    def close(self) -> None:
        self.passwords.close()
        self.connections.close()


def message_bus(app: App) -> MessageBus:
    """Who reacts to what (cosmicpython's EVENT_HANDLERS), each handler given the dependencies it names.

    A break first cancels the reviews it leaves; a contract signed is kept as its dossier's next version (JSON
    and PDF, services/dossier_versions.py), then enters its trial at once if signed on or after its start; then
    any change re-plans the case's reminders: the handlers of an event run from its own class up to
    `CaseChanged`. The contract's start and the trial's end are commands the engine sends itself.
    """
    return MessageBus(
        event_handlers={
            ContractBroken: [reviews.cancel_reviews_left],
            ContractSigned: [partial(dossier_versions.keep_signed_version, app),
                             partial(cases.start_if_already_started, app)],
            CaseChanged: [partial(reminders.replan_after, app)],
        },
        command_handlers={StartContract: partial(cases.start_contract, app),
                          PassTrial: partial(cases.pass_trial, app), OpenCase: partial(cases.open_case_in, app)},
    )


def load_legal_rules(settings: Settings) -> LegalRules:
    """The rule set of `settings.rules_file`. Programme calendars are not files any more: each is stored with
    its programme and read with its cases (`adapters.calendars`); a programme without one cannot sign (issue
    10: the former default, every weekday a company day, ended trials two months early)."""
    return LegalRules(load_ruleset(settings.rules_file), funding_for=load_programme_funding,
                      skills_for=load_programme_skills)


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    database_url: str | None = None,
) -> App:
    settings = settings or get_settings()
    url = database_url or settings.database_url
    engine = engine or make_engine(url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    return App(settings=settings, engine=engine, clock=clock or SystemClock())

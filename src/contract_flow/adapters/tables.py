"""The database schema, as SQLModel tables. Alembic's migrations are generated from this metadata.

Rows never become domain objects by inheritance: `repository.py` maps them to the plain classes of `domain/`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from contract_flow.domain.reasons import Reason, Typed

# Constraint names are fixed so that migrations and both databases agree on them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MONEY = sa.Numeric(10, 2)
HOURS = sa.Numeric(5, 2)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) as on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database: times are stored as aware UTC")
        return value.astimezone(UTC) if dialect.name != "sqlite" else value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _stored(value: object) -> object:
    """A Reason's value as JSON keeps it: a day, an amount and a typed text tagged, so they come back as they were;
    the Reason keeps its English too, read instead when its key or values no longer match the catalogue."""
    if isinstance(value, Reason):
        return {"reason": value.key, "values": {name: _stored(part) for name, part in value.values},
                "text": str(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, Typed):
        return {"typed": value.text}
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _read(value: Any) -> Any:
    if isinstance(value, dict) and "reason" in value:
        try:
            return Reason(value["reason"], **{name: _read(part) for name, part in value["values"].items()})
        except (KeyError, IndexError, ValueError):  # a reason renamed or reworded since: its English as it was
            return str(value.get("text", value["reason"]))
    if isinstance(value, dict) and "date" in value:
        return date.fromisoformat(value["date"])
    if isinstance(value, dict) and "decimal" in value:
        return Decimal(value["decimal"])
    if isinstance(value, dict) and "typed" in value:
        return Typed(value["typed"])
    return value


class LegalSources(sa.TypeDecorator[dict[str, list[str]]]):
    """A contract's sources (value name -> texts) as JSON, where a text the engine wrote is a Reason kept as its key
    and values (`{"reason": ..., "values": {...}}`), so the case page and the invoices word it in the reader's
    language; a citation of the law is kept as written, and a row written before reasons were kept is read as
    its English text."""

    impl = sa.JSON
    cache_ok = True

    def process_bind_param(self, value: dict[str, list[str]] | None, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        return {name: [_stored(text) for text in texts] for name, texts in value.items()}

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> dict[str, list[str]] | None:
        if value is None:
            return None
        return {name: [_read(text) for text in texts] for name, texts in value.items()}


def _aware(nullable: bool = False) -> Any:
    return sa.Column(UtcDateTime(), nullable=nullable)


class Programme(SQLModel, table=True):
    __tablename__ = "programme"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200)
    cfa_code: str = Field(max_length=40, index=True)
    start_date: date
    years: int
    seats: int
    #: The level of the diploma prepared (3 CAP ... 7 master/engineer, 8 doctorate; décret 2019-14): the employer
    #: participation (L6332-14) depends on it. None: not recorded, and the participation is not computed.
    level: int | None = None
    #: The school periods (L6222-18 counts the trial in company days): `{"school": [{"from", "to", "note"?}],
    #: "first_review_within_months"?, "review_cadence_months"?}`, dates as ISO text, the shape of a programme
    #: file. None: no calendar yet, and no contract can be signed (`contract-flow programme calendar`).
    school_calendar: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    #: SHA-256 of the calendar as stored: read with every case, it keys the per-process cache of parsed
    #: calendars, so a replaced calendar is read again by every process.
    calendar_version: str | None = Field(default=None, max_length=64)


class Person(SQLModel, table=True):
    """A user of the engine: advisor, programme lead, tutor, mentor or apprentice."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    cfa_code: str | None = Field(default=None, max_length=40)
    language: str = Field(default="fr", max_length=5)
    #: An apprentice user is linked to their case (`user add --case ID`).
    case_id: int | None = Field(default=None, foreign_key="apprenticeship_case.id")
    created_at: datetime = Field(sa_column=_aware())
    #: The web login's password as an argon2id hash (`user add --password`); None: no web login, API only.
    password_hash: str | None = Field(default=None, max_length=200)
    #: False: deactivated (`user deactivate`): no login, no session, no API token is accepted.
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    #: Carried by every session cookie; a session whose version is not this one is over. A password change, a
    #: role change, a deactivation and `user sessions --revoke` bump it: every session of the person ends at once.
    session_version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    deactivated_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))


class ApiToken(SQLModel, table=True):
    """A bearer token of the HTTP API: only its SHA-256 is kept (the token itself is shown once)."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_column=_aware())
    revoked_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))
    #: After it the token is refused (setting api_token_days). None: a token issued before expiries existed,
    #: which expires 90 days after its created_at.
    expires_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))
    #: The last request it authenticated, written at most once a minute per token (the hot path stays a read).
    last_used_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))


class LoginFailure(SQLModel, table=True):
    """Failed logins counted per account (kind "account", key the email) or per client address (kind "address"),
    for login throttling: after a few failures, a growing delay, then a lockout until `locked_until`."""

    __tablename__ = "login_failure"
    __table_args__ = (sa.UniqueConstraint("kind", "key", name="uq_login_failure_kind_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)
    key: str = Field(max_length=254)
    failures: int = Field(default=0)
    first_failed_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))
    last_failed_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))
    locked_until: datetime | None = Field(default=None, sa_column=_aware(nullable=True))


class CaseRecord(SQLModel, table=True):
    """One candidate's case. `version` is the optimistic lock: every write checks and bumps it."""

    __tablename__ = "apprenticeship_case"
    __table_args__ = (sa.Index("ix_case_programme_state", "programme_id", "state"),
                      # an import finds the case a row names: same programme and birth date (then the names)
                      sa.Index("ix_case_programme_birth_date", "programme_id", "birth_date"),
                      # a board column: a state's most recently moved cases (services/queries.board_cards), read
                      # in order from here rather than sorting the state's thousands
                      sa.Index("ix_case_state_since", "state", "state_since", "id"),
                      # the board's TDB counts take off the cases opened after the day they count for
                      # (adapters/tdb_tally.py): none on the clock's day, found here rather than by a pass
                      sa.Index("ix_case_opened_at", "opened_at"))

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id")
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    birth_date: date
    email: str = Field(max_length=254, index=True)
    track: str = Field(max_length=20)
    state: str = Field(max_length=20, index=True)
    version: int = Field(default=1)
    event_count: int = Field(default=0)
    opened_at: datetime = Field(sa_column=_aware())
    state_since: datetime = Field(sa_column=_aware())
    target_job: str | None = Field(default=None, max_length=200)
    mobility_area: str | None = Field(default=None, max_length=200)
    project_validated_by: str | None = Field(default=None, max_length=254)
    project_validated_on: date | None = None
    derogation: str | None = Field(default=None, max_length=40)
    previous_contract_end: date | None = None
    previous_contract_pay: Decimal | None = Field(default=None, sa_type=MONEY)
    previous_contract_year: int | None = None
    previous_contract_same_employer: bool | None = None
    completed_lower_secondary: bool = False
    programme_year: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    #: Indexed: an advisor's lists, «needs me» and the to-do list find their cases by it (issue 15, item 11).
    advisor_email: str | None = Field(default=None, max_length=254, index=True)
    #: Indexed: a tutor's pages and to-do list find their cases by it.
    tutor_email: str | None = Field(default=None, max_length=254, index=True)
    #: The `id` column of the CSV row that opened the case (the CFA's own admission number): a file imported
    #: again finds its rows by it (services.importer).
    import_id: str | None = Field(default=None, max_length=100, index=True)
    legal_representative_email: str | None = Field(default=None, max_length=254)


class ApplicationRecord(SQLModel, table=True):
    __tablename__ = "application"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="apprenticeship_case.id", index=True)
    company: str = Field(max_length=200)
    siret: str | None = Field(default=None, max_length=14)
    applied_on: date
    status: str = Field(max_length=20)


class OfferRecord(SQLModel, table=True):
    __tablename__ = "offer"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="apprenticeship_case.id", index=True)
    company: str | None = Field(default=None, max_length=200)
    siret: str | None = Field(default=None, max_length=14)
    gross_monthly_pay: Decimal | None = Field(default=None, sa_type=MONEY)
    start_date: date | None = None
    weekly_hours: Decimal | None = Field(default=None, sa_type=HOURS)
    received_on: date | None = None
    status: str = Field(max_length=20)


def _partial(where: str) -> dict[str, Any]:
    """A partial index's condition, the same on both databases."""
    return {"postgresql_where": sa.text(where), "sqlite_where": sa.text(where)}


#: The contracts not filed with the OPCO, current (ix_contract_unfiled's condition), as each database's SQL writes
#: `current_contract()`'s condition (a partial index serves a query whose WHERE holds its terms as written).
UNFILED = {"postgresql": "opco_filed_on IS NULL AND NOT superseded",
           "sqlite": "opco_filed_on IS NULL AND superseded = 0"}


class ContractRecord(SQLModel, table=True):
    __tablename__ = "contract"
    # The board's risks (services/risk_query.py) seek the few contracts with a deadline near or an OPCO's refusal:
    # without these, each kind read the whole table (its rows are wide: 64 MB for a network's 45,000 contracts);
    # the last one is the board's counts'.
    __table_args__ = (sa.Index("ix_contract_trial_end", "trial_end"),
                      # the case's current contract's filing due, read from the index alone on PostgreSQL
                      sa.Index("ix_contract_unfiled", "opco_filing_due", postgresql_include=["case_id"],
                               postgresql_where=sa.text(UNFILED["postgresql"]),
                               sqlite_where=sa.text(UNFILED["sqlite"])),
                      sa.Index("ix_contract_awaiting_decision", "opco_decision_due",
                               **_partial("opco_filed_on IS NOT NULL AND opco_decision IS NULL")),
                      sa.Index("ix_contract_refused", "case_id", **_partial("opco_decision = 'refused'")),
                      # a mentor's load (R6223-6) finds their contracts whatever the case of the letters
                      # (adapters/dossiers._naming): without it, every contract of the network (15 ms at 45,000)
                      sa.Index("ix_contract_mentor_email_folded", sa.text("lower(mentor_email)")),
                      # a month's invoice lines: due on the trial's end (ix_contract_trial_end) or on a break
                      sa.Index("ix_contract_ended_on", "ended_on"),
                      # The board's network-wide counts (services/filing.filing_board) read these of every
                      # contract: an index-only scan on PostgreSQL (INCLUDE), not the rows.
                      sa.Index("ix_contract_case_dates", "case_id", "id", postgresql_include=[
                          "signed", "start_date", "end_date", "ended_on", "termination_reason", "ended_by",
                          "cancellation_reason", "opco_filed_on", "opco_decision", "opco_decision_due",
                          "superseded"]))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="apprenticeship_case.id", index=True)
    signature_date: date | None = None
    signature_place: str | None = Field(default=None, max_length=200)
    start_date: date | None = None
    end_date: date | None = None
    employer_siret: str | None = Field(default=None, max_length=14)
    employer_name: str | None = Field(default=None, max_length=200)
    employer_email: str | None = Field(default=None, max_length=254)
    mentor_name: str | None = Field(default=None, max_length=200)
    #: Indexed: a mentor's pages (services.access.case_scope) and a mentor's load (R6223-6) find contracts by it.
    mentor_email: str | None = Field(default=None, max_length=254, index=True)
    gross_monthly_pay: Decimal | None = Field(default=None, sa_type=MONEY)
    weekly_hours: Decimal | None = Field(default=None, sa_type=HOURS)
    signed: bool = False
    trial_end: date | None = None
    opco_filing_due: date | None = None
    training_start_due: date | None = None
    pay_schedule: list[dict[str, str]] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    opco_filed_on: date | None = None
    opco_name: str | None = Field(default=None, max_length=100)
    opco_decision: str | None = Field(default=None, max_length=10)
    opco_decided_on: date | None = None
    deca_number: str | None = Field(default=None, max_length=15)
    opco_refusal_reason: str | None = Field(default=None, max_length=500)
    practical_training_start: date | None = None
    medical_visit_due: date | None = None
    medical_visit_on: date | None = None
    opco_decision_due: date | None = None
    hiring_aid_filing_due: date | None = None
    participation_amount: Decimal | None = Field(default=None, sa_type=MONEY)
    mediator_referral_on: date | None = None
    employer_informed_on: date | None = None
    notice_given_on: date | None = None
    legal_sources: dict[str, list[str]] | None = Field(default=None,
                                                       sa_column=sa.Column(LegalSources, nullable=True))
    ended_on: date | None = None
    ended_by: str | None = Field(default=None, max_length=20)
    cancellation_reason: str | None = Field(default=None, max_length=200)
    termination_reason: str | None = Field(default=None, max_length=40)
    #: A newer contract of the case exists: this one is not its current contract (services.case_filters.
    #: current_contract). Written by the case repository when it adds the newer one, never by the domain; the board's
    #: lists read it rather than looking for a newer contract of each case (an anti-join over every contract).
    superseded: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false()))


class AbsenceRecord(SQLModel, table=True):
    """Days away from the company, per case: they push the trial end back (L6222-18)."""

    __tablename__ = "absence"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="apprenticeship_case.id", index=True)
    first_day: date
    last_day: date
    reason: str | None = Field(default=None, max_length=200)
    recorded_by: str = Field(max_length=254)


class ReviewRecord(SQLModel, table=True):
    """A tripartite review: planned, then held (with its record and the three acknowledgements) or missed."""

    __tablename__ = "review"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="apprenticeship_case.id", index=True)
    due_by: date
    planned_at: datetime = Field(sa_column=_aware())
    scheduled_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))
    place: str = Field(max_length=300)
    participants: dict[str, str] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    state: str = Field(max_length=20)
    attended: dict[str, bool] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    skills: dict[str, str] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    mentor_observations: str | None = Field(default=None, max_length=4000)
    tutor_observations: str | None = Field(default=None, max_length=4000)
    next_steps: str | None = Field(default=None, max_length=4000)
    acknowledged: dict[str, str] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    version: int = 1


class ReminderRecord(SQLModel, table=True):
    """The reminder ledger: one row per reminder and channel, the source of truth for what is due and sent.

    `idempotency_key` is unique: planning the same reminder twice finds the row already there, and a row sent
    is never sent again. The sweep reads due rows through the (status, due_at) index.
    """

    __tablename__ = "reminder"
    __table_args__ = (sa.Index("ix_reminder_status_due_at", "status", "due_at"),
                      # The sender looks up the other steps of the series of the rows it is about to send.
                      sa.Index("ix_reminder_series", "series"))

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=400, unique=True)
    case_id: int = Field(foreign_key="apprenticeship_case.id", index=True)
    kind: str = Field(max_length=40)
    recipient_role: str = Field(max_length=20)
    recipient: str = Field(max_length=254)
    channel: str = Field(max_length=10)
    due_at: datetime = Field(sa_column=_aware())
    status: str = Field(max_length=10)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=2000)
    payload: dict[str, str] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    created_at: datetime = Field(sa_column=_aware())
    claimed_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))
    claim_token: str | None = Field(default=None, max_length=40)
    #: From when its message is no longer true: not sent after it (status `expired`).
    expires_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))
    #: The countdown it is a step of (per person and channel): a step due after a gap supersedes the earlier.
    series: str | None = Field(default=None, max_length=400)
    #: Why it is `expired` ("expired": its moment passed; "superseded": a later step of its series fell due).
    reason: str | None = Field(default=None, max_length=40)
    sent_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))
    message_id: str | None = Field(default=None, max_length=300)


class InboxMessage(SQLModel, table=True):
    """The in-app inbox: one message per reminder sent on the `app` channel."""

    __tablename__ = "inbox_message"

    id: int | None = Field(default=None, primary_key=True)
    reminder_id: int = Field(foreign_key="reminder.id", unique=True)
    recipient: str = Field(max_length=254, index=True)
    case_id: int = Field(foreign_key="apprenticeship_case.id")
    kind: str = Field(max_length=40)
    subject: str = Field(max_length=300)
    body: str = Field(max_length=8000)
    created_at: datetime = Field(sa_column=_aware())
    read_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))


class EventRecord(SQLModel, table=True):
    """Append-only history: one row per transition, numbered per case."""

    __tablename__ = "case_event"
    __table_args__ = (sa.UniqueConstraint("case_id", "seq", name="uq_case_event_case_id_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="apprenticeship_case.id")
    seq: int
    from_state: str = Field(max_length=20)
    to_state: str = Field(max_length=20)
    trigger: str = Field(max_length=30)
    actor: str = Field(max_length=254)
    reason: str | None = Field(default=None, max_length=2000)
    at: datetime = Field(sa_column=_aware())
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))


class DossierSectionRecord(SQLModel, table=True):
    """One section of a case's contract dossier (CERFA FA13), saved on its own with its own version (optimistic
    lock): `data` is what people changed from the pre-fill, as `domain.dossier.section_data` texts by key ("" for
    a value they emptied); the values the case itself holds (contract dates, employer, mentor, pay, hours) are not
    kept here but on the case (services/dossier.py)."""

    __tablename__ = "dossier_section"
    __table_args__ = (sa.UniqueConstraint("case_id", "section", name="uq_dossier_section_case_id_section"),
                      # a mentor's load (R6223-6) finds the dossiers naming them as the second mentor, whatever the
                      # case of the letters (adapters/dossiers._naming): without it, every mentors section of the
                      # network was read (35 ms at 100,000 cases). PostgreSQL only: SQLite's JSON path differs.
                      sa.Index("ix_dossier_second_mentor", sa.text("lower(data ->> '2.email')"),
                               postgresql_where=sa.text("section = 'mentors'")).ddl_if(dialect="postgresql"))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="apprenticeship_case.id")
    section: str = Field(max_length=20)
    data: dict[str, str] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    version: int = 1
    updated_at: datetime = Field(sa_column=_aware())
    updated_by: str = Field(max_length=254)


class DossierVersionRecord(SQLModel, table=True):
    """A kept version of a case's dossier: the one signed (version 1), then one per amendment. Its JSON and its
    PDF are stored as produced then, so that downloading it again gives the same bytes whatever changed since."""

    __tablename__ = "dossier_version"
    __table_args__ = (sa.UniqueConstraint("case_id", "version", name="uq_dossier_version_case_id_version"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="apprenticeship_case.id")
    version: int
    #: "signed" or "amendment".
    kind: str = Field(max_length=12)
    created_at: datetime = Field(sa_column=_aware())
    created_by: str = Field(max_length=254)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    pdf: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))


class AmendmentRecord(SQLModel, table=True):
    """An amendment (avenant) to a signed contract: its CERFA type code (31-38), effective date, reason, the
    changes it made (field, old, new) and the dossier version it produced."""

    __tablename__ = "amendment"
    __table_args__ = (sa.UniqueConstraint("case_id", "number", name="uq_amendment_case_id_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="apprenticeship_case.id")
    number: int
    type_code: str = Field(max_length=2)
    effective_on: date
    reason: str = Field(max_length=500)
    changes: list[dict[str, str]] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    created_at: datetime = Field(sa_column=_aware())
    created_by: str = Field(max_length=254)
    dossier_version: int


class ImportJob(SQLModel, table=True):
    """A CSV import too large for one request, run by a worker: its file until it is done, its progress (rows
    processed of total) and its report, per row: imported (the case), already there (the case), refused (field,
    rule)."""

    __tablename__ = "import_job"

    id: int | None = Field(default=None, primary_key=True)
    #: The CFA whose programmes the rows may name (None: the operator's CLI, every programme).
    cfa_code: str | None = Field(default=None, max_length=40)
    programmes: list[str] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    created_by: str = Field(max_length=254)
    created_at: datetime = Field(sa_column=_aware())
    started_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))
    status: str = Field(max_length=10)
    total: int = 0
    processed: int = 0
    imported: int = 0
    already: int = 0
    refused: int = 0
    content: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    report: list[dict[str, Any]] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    error: str | None = Field(default=None, max_length=2000)


class TdbPush(SQLModel, table=True):
    """One push of a CFA's learners to the Tableau de bord (issue 16, item 1): when, by whom (a user's email, or
    "beat"), of which day's feed, to which endpoint, how many items in how many batches, and what came back.
    `month_key` ("<cfa>:<YYYY-MM>") is the monthly beat's claim: unique, so that one push a month is made whatever
    the number of workers (a manual push has none). Status: running, then sent, partial (some items with errors),
    failed (5xx or timeouts after the retries) or refused (a 4xx: a bad key)."""

    __tablename__ = "tdb_push"

    id: int | None = Field(default=None, primary_key=True)
    cfa_code: str = Field(max_length=40, index=True)
    started_at: datetime = Field(sa_column=_aware())
    finished_at: datetime | None = Field(default=None, sa_column=_aware(nullable=True))
    as_of: date
    trigger: str = Field(max_length=10)  # beat, cli, api, page
    by: str = Field(max_length=254)
    endpoint: str = Field(max_length=10)  # prod, test
    status: str = Field(max_length=10)
    items_sent: int = 0
    items_with_errors: int = 0
    batches: int = 0
    answer: str | None = Field(default=None, max_length=2000)
    month_key: str | None = Field(default=None, max_length=60, unique=True)


class TdbPushError(SQLModel, table=True):
    """An item of a push refused, by our own check before sending (source "local") or by the TDB's answer
    ("tdb"): the case (no foreign key: an erased case keeps its push's count), the id sent, the field and why."""

    __tablename__ = "tdb_push_error"

    id: int | None = Field(default=None, primary_key=True)
    push_id: int = Field(foreign_key="tdb_push.id", index=True)
    case_id: int | None = Field(default=None, index=True)
    id_erp_apprenant: str = Field(max_length=100)
    field: str = Field(max_length=80)
    message: str = Field(max_length=500)
    source: str = Field(max_length=10)  # local, tdb


class ExportLog(SQLModel, table=True):
    """One nominative export of a list of cases (issue 16, item 5): who, when, which list and filter, in what
    format, how many rows. Kept so that the CFA can say who took which names out of the engine (RGPD art. 5-2,
    accountability; art. 30, the record of processing). `filter` may hold a searched name (`q`) and `by_email`
    is a staff member's: both are personal data (adapters/export_log.py names them for the retention)."""

    __tablename__ = "export_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_aware())
    by_email: str = Field(max_length=254)
    #: The exporter's CFA (None: the operator, every CFA's); staff read their CFA's exports.
    cfa_code: str | None = Field(default=None, max_length=40, index=True)
    kind: str = Field(max_length=10)  # cases, risk (domain.exports.ExportKind)
    format: str = Field(max_length=4)  # csv, xlsx (domain.exports.ExportFormat)
    via: str = Field(max_length=4)  # page, api, cli
    language: str = Field(max_length=2)
    #: The list's filter as chosen, `{"q", "programme", "advisor", "state", "needs_me"}`, only those given.
    filter: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    rows: int


class AnonymisationRecord(SQLModel, table=True):
    """The anonymisation log (issue 16, item 6): one row per case or person anonymised, when, why (`retention`:
    its period ran out; `request`: the person asked), by whom and by which rule, and how many rows of each table
    were changed. It holds no personal value: the case's id, the person's id, counts."""

    __tablename__ = "anonymisation"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_aware())
    #: "case" or "person".
    subject: str = Field(max_length=10)
    case_id: int | None = Field(default=None, index=True)
    person_id: int | None = None
    #: "retention" or "request".
    why: str = Field(max_length=10)
    #: domain.retention.Rule: "candidate", "contract", "eu_funding" or "request".
    rule: str = Field(max_length=20)
    #: The day the case became due (None for a request).
    due_on: date | None = None
    #: Who: a staff member's email, "system" (the operator's CLI) or "beat" (the daily job).
    by: str = Field(max_length=254)
    #: Rows changed (or removed) per table.
    tables: dict[str, int] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))


class TdbTallyRow(SQLModel, table=True):
    """The board's TDB counts kept as the cases change (issue 15, item 11; adapters/tdb_tally.py): how many cases
    of a programme, entered in a year, followed or not by the engine, have the contracts `contracts`
    (domain.tdb_status.tally_key). The cases' status is computed from the group on the day it is read."""

    __tablename__ = "tdb_tally"

    programme_id: int = Field(primary_key=True, foreign_key="programme.id", sa_column_kwargs={"autoincrement": False})
    programme_year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    followed: bool = Field(primary_key=True)
    contracts: str = Field(primary_key=True, sa_type=sa.Text)
    cases: int


class TdbTallyCase(SQLModel, table=True):
    """Where each case is counted in `tdb_tally` (none: a case no feed sends, domain.tdb_status.ever_sent), so that
    a change moves it from its group to its new one."""

    __tablename__ = "tdb_tally_case"
    __table_args__ = (sa.Index("ix_tdb_tally_case_group", "programme_id", "programme_year", "followed", "contracts"),)

    case_id: int = Field(primary_key=True, foreign_key="apprenticeship_case.id",
                         sa_column_kwargs={"autoincrement": False})
    programme_id: int = Field(foreign_key="programme.id")
    programme_year: int
    followed: bool
    contracts: str = Field(sa_type=sa.Text)


programme_table = Programme.__table__  # type: ignore[attr-defined]
person_table = Person.__table__  # type: ignore[attr-defined]
case_table = CaseRecord.__table__  # type: ignore[attr-defined]
application_table = ApplicationRecord.__table__  # type: ignore[attr-defined]
offer_table = OfferRecord.__table__  # type: ignore[attr-defined]
contract_table = ContractRecord.__table__  # type: ignore[attr-defined]
event_table = EventRecord.__table__  # type: ignore[attr-defined]
absence_table = AbsenceRecord.__table__  # type: ignore[attr-defined]
review_table = ReviewRecord.__table__  # type: ignore[attr-defined]
reminder_table = ReminderRecord.__table__  # type: ignore[attr-defined]
inbox_table = InboxMessage.__table__  # type: ignore[attr-defined]
token_table = ApiToken.__table__  # type: ignore[attr-defined]
login_failure_table = LoginFailure.__table__  # type: ignore[attr-defined]
import_job_table = ImportJob.__table__  # type: ignore[attr-defined]
dossier_section_table = DossierSectionRecord.__table__  # type: ignore[attr-defined]
dossier_version_table = DossierVersionRecord.__table__  # type: ignore[attr-defined]
amendment_table = AmendmentRecord.__table__  # type: ignore[attr-defined]
tdb_push_table = TdbPush.__table__  # type: ignore[attr-defined]
tdb_push_error_table = TdbPushError.__table__  # type: ignore[attr-defined]
export_log_table = ExportLog.__table__  # type: ignore[attr-defined]
anonymisation_table = AnonymisationRecord.__table__  # type: ignore[attr-defined]
tdb_tally_table = TdbTallyRow.__table__  # type: ignore[attr-defined]
tdb_tally_case_table = TdbTallyCase.__table__  # type: ignore[attr-defined]
metadata = SQLModel.metadata

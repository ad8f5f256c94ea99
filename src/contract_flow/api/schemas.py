"""Request and response bodies. Requests refuse unknown fields (422 naming the field); sizes are bounded."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Text = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(min_length=1, max_length=4000)]
FactValue = Annotated[str, Field(max_length=400)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TransitionIn(Strict):
    trigger: Annotated[str, Field(min_length=1, max_length=40, examples=["start_applying"])]
    reason: Annotated[str, Field(max_length=2000)] | None = None
    facts: Annotated[dict[Annotated[str, Field(max_length=60)], FactValue], Field(max_length=40)] = {}


class FactsIn(Strict):
    facts: Annotated[dict[Annotated[str, Field(max_length=60)], FactValue], Field(min_length=1, max_length=40)]
    reason: Annotated[str, Field(max_length=2000)] | None = None


class CaseIn(Strict):
    programme: Annotated[str, Field(min_length=1, max_length=40)]
    first_name: Annotated[str, Field(min_length=1, max_length=100)]
    last_name: Annotated[str, Field(min_length=1, max_length=100)]
    birth_date: date
    email: Annotated[str, Field(min_length=3, max_length=254)]
    track: Annotated[str, Field(pattern="^(excellence|standard)$")] = "standard"
    advisor: Annotated[str, Field(max_length=254)] | None = None


class ApplicationIn(Strict):
    company: Text
    siret: Annotated[str, Field(max_length=20)] | None = None
    applied_on: date | None = None


class OfferIn(Strict):
    company: Text | None = None
    siret: Annotated[str, Field(max_length=20)] | None = None
    gross_monthly_pay: Annotated[str, Field(max_length=20, examples=["1234.56"])] | None = None
    start_date: date | None = None
    weekly_hours: Annotated[str, Field(max_length=10, examples=["35"])] | None = None


class ContractIn(Strict):
    signature_date: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    employer_siret: Annotated[str, Field(max_length=20)] | None = None
    employer_name: Text | None = None
    employer_email: Annotated[str, Field(max_length=254)] | None = None
    mentor_name: Text | None = None
    mentor_email: Annotated[str, Field(max_length=254)] | None = None
    gross_monthly_pay: Annotated[str, Field(max_length=20)] | None = None
    weekly_hours: Annotated[str, Field(max_length=10)] | None = None
    opco_filed_on: date | None = None


class AbsenceIn(Strict):
    first_day: date = Field(alias="from")
    last_day: date = Field(alias="to")
    reason: Text | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=False)


class ReviewPlanIn(Strict):
    planned_at: datetime
    place: Annotated[str, Field(min_length=1, max_length=300)] | None = None


class ReviewLogIn(Strict):
    attended: Annotated[list[Annotated[str, Field(pattern="^(apprentice|mentor|tutor)$")]], Field(max_length=3)]
    skills: Annotated[dict[Annotated[str, Field(min_length=1, max_length=100)], Annotated[str, Field(max_length=20)]],
                      Field(max_length=50)]
    mentor_observations: LongText | None = None
    tutor_observations: LongText | None = None
    next_steps: LongText | None = None


class ReviewMissIn(Strict):
    reason: LongText


class ReviewRescheduleIn(Strict):
    planned_at: datetime
    place: Annotated[str, Field(min_length=1, max_length=300)] | None = None


class ProgrammeIn(Strict):
    code: Annotated[str, Field(min_length=1, max_length=40)]
    name: Text
    start_date: date
    years: Annotated[int, Field(ge=1, le=4)] = 3
    seats: Annotated[int, Field(ge=1, le=10_000)] = 40
    #: The level of the diploma prepared, 3 (CAP) to 8 (doctorate): the employer participation depends on it.
    level: Annotated[int | None, Field(ge=3, le=8)] = None


class SchoolPeriodIn(Strict):
    """One school period, whole days, both included: every other weekday is a company day (L6222-18)."""

    from_: date = Field(alias="from")
    to: date
    note: Annotated[str | None, Field(max_length=200)] = None


class CalendarIn(Strict):
    """A programme's school calendar: its periods, without overlap."""

    school: Annotated[list[SchoolPeriodIn], Field(min_length=1, max_length=200)]


# -- responses ----------------------------------------------------------------------------------------------
class TrialMovedOut(BaseModel):
    case_id: int
    old: date
    new: date


class CalendarReplacedOut(BaseModel):
    code: str
    calendar_version: str
    school_periods: int
    #: The cases in trial whose trial end the new calendar moved (each history says so).
    moved: list[TrialMovedOut]


class ValueChangeOut(BaseModel):
    value: str
    #: The first day the change applies to (the pay); null for a date replaced whole.
    from_: date | None = Field(serialization_alias="from")
    old: str | None
    new: str | None


class CaseImpactOut(BaseModel):
    case: int
    candidate: str
    state: str
    changes: list[ValueChangeOut]


class ProgrammeOut(BaseModel):
    code: str
    name: str
    cfa_code: str
    start_date: date
    years: int
    seats: int
    #: The school calendar's version (SHA-256) and its school periods; null and 0: none yet, so no contract of
    #: this programme can be signed (`contract-flow programme calendar CODE FILE`).
    calendar_version: str | None = None
    school_periods: int = 0
    level: int | None = None


class CaseSummaryOut(BaseModel):
    id: int
    programme: str
    first_name: str
    last_name: str
    birth_date: date
    email: str
    state: str
    version: int


class CasePage(BaseModel):
    items: list[CaseSummaryOut]
    total: int
    limit: int | None
    offset: int


class EventOut(BaseModel):
    case_id: int | None
    seq: int
    from_state: str
    to_state: str
    trigger: str
    actor: str
    reason: str | None
    at: datetime
    facts: dict[str, str]


class ParticipationOut(BaseModel):
    """The employer participation as the CFA invoices it (GET /api/v1/invoices gives the same lines)."""

    amount: str | None
    due_on: date | None
    status: str
    source: str


class ContractMoneyOut(BaseModel):
    hiring_aid_filing_due: date | None
    #: The article the deadline comes from (décret 2026-168: the aid is lost past it).
    hiring_aid_source: str | None
    participation: ParticipationOut | None


class CaseFilingOut(BaseModel):
    """A signed contract's filing with its OPCO today (issue 14, item 6; GET /cases/{id}/filing says more)."""

    status: Literal["not_filed", "waiting", "accepted", "refused", "refused_silence"]
    filed_on: date | None = None
    opco: str | None = None
    decision_due: date | None = None
    decided_on: date | None = None
    deca_number: str | None = None
    refusal_reason: str | None = None


class CaseDetail(BaseModel):
    id: int
    state: str
    step: int | None
    version: int
    opened_at: datetime | None
    state_since: datetime | None
    facts: dict[str, Any]
    allowed: list[str]
    blocked: dict[str, list[str]]
    history: list[EventOut]
    #: A signed contract's money: the hiring-aid filing deadline with its article, the employer participation.
    money: ContractMoneyOut | None = None
    #: A signed contract's filing with its OPCO (D6224-1, D6224-2); None before the signature.
    filing: CaseFilingOut | None = None


class MovedOut(BaseModel):
    event: EventOut
    version: int


class VersionOut(BaseModel):
    id: int
    version: int
    state: str


class ReviewOut(BaseModel):
    id: int
    case_id: int
    due_by: date
    planned_at: datetime
    place: str
    participants: dict[str, str]
    state: str
    attended: dict[str, bool]
    skills: dict[str, str]
    mentor_observations: str | None
    tutor_observations: str | None
    next_steps: str | None
    acknowledged: dict[str, datetime]
    version: int


# Codes stay codes; beside each, `<field>_label` names it in the caller's language (contract_flow.labels).
class InboxItemOut(BaseModel):
    id: int
    case_id: int
    kind: str
    kind_label: str
    subject: str
    body: str
    received_at: datetime
    read_at: datetime | None


class InboxReadAllOut(BaseModel):
    marked: int = Field(description="How many of your messages were unread and are now read")


class ReminderOut(BaseModel):
    id: int
    key: str
    case_id: int
    kind: str
    kind_label: str
    recipient_role: str
    recipient_role_label: str
    recipient: str
    channel: str
    channel_label: str
    due_at: datetime
    status: str
    status_label: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    expires_at: datetime | None = Field(description="From when its message is no longer true: not sent after")
    reason: str | None = Field(description="Why it was not sent (`expired`: its moment passed; `superseded`: a "
                                           "later step of its series fell due)")
    reason_label: str | None


class RiskOut(BaseModel):
    case_id: int
    candidate: str
    state: str
    kind: str
    detail: str
    due: date | None


class FilingCountsOut(BaseModel):
    """A programme's running contracts by where they stand with their OPCO (refused: by silence too)."""

    signed: int
    filed: int
    accepted: int
    refused: int
    waiting: int


class BoardOut(BaseModel):
    counts: dict[str, dict[str, int]]
    at_risk: list[RiskOut]
    #: Per programme, its running contracts signed / filed / accepted / refused / waiting (issue 14, item 6).
    filing: dict[str, FilingCountsOut] = {}


class Health(BaseModel):
    status: str
    database: str

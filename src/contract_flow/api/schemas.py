"""Request and response bodies. Requests refuse unknown fields (422 naming the field); sizes are bounded."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from contract_flow.domain.case import RECORDS
from contract_flow.domain.states import CaseState, Trigger

Text = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(min_length=1, max_length=4000)]
FactValue = Annotated[str, Field(max_length=400)]
#: A history entry's trigger: a move of the chart, or a record that does not move the case (facts, an absence).
HistoryTrigger = Annotated[str, Field(json_schema_extra={"enum": [*Trigger, *sorted(RECORDS)]}, description=(
    "The trigger fired, or `record_facts` / `record_absence` for facts or an absence recorded without a move"))]
FACTS_DESCRIPTION = ("Facts as `key: value` texts, e.g. `project.target_job`, `contract.start_date` (ISO dates), "
                     "`contract.gross_monthly_pay` (euros, `1234.56`); `contract-flow case facts` lists every key")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TransitionIn(Strict):
    """A move: the trigger to fire, why (kept in the history), and facts recorded in the same transaction."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"trigger": "start_applying", "facts": {"project.target_job": "Technicien de maintenance",
                                                "project.mobility_area": "Gard"}},
        {"trigger": "withdraw", "reason": "Poursuit en école d'ingénieurs"}]})

    trigger: Annotated[str, Field(min_length=1, max_length=40, json_schema_extra={"enum": list(Trigger)},
                                  description="The trigger to fire (GET the case: `allowed` lists those "
                                              "its state allows now)")]
    reason: Annotated[str, Field(max_length=2000, description="Why, kept in the case's history")] | None = None
    facts: Annotated[dict[Annotated[str, Field(max_length=60)], FactValue],
                     Field(max_length=40, description=FACTS_DESCRIPTION)] = {}
    application: Annotated[int, Field(ge=1, le=2**31 - 1, description=(
        "shortlist only: the id of the application (facts.applications[].id) whose company takes the candidate "
        "into its selection; the latest application sent when left out"))] | None = None


class ApplicationChange(Strict):
    """What changes in one application: the fields given (the others stay); a SIRET given empty is cleared."""

    company: Text | None = None
    siret: Annotated[str, Field(max_length=20)] | None = None
    applied_on: date | None = None
    reason: Annotated[str, Field(max_length=2000, description="Why, kept in the case's history")] | None = None


class FactsIn(Strict):
    """Facts recorded without moving the case."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"facts": {"project.target_job": "Technicien de maintenance", "project.mobility_area": "Gard"}}]})

    facts: Annotated[dict[Annotated[str, Field(max_length=60)], FactValue],
                     Field(min_length=1, max_length=40, description=FACTS_DESCRIPTION)]
    reason: Annotated[str, Field(max_length=2000)] | None = None


class CaseIn(Strict):
    """A new case, in `reflect`: the candidate and the programme they apply to."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"programme": "mecatronique", "first_name": "Inès", "last_name": "Martin", "birth_date": "2005-03-14",
         "email": "ines.martin@example.org", "track": "standard"}]})

    programme: Annotated[str, Field(min_length=1, max_length=40, description="The programme's code")]
    first_name: Annotated[str, Field(min_length=1, max_length=100)]
    last_name: Annotated[str, Field(min_length=1, max_length=100)]
    birth_date: date
    email: Annotated[str, Field(min_length=3, max_length=254)]
    track: Annotated[str, Field(pattern="^(excellence|standard)$")] = "standard"
    advisor: Annotated[str, Field(max_length=254, description="The advisor's email (default: you)")] | None = None


class ApplicationIn(Strict):
    """An application sent to a company."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"company": "Industries du Gard", "siret": "73282932000074", "applied_on": "2026-03-10"}]})

    company: Text
    siret: Annotated[str, Field(max_length=20)] | None = None
    applied_on: date | None = None


class OfferIn(Strict):
    """The terms a company offers (each optional: send what is known)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"company": "Industries du Gard", "siret": "73282932000074", "gross_monthly_pay": "1234.56",
         "start_date": "2026-09-01", "weekly_hours": "35"}]})

    company: Text | None = None
    siret: Annotated[str, Field(max_length=20)] | None = None
    gross_monthly_pay: Annotated[str, Field(max_length=20, examples=["1234.56"])] | None = None
    start_date: date | None = None
    weekly_hours: Annotated[str, Field(max_length=10, examples=["35"])] | None = None


class ContractIn(Strict):
    """The contract's terms as agreed (each optional: send what is known)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"signature_date": "2026-06-15", "start_date": "2026-09-01", "end_date": "2029-08-31",
         "employer_siret": "73282932000074", "employer_name": "Industries du Gard",
         "mentor_name": "Marie Maître", "mentor_email": "marie.maitre@industrie.example",
         "gross_monthly_pay": "1234.56", "weekly_hours": "35"}]})

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
    """Days away from the company, both included: during the trial they move its end (L6222-18)."""

    first_day: date = Field(alias="from")
    last_day: date = Field(alias="to")
    reason: Text | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=False, json_schema_extra={"examples": [
        {"from": "2026-09-22", "to": "2026-09-24", "reason": "Arrêt maladie"}]})


class ReviewPlanIn(Strict):
    """When and where the next due review takes place."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"planned_at": "2026-10-20T14:00:00+02:00", "place": "Salle B12"}]})

    planned_at: datetime
    place: Annotated[str, Field(min_length=1, max_length=300)] | None = None


class ReviewLogIn(Strict):
    """What took place at a review: who attended, each skill's level, the observations and next steps."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"attended": ["apprentice", "mentor", "tutor"], "skills": {"soudage": "acquired"},
         "tutor_observations": "Bon début.", "next_steps": "Autonomie sur la ligne 2."}]})

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


CASE_SUMMARY_EXAMPLE: JsonDict = {"id": 42, "programme": "mecatronique", "first_name": "Inès", "last_name": "Martin",
                        "birth_date": "2005-03-14", "email": "ines.martin@example.org", "state": "apply",
                        "version": 3}


class CaseSummaryOut(BaseModel):
    id: int
    programme: str
    first_name: str
    last_name: str
    birth_date: date
    email: str
    state: CaseState
    version: int


class CasePage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [CASE_SUMMARY_EXAMPLE], "total": 1, "limit": 50, "offset": 0}]})

    items: list[CaseSummaryOut]
    total: int
    limit: int | None
    offset: int


EVENT_EXAMPLE: JsonDict = {
    "case_id": 42, "seq": 3, "from_state": "reflect", "to_state": "apply", "trigger": "start_applying",
    "actor": "conseil@cfa.example", "reason": "projet validé en entretien", "at": "2026-03-02T10:00:00Z",
    "facts": {"project.target_job": "Technicien de maintenance"}}


class EventOut(BaseModel):
    """One entry of a case's history: a move, or facts recorded without one (then the two states are equal)."""

    model_config = ConfigDict(json_schema_extra={"examples": [EVENT_EXAMPLE]})

    case_id: int | None
    seq: int
    from_state: CaseState
    to_state: CaseState
    trigger: HistoryTrigger
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
    """A case as its staff see it: where it stands, what may happen next and what blocks the rest."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id": 42, "state": "apply", "step": 2, "version": 3, "opened_at": "2026-03-02T09:00:00Z",
         "state_since": "2026-03-02T10:00:00Z",
         "facts": {"candidate": {"first_name": "Inès", "last_name": "Martin"},
                   "project": {"target_job": "Technicien de maintenance"}},
         "allowed": ["withdraw"],
         "blocked": {"shortlist": ["needs a recorded application to a company (fact application.company; brochure, "
                                     "step 2 «Candidater»)"]},
         "history": [EVENT_EXAMPLE], "money": None, "filing": None}]})

    id: int
    state: CaseState
    #: The brochure's step, 1 to 6, during the search; null after it.
    step: int | None = Field(description="The search's step, 1 (reflect) to 6 (sign); null after the search")
    version: int = Field(description="Send it back as If-Match on a write (also the ETag)")
    opened_at: datetime | None
    state_since: datetime | None
    facts: dict[str, Any] = Field(description="Everything recorded, by part (candidate, project, applications, "
                                              "offers, contract, ...)")
    allowed: list[Trigger] = Field(description="The triggers that may be fired now")
    blocked: dict[str, list[str]] = Field(description="For each other trigger of the state, what stops it: the "
                                                      "facts missing, or the date before which it cannot happen")
    history: list[EventOut]
    #: A signed contract's money: the hiring-aid filing deadline with its article, the employer participation.
    money: ContractMoneyOut | None = None
    #: A signed contract's filing with its OPCO (D6224-1, D6224-2); None before the signature.
    filing: CaseFilingOut | None = None


class MovedOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"event": EVENT_EXAMPLE, "version": 4}]})

    event: EventOut
    version: int = Field(description="The case's new version (also the ETag)")


class VersionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": 42, "version": 4, "state": "apply"}]})

    id: int
    version: int = Field(description="The case's new version (also the ETag): the next write's If-Match")
    state: CaseState


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
    #: Per programme, its cases by the status the Tableau de bord computes today (issue 16, item 3).
    tdb_status: dict[str, dict[str, int]] = {}


class Health(BaseModel):
    status: str
    database: str

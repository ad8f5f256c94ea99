"""A case: one candidate's way from the first reflection to the end of the contract, as plain objects.

Rows live in the persistence layer; the repository maps them to these classes and back. Parts of a case that
only some triggers need (applications, offers, contract) are loaded on demand: `Case.loaded` says which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from contract_flow.domain.rules.calendar import ProgrammeCalendar
from contract_flow.domain.states import CaseState

if TYPE_CHECKING:
    from contract_flow.domain.events import Event


class Role(StrEnum):
    ADVISOR = "advisor"
    PROGRAMME_LEAD = "programme_lead"
    TUTOR = "tutor"
    MENTOR = "mentor"
    APPRENTICE = "apprentice"
    SYSTEM = "system"


class Track(StrEnum):
    """How the candidate was declared admissible (brochure, "Admission")."""

    EXCELLENCE = "excellence"  # admissible on file
    STANDARD = "standard"  # after a motivation interview and/or an English test


class Part(StrEnum):
    """The parts of a case kept in their own tables, loaded only when a use case needs them."""

    APPLICATIONS = "applications"
    OFFERS = "offers"
    CONTRACT = "contract"
    ABSENCES = "absences"


ALL_PARTS: frozenset[Part] = frozenset(Part)


@dataclass(frozen=True)
class Actor:
    """Who fires a trigger; recorded on the event."""

    email: str
    role: Role
    person_id: int | None = None
    #: The CFA a staff member works for, and the case an apprentice user is linked to: what the access policy
    #: (domain/access.py) compares with the case's parties.
    cfa_code: str | None = None
    case_id: int | None = None


SYSTEM_ACTOR = Actor(email="system", role=Role.SYSTEM)


@dataclass
class Candidate:
    first_name: str
    last_name: str
    birth_date: date
    email: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class Project:
    """Step 1, «Réfléchir»: the target job profile and the geographic mobility."""

    target_job: str | None = None
    mobility_area: str | None = None
    validated_by: str | None = None
    validated_on: date | None = None


class ApplicationStatus(StrEnum):
    SENT = "sent"
    SHORTLISTED = "shortlisted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # the candidate withdrew it
    CLOSED = "closed"  # the contract that followed the search broke: a resumed search starts anew


@dataclass
class Application:
    company: str
    applied_on: date
    siret: str | None = None
    status: ApplicationStatus = ApplicationStatus.SENT
    id: int | None = None
    dirty: bool = True


class OfferStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CLOSED = "closed"  # the contract that followed it ended


@dataclass
class Offer:
    company: str | None = None
    siret: str | None = None
    gross_monthly_pay: Decimal | None = None
    start_date: date | None = None
    weekly_hours: Decimal | None = None
    received_on: date | None = None
    status: OfferStatus = OfferStatus.OPEN
    id: int | None = None
    dirty: bool = True

    @property
    def is_current(self) -> bool:
        return self.status in (OfferStatus.OPEN, OfferStatus.ACCEPTED)


@dataclass(frozen=True)
class Absence:
    """Days the apprentice was away from the company (illness, leave...): they do not count in the trial."""

    first: date
    last: date
    reason: str | None = None
    id: int | None = None


class BreakParty(StrEnum):
    """L6222-18: during the trial either party may end the contract, without formality; before the start, the party
    who asked for the cancellation both agreed to."""

    APPRENTICE = "apprentice"
    EMPLOYER = "employer"


class TerminationReason(StrEnum):
    """L6222-18 and L6222-18-1: the only grounds to break a contract after the trial."""

    MUTUAL_AGREEMENT = "mutual_agreement"
    DISMISSAL_FORCE_MAJEURE = "dismissal_force_majeure"
    DISMISSAL_SERIOUS_MISCONDUCT = "dismissal_serious_misconduct"
    DISMISSAL_UNFITNESS = "dismissal_unfitness"
    DISMISSAL_SOLE_MENTOR_DEATH = "dismissal_sole_mentor_death"
    RESIGNATION_AFTER_MEDIATOR = "resignation_after_mediator"
    EXCLUSION_FROM_CFA = "exclusion_from_cfa"
    DIPLOMA_OBTAINED = "diploma_obtained"


@dataclass
class ContractTerms:
    """The contract being prepared, then signed; a case that resumes its search starts a new one."""

    signature_date: date | None = None
    #: Where the contract is signed (CERFA FA13: «Fait à»), recorded with its date at signature.
    signature_place: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    employer_siret: str | None = None
    employer_name: str | None = None
    employer_email: str | None = None
    mentor_name: str | None = None
    mentor_email: str | None = None
    gross_monthly_pay: Decimal | None = None
    weekly_hours: Decimal | None = None
    signed: bool = False
    trial_end: date | None = None
    opco_filing_due: date | None = None
    training_start_due: date | None = None
    #: The minimum pay periods fixed at signature: [{"from", "to", "contract_year", "age_band", "percent",
    #: "reference", "minimum_monthly_gross"}], amounts and dates as text (the schedule the employer must follow).
    pay_schedule: list[dict[str, str]] | None = None
    opco_filed_on: date | None = None
    #: The OPCO the contract was filed with (CERFA FA13, employer section), recorded with the filing.
    opco_name: str | None = None
    #: The OPCO's answer (D6224-2): "accepted" (with the DECA number it registered) or "refused" (with its reason);
    #: None while it is awaited. Silence past opco_decision_due counts as a refusal without being recorded here.
    opco_decision: str | None = None
    opco_decided_on: date | None = None
    #: The contract's number in DECA, given by the OPCO with its acceptance (PUBLIC-SYSTEMS.md §1).
    deca_number: str | None = None
    opco_refusal_reason: str | None = None
    #: L6222-12: the first day of practical training in the company (CERFA «date de début de la formation
    #: pratique chez l'employeur»); at most 3 months after the contract start. None: the contract start.
    practical_training_start: date | None = None
    #: R6222-40-1, R4624-18: the medical visit (visite d'information et de prévention), due, then done.
    medical_visit_due: date | None = None
    medical_visit_on: date | None = None
    #: The OPCO decides within 20 days of a complete filing; silence is a refusal.
    opco_decision_due: date | None = None
    #: The State's hiring aid is lost unless the contract reaches the OPCO within 6 months of its conclusion.
    hiring_aid_filing_due: date | None = None
    #: L6332-14, R6332-25-1: the employer participation the CFA invoices at the end of the trial.
    participation_amount: Decimal | None = None
    #: D6222-21-1: an apprentice's resignation after the trial goes through the mediator first.
    mediator_referral_on: date | None = None
    employer_informed_on: date | None = None
    #: L6222-19: an apprentice who obtained the diploma ends the contract with 2 months' written notice.
    notice_given_on: date | None = None
    #: Provenance of every value the rules computed and the contract keeps: for each value's name (trial_end,
    #: opco_filing_due, ...) the rule-set entries it used, as "text (in force from YYYY-MM-DD)".
    legal_sources: dict[str, list[str]] | None = None
    ended_on: date | None = None
    #: Who ended it: during the trial, the party who broke it; before the start, the party who asked to cancel it.
    ended_by: BreakParty | None = None
    #: Why a contract signed was cancelled by agreement before its start (the parties' own words).
    cancellation_reason: str | None = None
    termination_reason: TerminationReason | None = None
    id: int | None = None
    dirty: bool = False


@dataclass(frozen=True)
class ProgrammeTerms:
    """What the engine needs to know of the case's programme."""

    code: str
    years: int
    seats: int
    start_date: date
    cfa_code: str | None = None
    #: The school periods stored with the programme (None: none yet, and no contract can be signed).
    calendar: ProgrammeCalendar | None = field(default=None, compare=False, repr=False)
    #: The level of the diploma prepared (décret 2019-14: 3 to 8); None when not recorded.
    level: int | None = None


@dataclass(frozen=True)
class CaseEvent:
    """One entry of a case's history, append-only: a transition, or facts recorded without moving.

    For a transition `trigger` is the chart's trigger; for recorded facts it is `RECORD_FACTS` and the state
    stays the same (replay skips it).
    """

    case_id: int | None
    seq: int
    from_state: CaseState
    to_state: CaseState
    trigger: str
    actor: str
    reason: str | None
    at: datetime
    facts: dict[str, str]


RECORD_FACTS = "record_facts"
RECORD_ABSENCE = "record_absence"
#: History entries that record something without moving the case.
RECORDS = frozenset({RECORD_FACTS, RECORD_ABSENCE})


@dataclass(eq=False)
class Case:
    id: int | None
    programme: ProgrammeTerms
    candidate: Candidate
    track: Track
    state: CaseState = CaseState.REFLECT
    version: int = 0
    event_count: int = 0
    opened_at: datetime | None = None
    state_since: datetime | None = None
    project: Project = field(default_factory=Project)
    derogation: str | None = None
    previous_contract_end: date | None = None
    #: D6222-29: a successive contract pays at least what the previous one paid in its last year (same
    #: employer), or at least the minimum of that contract year (another employer).
    previous_contract_pay: Decimal | None = None
    previous_contract_year: int | None = None
    previous_contract_same_employer: bool | None = None
    completed_lower_secondary: bool = False
    #: The year of the programme the case enters (brochure: M1 holders may enter year 2): the contract then
    #: lasts the rest of the cycle, and D6222-28-1 counts the years skipped as served.
    programme_year: int = 1
    advisor_email: str | None = None
    tutor_email: str | None = None
    #: A minor apprentice's legal representative, copied on the reminders sent to the apprentice.
    legal_representative_email: str | None = None
    loaded: set[Part] = field(default_factory=lambda: set(ALL_PARTS))
    _applications: list[Application] = field(default_factory=list)
    _offers: list[Offer] = field(default_factory=list)
    _contract: ContractTerms = field(default_factory=ContractTerms)
    _absences: list[Absence] = field(default_factory=list)
    #: History entries written since the case was loaded, for the repository to append.
    new_events: list[CaseEvent] = field(default_factory=list)
    #: What happened to it since it was loaded (domain.events), for the unit of work to hand to the handlers.
    events: list[Event] = field(default_factory=list)

    def _require(self, part: Part) -> None:
        if part not in self.loaded:
            # A programming error, not a user's: the service asked for too few parts.
            raise RuntimeError(f"case {self.id}: part {part} was not loaded")

    @property
    def applications(self) -> list[Application]:
        self._require(Part.APPLICATIONS)
        return self._applications

    @property
    def offers(self) -> list[Offer]:
        self._require(Part.OFFERS)
        return self._offers

    @property
    def contract(self) -> ContractTerms:
        self._require(Part.CONTRACT)
        return self._contract

    @contract.setter
    def contract(self, terms: ContractTerms) -> None:
        self._contract = terms
        self.loaded.add(Part.CONTRACT)

    @property
    def absences(self) -> list[Absence]:
        self._require(Part.ABSENCES)
        return self._absences

    @property
    def current_offer(self) -> Offer | None:
        current = [offer for offer in self.offers if offer.is_current]
        return current[-1] if current else None

    @property
    def open_applications(self) -> list[Application]:
        return [a for a in self.applications if a.status is ApplicationStatus.SENT]

    @property
    def shortlisted_application(self) -> Application | None:
        found = [a for a in self.applications if a.status is ApplicationStatus.SHORTLISTED]
        return found[-1] if found else None

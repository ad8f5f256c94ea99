"""The contract dossier: the CERFA FA13 (n° 10103*14) as data, one frozen dataclass per section of the form.

A dossier is filled in steps, by several people (the advisor, the mentor, the apprentice): every field may be
absent (None) until `completeness.missing` says it is required. Values are already checked (`parse`): codes are
those of `codes`, identifiers are normalised (SIRET 14 digits, NIR 15 characters, UAI 8, NAF "28.99B", IDCC
4 digits, RNCP "RNCP12345", DECA number 15 characters), phones in the international form (+33612345678).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from contract_flow.domain.dossier.codes import AMENDMENTS


class Section(StrEnum):
    """The form's sections, in its order; each is saved on its own."""

    EMPLOYER = "employer"
    APPRENTICE = "apprentice"
    MENTORS = "mentors"
    CONTRACT = "contract"
    PAY = "pay"
    TRAINING = "training"


@dataclass(frozen=True)
class Address:
    number: str | None = None  # with its repetition index: "12", "12 bis"
    street: str | None = None
    complement: str | None = None
    postcode: str | None = None
    town: str | None = None

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, part.name) is None for part in fields(self))


@dataclass(frozen=True)
class Employer:
    public: bool | None = None
    siret: str | None = None
    name: str | None = None
    address: Address = field(default_factory=Address)
    phone: str | None = None
    email: str | None = None
    employer_type: str | None = None  # codes.EMPLOYER_TYPES: 11-16 private, 21-29 public
    specific_employer: str | None = None  # codes.SPECIFIC_EMPLOYERS
    headcount: int | None = None
    idcc_code: str | None = None  # 4 digits; 9999 none, 9998 being negotiated
    idcc_name: str | None = None
    naf_code: str | None = None  # "28.99B"
    opco: str | None = None


@dataclass(frozen=True)
class LegalRepresentative:
    """Who signs with a minor apprentice who is not emancipated (R6222-2)."""

    name: str | None = None
    email: str | None = None
    address: Address = field(default_factory=Address)

    @property
    def is_empty(self) -> bool:
        return self.name is None and self.email is None and self.address.is_empty


@dataclass(frozen=True)
class Apprentice:
    last_name: str | None = None
    usage_name: str | None = None
    first_name: str | None = None
    sex: str | None = None  # codes.SEXES
    birth_date: date | None = None
    born_in_france: bool | None = None
    birth_town: str | None = None
    birth_department: str | None = None  # codes.DEPARTMENTS; 99 abroad
    nir: str | None = None
    nationality: str | None = None  # codes.NATIONALITIES
    social_scheme: str | None = None  # codes.SOCIAL_SCHEMES
    address: Address = field(default_factory=Address)
    phone: str | None = None
    email: str | None = None
    rqth: bool | None = None  # recognised disabled worker
    boe: bool | None = None  # beneficiary of the employment obligation (L5212-13)
    disability_equivalence: bool | None = None  # young-person equivalence (L5213-2)
    business_creation: bool | None = None
    high_level_athlete: bool | None = None
    situation_before: str | None = None  # codes.SITUATIONS
    last_diploma_prepared: str | None = None  # codes.DIPLOMAS
    last_diploma_title: str | None = None
    highest_diploma: str | None = None  # codes.DIPLOMAS
    last_class: str | None = None  # codes.LAST_CLASSES
    minor: bool | None = None  # on the signature date
    not_emancipated: bool | None = None
    legal_representative: LegalRepresentative = field(default_factory=LegalRepresentative)


@dataclass(frozen=True)
class Mentor:
    """A maître d'apprentissage and what their eligibility rests on (R6223-22, L6223-8-1)."""

    last_name: str | None = None
    first_name: str | None = None
    birth_date: date | None = None
    job: str | None = None
    diploma: str | None = None  # the highest diploma or title held, as written
    diploma_level: str | None = None  # codes.LEVELS: 0, 3-8
    diploma_in_field: bool | None = None  # in the professional field of the diploma prepared
    experience_years: int | None = None  # of activity related to the qualification prepared
    email: str | None = None
    eligibility_attested: bool | None = None  # the employer attests the mentor is eligible


@dataclass(frozen=True)
class ContractSection:
    mode: str | None = None  # codes.CONTRACT_MODES
    contract_type: str | None = None  # codes.CONTRACT_TYPES
    derogation: str | None = None  # codes.DEROGATIONS
    previous_contract_number: str | None = None  # DECA number of the previous (or amended) contract
    signature_date: date | None = None
    start_date: date | None = None
    practical_training_start: date | None = None
    end_date: date | None = None
    amendment_effective_date: date | None = None
    weekly_hours: int | None = None
    weekly_minutes: int | None = None
    risky_work: bool | None = None
    smc: Decimal | None = None  # the collective agreement minimum, monthly gross
    hiring_pay: Decimal | None = None  # gross monthly pay at hiring
    food_benefit: Decimal | None = None  # € per meal
    housing_benefit: Decimal | None = None  # € per month
    other_benefits: bool | None = None
    pension_fund: str | None = None  # supplementary pension fund
    signature_place: str | None = None
    documents_attested: bool | None = None  # the employer holds the supporting documents

    @property
    def is_amendment(self) -> bool:
        return self.contract_type in AMENDMENTS

    @property
    def weekly_time(self) -> Decimal | None:
        """Hours a week, minutes as a fraction (35 h 30 -> 35.5)."""
        if self.weekly_hours is None:
            return None
        return Decimal(self.weekly_hours) + Decimal(self.weekly_minutes or 0) / 60


@dataclass(frozen=True)
class PayLine:
    """One period of the pay (a contract year, split at an age-band change): the rate the employer pays, at least
    the legal minimum rate, of the SMIC or of the collective agreement's minimum (SMC), and its monthly amount."""

    contract_year: int | None = None
    start: date | None = None
    end: date | None = None
    rate: Decimal | None = None  # %
    minimum_rate: Decimal | None = None  # %
    reference: str | None = None  # codes.PAY_REFERENCES
    monthly_gross: Decimal | None = None


@dataclass(frozen=True)
class Training:
    cfa_run_by_employer: bool | None = None
    cfa_siret: str | None = None
    cfa_uai: str | None = None
    cfa_name: str | None = None
    cfa_address: Address = field(default_factory=Address)
    place_siret: str | None = None  # the main training place, when not the CFA itself
    place_uai: str | None = None
    place_name: str | None = None
    place_address: Address = field(default_factory=Address)
    rncp_code: str | None = None
    diploma_code: str | None = None
    title: str | None = None
    diploma_type: str | None = None  # codes.DIPLOMAS
    training_start: date | None = None
    exams_end: date | None = None
    training_hours: int | None = None
    remote_hours: int | None = None


Mentors = tuple[Mentor, ...]
PayLines = tuple[PayLine, ...]
SectionValue = Employer | Apprentice | Mentors | ContractSection | PayLines | Training


@dataclass(frozen=True)
class Dossier:
    """The whole form. `mentors` holds one or two mentors (none yet while unfilled); `pay_lines` the pay periods."""

    employer: Employer = field(default_factory=Employer)
    apprentice: Apprentice = field(default_factory=Apprentice)
    mentors: Mentors = ()
    contract: ContractSection = field(default_factory=ContractSection)
    pay_lines: PayLines = ()
    training: Training = field(default_factory=Training)

    def section(self, name: Section) -> SectionValue:
        return getattr(self, _ATTRIBUTES[name])  # type: ignore[no-any-return]

    def with_section(self, name: Section, value: SectionValue) -> Dossier:
        """A copy with one section replaced (each section is saved on its own)."""
        kind = _KINDS[name]
        items = value if isinstance(value, tuple) else (value,)
        if isinstance(value, tuple) != (name in (Section.MENTORS, Section.PAY)) or not all(
                isinstance(item, kind) for item in items):
            raise TypeError(f"the {name} section holds {kind.__name__} values, not {value!r}")
        changes: dict[str, Any] = {_ATTRIBUTES[name]: value}
        return replace(self, **changes)


_ATTRIBUTES = {Section.EMPLOYER: "employer", Section.APPRENTICE: "apprentice", Section.MENTORS: "mentors",
               Section.CONTRACT: "contract", Section.PAY: "pay_lines", Section.TRAINING: "training"}
_KINDS: dict[Section, type] = {Section.EMPLOYER: Employer, Section.APPRENTICE: Apprentice, Section.MENTORS: Mentor,
                               Section.CONTRACT: ContractSection, Section.PAY: PayLine, Section.TRAINING: Training}

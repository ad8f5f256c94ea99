"""Facts a person records on a case as `key=value` (`contract-flow case set 12 offer.siret=...`).

Each key has one parser (which names the key in its error) and says which part of the case it touches, so a use
case loads just that. Facts are applied all or nothing: a bad value leaves the case as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from contract_flow.domain import values
from contract_flow.domain.case import (
    Application,
    BreakParty,
    Case,
    ContractTerms,
    Offer,
    Part,
    TerminationReason,
)
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.siret import normalise_siret, siret_problem

#: L6222-2 and D6222-1: the situations that lift or move the upper age limit.
DEROGATIONS = ("rqth", "athlete", "business-creation", "exam-resit", "higher-diploma", "previous-contract-broken")
#: Contract terms that an amendment may change after signature; the rest are fixed once signed.
AMENDABLE_AFTER_SIGNATURE = frozenset({
    "mentor_name", "mentor_email", "gross_monthly_pay", "weekly_hours", "opco_filed_on", "ended_by",
    "termination_reason", "cancellation_reason", "employer_email", "medical_visit_on", "mediator_referral_on",
    "employer_informed_on", "notice_given_on",
})
#: Contract terms fixed at signature that an amendment (avenant, CERFA types 31-38: services/amendments.py) changes,
#: and nothing else: its end (an extension after a failed exam or a disability, R6222-47; a shorter one), the
#: workplace's SIRET and the employer's name (a change of workplace, of the employer's legal situation). The
#: signature, its place and the start stay what was signed.
CHANGED_BY_AMENDMENT = frozenset({"end_date", "employer_siret", "employer_name"})
#: Case-level facts kept under a prefix of their own: (fact key, attribute of the case).
_CASE_ATTRIBUTES = {"previous_contract.pay": "previous_contract_pay",
                    "previous_contract.year": "previous_contract_year",
                    "previous_contract.same_employer": "previous_contract_same_employer"}


def _siret(field: str, text: str) -> str:
    value = normalise_siret(text)
    problem = siret_problem(value)
    if problem:
        raise InvalidInput(field, Reason("bad_typed_siret", typed=Typed(text), problem=problem))
    return value


def _choice(options: tuple[str, ...]) -> Callable[[str, str], str]:
    def parse(field: str, text: str) -> str:
        value = text.strip().lower()
        if value not in options:
            raise InvalidInput(field, Reason("not_one_of", typed=Typed(text), choices=", ".join(options)))
        return value
    return parse


@dataclass(frozen=True)
class FactSpec:
    key: str
    part: Part | None
    parse: Callable[[str, str], Any]
    help: str


_date = values.parse_date
_text = values.parse_text
SPECS: dict[str, FactSpec] = {spec.key: spec for spec in (
    FactSpec("candidate.first_name", None, _text, "first name"),
    FactSpec("candidate.last_name", None, _text, "last name"),
    FactSpec("candidate.email", None, values.parse_email, "email address"),
    FactSpec("candidate.birth_date", None, _date, "birth date"),
    FactSpec("project.target_job", None, _text, "target job profile"),
    FactSpec("project.mobility_area", None, _text, "geographic mobility"),
    FactSpec("derogation", None, _choice(DEROGATIONS), "age derogation"),
    FactSpec("previous_contract_end", None, _date, "end of a previous apprenticeship contract"),
    FactSpec("completed_lower_secondary", None, values.parse_bool, "completed the 3e (from 15)"),
    FactSpec("programme_year", None, values.parse_year_number,
             "year of the programme the apprentice enters (1, or 2 for an M1 holder: brochure)"),
    FactSpec("previous_contract.pay", None, values.parse_amount,
             "gross monthly pay in the last year of the previous contract (D6222-29)"),
    FactSpec("previous_contract.year", None, values.parse_year_number,
             "contract year the previous contract had reached at its end (D6222-29)"),
    FactSpec("previous_contract.same_employer", None, values.parse_bool,
             "the new contract is with the previous contract's employer (D6222-29)"),
    FactSpec("advisor", None, values.parse_email, "CFA advisor following the case"),
    FactSpec("tutor", None, values.parse_email, "academic tutor"),
    FactSpec("legal_representative", None, values.parse_email, "a minor apprentice's legal representative"),
    FactSpec("application.company", Part.APPLICATIONS, _text, "records a new application to this company"),
    FactSpec("application.siret", Part.APPLICATIONS, _siret, "SIRET of the company applied to"),
    FactSpec("application.date", Part.APPLICATIONS, _date, "date of the application (default today)"),
    FactSpec("offer.company", Part.OFFERS, _text, "company making the offer"),
    FactSpec("offer.siret", Part.OFFERS, _siret, "SIRET of the company making the offer"),
    FactSpec("offer.gross_monthly_pay", Part.OFFERS, values.parse_amount, "gross monthly pay offered (€)"),
    FactSpec("offer.start_date", Part.OFFERS, _date, "start date offered"),
    FactSpec("offer.weekly_hours", Part.OFFERS, values.parse_hours, "weekly hours offered"),
    FactSpec("contract.signature_date", Part.CONTRACT, _date, "date the contract is signed"),
    FactSpec("contract.signature_place", Part.CONTRACT, _text, "place the contract is signed (CERFA: «Fait à»)"),
    FactSpec("contract.start_date", Part.CONTRACT, _date, "contract start"),
    FactSpec("contract.end_date", Part.CONTRACT, _date, "contract end"),
    FactSpec("contract.employer_siret", Part.CONTRACT, _siret, "employer SIRET"),
    FactSpec("contract.employer_name", Part.CONTRACT, _text, "employer name"),
    FactSpec("contract.employer_email", Part.CONTRACT, values.parse_email, "employer contact email"),
    FactSpec("contract.mentor_name", Part.CONTRACT, _text, "maître d'apprentissage"),
    FactSpec("contract.mentor_email", Part.CONTRACT, values.parse_email, "mentor email"),
    FactSpec("contract.gross_monthly_pay", Part.CONTRACT, values.parse_amount, "agreed gross monthly pay (€)"),
    FactSpec("contract.weekly_hours", Part.CONTRACT, values.parse_hours, "agreed weekly hours"),
    FactSpec("contract.opco_filed_on", Part.CONTRACT, _date, "date the employer filed the contract with its OPCO"),
    FactSpec("contract.practical_training_start", Part.CONTRACT, _date,
             "first day of practical training in the company (L6222-12: within 3 months of the start)"),
    FactSpec("contract.medical_visit_on", Part.CONTRACT, _date, "date of the medical visit (R6222-40-1)"),
    FactSpec("contract.mediator_referral_on", Part.CONTRACT, _date,
             "date the apprentice referred a resignation to the mediator (D6222-21-1)"),
    FactSpec("contract.employer_informed_on", Part.CONTRACT, _date,
             "date the apprentice informed the employer of the resignation (D6222-21-1)"),
    FactSpec("contract.notice_given_on", Part.CONTRACT, _date,
             "date of the written notice of an apprentice who obtained the diploma (L6222-19)"),
    FactSpec("contract.ended_by", Part.CONTRACT, _choice(tuple(BreakParty)),
             "who ends the trial, or asks to cancel the contract before its start"),
    FactSpec("contract.cancellation_reason", Part.CONTRACT, _text,
             "why the contract is cancelled by agreement before its start"),
    FactSpec("contract.termination_reason", Part.CONTRACT, _choice(tuple(TerminationReason)),
             "legal ground of a termination after the trial"),
)}


def parse_pairs(items: Mapping[str, str]) -> dict[str, Any]:
    """Typed values from raw texts by key, every key known and every value valid."""
    if not items:
        raise InvalidInput("facts", Reason("no_pairs"))
    parsed: dict[str, Any] = {}
    for key, text in items.items():
        spec = SPECS.get(key)
        if spec is None:
            raise InvalidInput(key, Reason("unknown_fact", choices=tuple(SPECS)))
        parsed[key] = spec.parse(key, text)
    for key in ("application.siret", "application.date"):
        if key in parsed and "application.company" not in parsed:
            raise InvalidInput(key, Reason("with_company"))
    return parsed


def split_pairs(pairs: Sequence[str] | Mapping[str, str]) -> dict[str, str]:
    """`["a=1", "b=2"]` (as typed on a command line) or a mapping (as sent over HTTP) to a dict of texts."""
    if isinstance(pairs, Mapping):
        return {str(k): str(v) for k, v in pairs.items()}
    items: dict[str, str] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput("facts", Reason("pair", typed=Typed(pair)))
        items[key.strip()] = text
    return items


def parts_touched(parsed: Mapping[str, Any]) -> frozenset[Part]:
    return frozenset(spec.part for key in parsed if (spec := SPECS[key]).part is not None)


def apply_facts(case: Case, parsed: Mapping[str, Any], today: date, *, amendment: str | None = None) -> None:
    """Record already-parsed facts on `case`; raises InvalidInput before changing anything when one is refused.
    `amendment`: the type code (31-38) of the amendment recording them, which alone may change a signed
    contract's CHANGED_BY_AMENDMENT terms (None: a plain record, `case set`, a dossier section)."""
    _check_against_case(case, parsed, today, amendment)
    for key, value in parsed.items():
        group, _, name = key.partition(".")
        if group == "candidate":
            setattr(case.candidate, name, value)
        elif group == "project":
            setattr(case.project, name, value)
        elif key in ("advisor", "tutor", "legal_representative"):
            setattr(case, f"{key}_email", value)
        elif key in _CASE_ATTRIBUTES:
            setattr(case, _CASE_ATTRIBUTES[key], value)
        elif not name:
            setattr(case, key, value)
    if "application.company" in parsed:
        case.applications.append(Application(
            company=parsed["application.company"],
            siret=parsed.get("application.siret"),
            applied_on=parsed.get("application.date", today),
        ))
    offer_values = {k.partition(".")[2]: v for k, v in parsed.items() if k.startswith("offer.")}
    if offer_values:
        offer = case.current_offer
        if offer is None:
            offer = Offer(received_on=today)
            case.offers.append(offer)
        for name, value in offer_values.items():
            setattr(offer, name, value)
        offer.dirty = True
    contract_values = {k.partition(".")[2]: v for k, v in parsed.items() if k.startswith("contract.")}
    if contract_values:
        terms: ContractTerms = case.contract
        for name, value in contract_values.items():
            setattr(terms, name, value)
        terms.dirty = True


def _check_against_case(case: Case, parsed: Mapping[str, Any], today: date, amendment: str | None = None) -> None:
    born = parsed.get("candidate.birth_date")
    if born is not None and born > today:
        raise InvalidInput("candidate.birth_date", Reason("born_in_future", born=born))
    if "contract.opco_filed_on" in parsed and case.contract.opco_decision is not None:
        # A new filing clears the OPCO's answer: `dossier file` (services/filing.py) records it, with its OPCO.
        raise InvalidInput("contract.opco_filed_on",
                           Reason("opco_answer_recorded", decision=case.contract.opco_decision))
    if any(key.startswith("contract.") for key in parsed) and case.contract.signed:
        changeable = AMENDABLE_AFTER_SIGNATURE | (CHANGED_BY_AMENDMENT if amendment is not None else frozenset())
        fixed = [key for key in parsed if key.startswith("contract.") and key.partition(".")[2] not in changeable]
        if fixed and amendment is not None:
            raise InvalidInput(fixed[0], Reason(
                "signed_amendment_changes", amendment=amendment,
                fields=", ".join(sorted(CHANGED_BY_AMENDMENT | AMENDABLE_AFTER_SIGNATURE))))
        if fixed:
            raise InvalidInput(fixed[0], Reason("signed_only_amendment",
                                                fields=", ".join(sorted(AMENDABLE_AFTER_SIGNATURE))))
    start = parsed.get("contract.start_date", case.contract.start_date if Part.CONTRACT in case.loaded else None)
    end = parsed.get("contract.end_date", case.contract.end_date if Part.CONTRACT in case.loaded else None)
    if start is not None and end is not None and end <= start:
        raise InvalidInput("contract.end_date", Reason("end_not_after_start", end=end, start=start))
    year = parsed.get("programme_year")
    if year is not None and year > case.programme.years:
        raise InvalidInput("programme_year", Reason("programme_year_over", year=year, code=case.programme.code,
                                                    years=case.programme.years))
    if "offer.company" in parsed or any(k.startswith("offer.") for k in parsed):
        offer = case.current_offer
        company = parsed.get("offer.company")
        if offer is not None and company and offer.company and company != offer.company and offer.status == "accepted":
            raise InvalidInput("offer.company", Reason("offer_already_chosen", company=offer.company))

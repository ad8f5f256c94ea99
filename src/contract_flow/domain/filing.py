"""The signed contract's filing with the employer's OPCO and the OPCO's answer (issue 14, item 6). Pure.

D6224-1: the employer files the signed contract (CERFA FA13) with its OPCO. D6224-2: the OPCO decides within 20 days
of receiving the complete file; an acceptance registers the contract in DECA, which gives its number; its silence
past the 20th day is a refusal (CRPA L231-4), from the day after (`rules.opco_refused_by_silence`). A refused
contract (explicitly or by silence) is filed again once what the OPCO asked for is fixed: the new filing clears
the previous answer and starts a new 20 days. An accepted contract is not filed again (an amendment is).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from contract_flow.domain.case import ContractTerms
from contract_flow.domain.errors import InvalidInput, NotNow
from contract_flow.domain.identifiers import deca_number_problem, normalise_deca_number
from contract_flow.domain.reasons import Reason, Typed

ACCEPTED = "accepted"
REFUSED = "refused"
DECISIONS = (ACCEPTED, REFUSED)
#: The longest OPCO name and refusal reason kept (the contract's columns).
OPCO_NAME_CHARS = 100
REASON_CHARS = 500


class FilingStatus(StrEnum):
    NOT_FILED = "not_filed"
    #: Filed, no answer, the OPCO's 20 days still running (the 20th day included).
    WAITING = "waiting"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    #: Filed, no answer, the 20 days over: the silence is a refusal (D6224-2, CRPA L231-4).
    REFUSED_SILENCE = "refused_silence"


#: The statuses of a contract refused, to file again once fixed.
REFUSALS = frozenset({FilingStatus.REFUSED, FilingStatus.REFUSED_SILENCE})


@dataclass(frozen=True)
class Filing:
    """Where a signed contract stands with its OPCO on a given day."""

    status: FilingStatus
    filed_on: date | None = None
    opco: str | None = None
    #: The OPCO's 20th day (D6224-2); its silence is a refusal from the day after.
    decision_due: date | None = None
    decided_on: date | None = None
    deca_number: str | None = None
    refusal_reason: str | None = None

    @property
    def refused(self) -> bool:
        return self.status in REFUSALS

    @property
    def may_file(self) -> bool:
        """Whether the contract may be filed now: not yet, again after a refusal, or while the answer is awaited
        (a corrected filing date: the 20 days run from the complete file)."""
        return self.status is not FilingStatus.ACCEPTED

    @property
    def may_decide(self) -> bool:
        """Whether the OPCO's answer may be recorded now: once filed and not yet answered (a late answer after the
        silence included: the OPCO may still accept)."""
        return self.status in (FilingStatus.WAITING, FilingStatus.REFUSED_SILENCE)


def filing_of(terms: ContractTerms, today: date) -> Filing:
    """The filing of `terms` on `today`: not filed, waiting (to the 20th day), accepted, refused (with its reason),
    or refused by silence (from the day after the 20th)."""
    filed = terms.opco_filed_on
    if filed is None:
        return Filing(FilingStatus.NOT_FILED, opco=terms.opco_name)
    base = Filing(FilingStatus.WAITING, filed, terms.opco_name, terms.opco_decision_due)
    if terms.opco_decision == ACCEPTED:
        return replace(base, status=FilingStatus.ACCEPTED, decided_on=terms.opco_decided_on,
                       deca_number=terms.deca_number)
    if terms.opco_decision == REFUSED:
        return replace(base, status=FilingStatus.REFUSED, decided_on=terms.opco_decided_on,
                       refusal_reason=terms.opco_refusal_reason)
    due = terms.opco_decision_due
    if due is not None and today > due:
        return replace(base, status=FilingStatus.REFUSED_SILENCE)
    return base


def _signed_on(terms: ContractTerms) -> date:
    signed = terms.signature_date or terms.start_date
    if not terms.signed or signed is None:
        raise NotNow("filed_on", Reason("filing_not_signed"))
    return signed


def check_filing(terms: ContractTerms, filed_on: date, opco: str | None, today: date) -> str:
    """The OPCO's name, once `filed_on` and `opco` are checked against the signed contract: refused naming the field
    when the contract is not signed or already accepted (NotNow), when the day is before the signature or after
    today, or when no OPCO is named (InvalidInput)."""
    signed = _signed_on(terms)
    current = filing_of(terms, today)
    if not current.may_file:
        raise NotNow("filed_on", Reason("filing_accepted", decided=_day(current.decided_on),
                                        deca=str(current.deca_number)))
    if filed_on < signed:
        raise InvalidInput("filed_on", Reason("filed_before_signed", filed=filed_on, signed=signed))
    if filed_on > today:
        raise InvalidInput("filed_on", Reason("filed_in_future", filed=filed_on))
    name = " ".join((opco or "").split())
    if not name:
        raise InvalidInput("opco", Reason("opco_needed"))
    if len(name) > OPCO_NAME_CHARS:
        raise InvalidInput("opco", Reason("too_long", most=OPCO_NAME_CHARS))
    return name


def file_with_opco(terms: ContractTerms, filed_on: date, opco: str) -> None:
    """Record a checked filing (`check_filing`): a new filing clears any previous answer. The OPCO's 20th day is
    the rules' (LegalRules.note_opco_filing)."""
    terms.opco_filed_on = filed_on
    terms.opco_name = opco
    terms.opco_decision = None
    terms.opco_decided_on = None
    terms.deca_number = None
    terms.opco_refusal_reason = None
    terms.dirty = True


@dataclass(frozen=True)
class Decision:
    """The OPCO's answer, checked: accepted with its DECA number, or refused with its reason."""

    decision: str
    decided_on: date
    deca_number: str | None = None
    reason: str | None = None


def check_decision(terms: ContractTerms, decision: str, decided_on: date, today: date, *,
                   deca_number: str | None = None, reason: str | None = None) -> Decision:
    """The OPCO's answer to the contract's filing, checked: an acceptance with a DECA number of the register's
    format, a refusal with its reason; only once filed and not yet answered, on or after the filing day and not
    in the future. Refused naming the field (InvalidInput; NotNow for what must happen first)."""
    chosen = decision.strip().lower()
    if chosen not in DECISIONS:
        raise InvalidInput("decision", Reason("not_one_of", typed=Typed(str(decision)), choices=tuple(DECISIONS)))
    _signed_on(terms)
    current = filing_of(terms, today)
    if current.status is FilingStatus.NOT_FILED:
        raise NotNow("decision", Reason("decision_not_filed"))
    if not current.may_decide:
        raise NotNow("decision", Reason("decision_recorded", filed=_day(current.filed_on),
                                        status=current.status.value, decided=_day(current.decided_on)))
    filed = current.filed_on
    assert filed is not None
    if decided_on < filed:
        raise InvalidInput("decided_on", Reason("decided_before_filing", decided=decided_on, filed=filed))
    if decided_on > today:
        raise InvalidInput("decided_on", Reason("decided_in_future", decided=decided_on))
    number = normalise_deca_number(deca_number) if deca_number and deca_number.strip() else None
    text = " ".join(reason.split()) if reason else None
    if chosen == ACCEPTED:
        if number is None:
            raise InvalidInput("deca_number", Reason("deca_needed"))
        problem = deca_number_problem(number)
        if problem:
            raise InvalidInput("deca_number", Reason("typed_is", value=Typed(number), problem=problem))
        if text:
            raise InvalidInput("reason", Reason("reason_with_acceptance"))
        return Decision(ACCEPTED, decided_on, deca_number=number)
    if not text:
        raise InvalidInput("reason", Reason("refusal_reason_needed"))
    if len(text) > REASON_CHARS:
        raise InvalidInput("reason", Reason("too_long", most=REASON_CHARS))
    if number is not None:
        raise InvalidInput("deca_number", Reason("deca_with_refusal"))
    return Decision(REFUSED, decided_on, reason=text)


def decide(terms: ContractTerms, decision: Decision) -> None:
    """Record a checked answer (`check_decision`)."""
    terms.opco_decision = decision.decision
    terms.opco_decided_on = decision.decided_on
    terms.deca_number = decision.deca_number
    terms.opco_refusal_reason = decision.reason
    terms.dirty = True


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else "?"


def _day(day: date | None) -> date | str:
    """A day of a reason, «?» when it is not known."""
    return day if day is not None else "?"

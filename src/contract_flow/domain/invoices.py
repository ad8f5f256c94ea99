"""The CFA's invoice lines: the employer participation of each signed contract (L6332-14; R6332-25-1, R6332-25-2,
décret 2025-585), derived from what the contract keeps.

At signature the contract keeps the participation the rules computed (`ContractTerms.participation_amount`, its
sources in `legal_sources["participation_amount"]`): 750 € for a diploma of level 6 or above concluded from
1 July 2025, 200 € for a new contract with another employer after an early break. The CFA invoices it at the end
of the trial (R6332-25-2). A break during the trial recomputes it where the break is recorded (50 % of the NPEC pro
rata of the days done, at most the flat amount: `LegalRules.note_trial_break`, which marks the contract with
`legal_sources[TRIAL_BREAK]`), and it is then due on the day of the break. A contract cancelled before its start
owes nothing. Pure: the service reads the contracts, this says what each owes and when.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from contract_flow.domain.case import ContractTerms
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed

#: The legal_sources key a contract broken during its trial carries once its participation was recomputed: the day
#: of the break and how many company days of the trial were done.
TRIAL_BREAK = "participation_trial_break"
PARTICIPATION = "participation_amount"
HIRING_AID = "hiring_aid_filing_due"
ZERO = Decimal("0.00")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, slots=True)
class ProgrammeFunding:
    """A programme's NPEC (niveau de prise en charge): the yearly amount the OPCO funds its certification with,
    which a break during the trial prorates (R6332-25-1); from `programmes/<code>.toml`'s `[funding]`."""

    npec: Decimal
    source: str


class InvoiceStatus(StrEnum):
    #: The trial has not ended yet: invoiced at its end.
    UPCOMING = "upcoming"
    #: The trial ended: to invoice now (or already invoiced).
    DUE = "due"
    #: Broken during the trial: recomputed on the days done, due on the day of the break.
    RECOMPUTED = "recomputed"
    #: Cancelled before its start: nothing is owed.
    NONE_OWED = "none_owed"


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One contract's employer participation as the CFA invoices it. `amount` None: a break during the trial whose
    amount could not be recomputed (the programme's NPEC is not configured; `source` says so)."""

    case_id: int
    apprentice: str
    employer_name: str | None
    employer_siret: str | None
    programme: str
    amount: Decimal | None
    due_on: date | None
    status: InvoiceStatus
    #: The texts it comes from, as the contract keeps them (the reason first, then the articles), in one Reason
    #: (`joined`): English as a str, each part worded in French on a French page.
    source: str


def parse_month(text: str, field: str = "month") -> tuple[int, int]:
    """A month as YYYY-MM (2027-01); InvalidInput naming `field` otherwise."""
    found = _MONTH.fullmatch(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1:
        raise InvalidInput(field, Reason("not_a_month", typed=Typed(text[:20])))
    return int(found.group(1)), int(found.group(2))


def in_month(day: date | None, month: tuple[int, int]) -> bool:
    return day is not None and (day.year, day.month) == month


def next_month(month: tuple[int, int]) -> tuple[int, int]:
    year, number = month
    return (year + 1, 1) if number == 12 else (year, number + 1)


def cancelled_before_start(terms: ContractTerms) -> bool:
    """Ended before its first day: the parties agreed to cancel it (nothing of it was performed)."""
    return (terms.ended_on is not None and terms.start_date is not None and terms.ended_on < terms.start_date) \
        or terms.cancellation_reason is not None


def invoice_line(case_id: int, apprentice: str, programme: str, terms: ContractTerms,
                 today: date) -> InvoiceLine | None:
    """The contract's participation line, or None when it owes none (not signed, level unknown or below 6,
    concluded before 1 July 2025: the amount it keeps is None or 0 and no break recomputed it)."""
    if not terms.signed:
        return None
    sources = terms.legal_sources or {}
    amount = terms.participation_amount
    cited = joined(sources.get(PARTICIPATION, ()))

    def line(owed: Decimal | None, due: date | None, status: InvoiceStatus) -> InvoiceLine:
        return InvoiceLine(case_id, apprentice, terms.employer_name, terms.employer_siret, programme, owed, due,
                           status, cited)

    if TRIAL_BREAK in sources:
        return line(amount, terms.ended_on, InvoiceStatus.RECOMPUTED)
    if amount is None or amount <= 0:
        return None
    if cancelled_before_start(terms):
        return line(ZERO, None, InvoiceStatus.NONE_OWED)
    due = terms.trial_end
    status = InvoiceStatus.DUE if due is not None and due < today else InvoiceStatus.UPCOMING
    return line(amount, due, status)


def joined(texts: Iterable[str]) -> Reason:
    """A value's sources as one text ("; " between them), each worded in the reader's language where the engine
    wrote it (a Reason), a citation of the law as written."""
    return Reason("sources", reasons=tuple(texts))


@dataclass(frozen=True, slots=True)
class MonthTotal:
    """The lines due in one month: how many and what they add up to (amounts not recomputed yet left out)."""

    month: tuple[int, int]
    count: int
    total: Decimal

    @property
    def first_day(self) -> date:
        return date(self.month[0], self.month[1], 1)

    @property
    def text(self) -> str:
        return f"{self.month[0]:04d}-{self.month[1]:02d}"


def month_total(lines: list[InvoiceLine], month: tuple[int, int]) -> MonthTotal:
    due = [line for line in lines if in_month(line.due_on, month)]
    return MonthTotal(month, len(due), sum((line.amount or ZERO for line in due), ZERO))


@dataclass(frozen=True, slots=True)
class ContractMoney:
    """What the case page says of a contract's money: the hiring-aid filing deadline with its article, and the
    participation line."""

    hiring_aid_filing_due: date | None
    hiring_aid_source: str | None
    participation: InvoiceLine | None


def contract_money(case_id: int, apprentice: str, programme: str, terms: ContractTerms, today: date) -> ContractMoney:
    cited = (terms.legal_sources or {}).get(HIRING_AID)
    return ContractMoney(terms.hiring_aid_filing_due, joined(cited) if cited else None,
                         invoice_line(case_id, apprentice, programme, terms, today))

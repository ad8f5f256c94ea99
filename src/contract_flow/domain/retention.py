"""Retention: until when a case's personal data is kept, and whether a person's data may be erased now (issue 16,
item 6). Pure rules on dates and states; services/retention.py reads the cases and anonymises what is due.

- A case still under way (searching, or a contract signed, in its trial or running) is kept: it needs its data.
- A candidate who never signed (withdrawn, or closed without a contract): kept `candidate_months` after leaving
  (the day the case reached that state), then due. The CNIL's recruitment guidance: at most 2 years after the
  last contact.
- A case whose contract was signed (completed, broken, cancelled before its start): kept `contract_years` after
  the contract's end: the day it ended (broken, cancelled) or its last day (completed). A contract signed from
  1 July 2020 to 31 December 2023 is kept at least until 31 December 2031 (the CERFA FA13's notice 51649#08: those
  contracts were funded by NextGenerationEU and are kept for the EU's audits, regulation 2018/1046 art. 132).

A case is due from its `due_on` day included (kept through the day before).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from contract_flow.domain.dates import add_months
from contract_flow.domain.reasons import Code, Reason
from contract_flow.domain.states import CONTRACT_STATES, FINAL_STATES, CaseState, Trigger

#: The NextGenerationEU window of the CERFA's notice 51649#08 and the day its contracts are kept until.
EU_FUNDED_FROM = date(2020, 7, 1)
EU_FUNDED_TO = date(2023, 12, 31)
EU_FUNDED_KEPT_UNTIL = date(2031, 12, 31)

#: What stands where a personal value was: the same in every table, so a reader sees the value was removed.
ERASED = "[anonymisé]"


class Why(StrEnum):
    """Why a case or a person was anonymised: the retention period ran out, or the person asked (RGPD art. 17)."""

    RETENTION = "retention"
    REQUEST = "request"


class Rule(StrEnum):
    """Which period made a case due."""

    CANDIDATE = "candidate"
    CONTRACT = "contract"
    EU_FUNDING = "eu_funding"
    REQUEST = "request"


@dataclass(frozen=True)
class Periods:
    candidate_months: int
    contract_years: int


@dataclass(frozen=True)
class Kept:
    """Until when a case is kept: due from `due_on`, by `rule`."""

    due_on: date
    rule: Rule


def kept_until(state: CaseState, *, left_on: date, signed: bool, contract_end: date | None,
               signed_on: date | None, periods: Periods) -> Kept | None:
    """Until when a case is kept (None: it is under way, kept). `left_on`: the day it reached its state;
    `signed`: a contract of it was signed; `contract_end`: the day that contract ended (broken, cancelled) or its
    last day; `signed_on`: its signature date."""
    if state not in FINAL_STATES:
        return None
    if not signed:
        return Kept(add_months(left_on, periods.candidate_months), Rule.CANDIDATE)
    end = contract_end or left_on
    kept = Kept(add_months(end, 12 * periods.contract_years), Rule.CONTRACT)
    if signed_on is not None and EU_FUNDED_FROM <= signed_on <= EU_FUNDED_TO and kept.due_on <= EU_FUNDED_KEPT_UNTIL:
        return Kept(date.fromordinal(EU_FUNDED_KEPT_UNTIL.toordinal() + 1), Rule.EU_FUNDING)
    return kept


def is_due(kept: Kept | None, on: date) -> bool:
    return kept is not None and on >= kept.due_on


def erase_refusal(cases: Iterable[tuple[int, CaseState]]) -> Reason | None:
    """Why a person's data may not be erased now: a live contract (signed, in its trial, running) they are a party
    of needs it (the employer's and the CFA's obligations while it runs). `cases`: (id, state) of the cases the
    person is the candidate, the mentor or the legal representative of."""
    live = sorted((case_id, state) for case_id, state in cases if state in CONTRACT_STATES)
    if not live:
        return None
    case_id, state = live[0]
    return Reason("erase_live_contract", case=case_id, state=Code("state", state.value))


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?)?")
#: An amount, hours, a count: up to 7 digits (a phone number, a NIR, a SIRET are longer, and go).
_NUMBER = re.compile(r"-?\d{1,7}([.,]\d{1,4})?")
#: A code of several words (`mutual_agreement`, `contract.end_date`'s kind of value): never a name.
_CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")
#: Single words a history keeps as they are: answers and the engine's own codes, not identities (a lower-case
#: word alone may be a name typed without capitals, and is removed).
_ANSWERS = frozenset({"yes", "no", "true", "false", "oui", "non", "", "accepted", "refused", "signed", "amendment",
                      *(state.value for state in CaseState), *(trigger.value for trigger in Trigger)})


def keeps(value: object) -> bool:
    """Whether a value of the history (a fact's value, an amendment's old and new) is kept when a case is
    anonymised: dates, numbers, booleans and codes (a state, a trigger, a decision) say nothing of who; any other
    text may (a name, an address, a reason written by someone) and is removed."""
    if value is None or isinstance(value, bool | int | float):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return (text.lower() in _ANSWERS or _DAY.fullmatch(text) is not None or _NUMBER.fullmatch(text) is not None
            or (_CODE.fullmatch(text) is not None and len(text) <= 40))


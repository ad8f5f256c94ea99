"""A learner's status in the Tableau de bord de l'apprentissage (TDB), as the TDB computes it from the dates we send
(issue 16, item 3). Pure.

The TDB takes no status as input: it computes one from the dates (PUBLIC-SYSTEMS.md §2; DOMAIN.md, «Status
vocabulary»). Its own code (mission-apprentissage/flux-retour-cfas, `buildEffectifStatus`) walks the days from the
training's entry (or an earlier contract's start) to the training's end:
- a day inside a contract (its start to its end, or to the day before its break) is APPRENTI;
- a day without a contract counts the days since the last contract day: after a contract, RUPTURANT up to 180 days,
  then ABANDON (the 6 months a CFA keeps a learner after a break, L6222-18-2); never a contract, INSCRIT up to 90
  days from the entry, then ABANDON (the 3 months without an employer, L6222-12-1);
- from an exclusion date (date_exclusion_formation), ABANDON;
- a contract that ended normally (not broken, no exclusion) at most 60 days before the training's end turns the
  days after it into FIN_DE_FORMATION, and so does the training's last day when the learner is APPRENTI or INSCRIT
  on it, or their last contract ended normally.
After the training's end the status stays the last day's. Each result says why, with the dates it used (a Reason
worded in French and English), and what it becomes on its own and when (INSCRIT and RUPTURANT run out).

The dates are read the way the TDB feed sends them (`sent_contract`, `sent_dates`: domain/tdb_feed.py maps the same).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from contract_flow.domain.case import ContractTerms, ProgrammeTerms
from contract_flow.domain.reasons import Code, Reason
from contract_flow.domain.rules.dates import contract_end
from contract_flow.domain.states import CONTRACT_STATES, SEARCH_STEPS, CaseState


class TdbStatus(StrEnum):
    """The TDB's statuses (PUBLIC-SYSTEMS.md §2); PRE_INSCRIT is never computed from a feed's dates."""

    INSCRIT = "INSCRIT"
    APPRENTI = "APPRENTI"
    RUPTURANT = "RUPTURANT"
    ABANDON = "ABANDON"
    FIN_DE_FORMATION = "FIN_DE_FORMATION"


#: PUBLIC-SYSTEMS.md §2 (INSCRIT becomes ABANDON after 90 days without a contract; L6222-12-1's 3 months).
WITHOUT_CONTRACT_DAYS = 90
#: PUBLIC-SYSTEMS.md §2 (RUPTURANT becomes ABANDON after 180 days without a new contract; L6222-18-2's 6 months).
AFTER_BREAK_DAYS = 180
#: The TDB's tolerance for a contract ended «near the session's end» (flux-retour-cfas,
#: FIN_FORMATION_TOLERANCE_DAYS = 60).
END_TOLERANCE_DAYS = 60
#: The feed's optional statut_apprenant codes (PUBLIC-SYSTEMS.md §2: 0 abandon, 2 inscrit, 3 apprenti).
FEED_CODES: dict[TdbStatus, int] = {TdbStatus.ABANDON: 0, TdbStatus.INSCRIT: 2, TdbStatus.APPRENTI: 3}


@dataclass(frozen=True)
class SentContract:
    """A contract as the feed sends it: contrat_date_debut, contrat_date_fin, contrat_date_rupture."""

    start: date
    end: date | None = None
    broken_on: date | None = None

    def last_day(self, training_end: date) -> date:
        """The contract's last day as the TDB counts it: the day before its break, else its end (the training's
        end when it has none)."""
        if self.broken_on is not None:
            return self.broken_on - timedelta(days=1)
        return self.end if self.end is not None else training_end


@dataclass(frozen=True)
class SentDates:
    """What the feed sends that the TDB's status reads: date_inscription_formation, date_entree_formation,
    date_fin_formation, the contracts (up to 4) and date_exclusion_formation."""

    registered_on: date
    training_start: date
    training_end: date
    contracts: tuple[SentContract, ...] = ()
    excluded_on: date | None = None


class _Why:
    """A reason's key and values, made a Reason (its English formatted) only when someone reads it: the board
    counts the statuses of every case and reads none."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: object) -> None:
        self.key, self.values = key, values

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Why) and (self.key, self.values) == (other.key, other.values)

    def __hash__(self) -> int:
        return hash(self.key)

    def reason(self) -> Reason:
        return Reason(self.key, **self.values)


@dataclass(frozen=True)
class TdbResult:
    """The TDB's status on `on`, why (the dates it used), since when, and what it becomes on its own."""

    status: TdbStatus
    on: date
    why: _Why
    #: The day the status began as far as the dates say (None before the training).
    since: date | None = None
    #: INSCRIT and RUPTURANT become ABANDON on `becomes_on` if nothing is sent in between.
    becomes: TdbStatus | None = None
    becomes_on: date | None = None

    @property
    def reason(self) -> Reason:
        """Why, with the dates used, in both languages."""
        return self.why.reason()

    @property
    def feed_code(self) -> int | None:
        """The feed's statut_apprenant for this status (None: the feed has no code for it)."""
        return FEED_CODES.get(self.status)


def _terminal(dates: SentDates) -> SentContract | None:
    """The contract whose last day is latest (a broken one on a tie), as the TDB picks it."""
    found: SentContract | None = None
    for contract in dates.contracts:
        if found is None:
            found = contract
            continue
        fin, best = contract.last_day(dates.training_end), found.last_day(dates.training_end)
        if fin > best or (fin == best and contract.broken_on is not None):
            found = contract
    return found


def tdb_status(dates: SentDates, on: date) -> TdbResult:
    """The status the TDB computes for `dates` on `on` (its algorithm: see the module's docstring)."""
    end = dates.training_end
    first = min([dates.training_start, *(contract.start for contract in dates.contracts)])
    if on < first or end < first:
        return TdbResult(TdbStatus.INSCRIT, on, _Why("tdb_not_started", start=first), None,
                         TdbStatus.ABANDON, first + timedelta(days=WITHOUT_CONTRACT_DAYS))
    day = min(on, end)
    raw = _raw(dates, day, first)
    terminal = _terminal(dates)
    natural = dates.excluded_on is None and terminal is not None and terminal.broken_on is None
    if natural and terminal is not None:
        fin = terminal.last_day(end)
        if (end - fin).days <= END_TOLERANCE_DAYS and fin < day and raw.status in (TdbStatus.INSCRIT,
                                                                                   TdbStatus.RUPTURANT):
            return TdbResult(TdbStatus.FIN_DE_FORMATION, on, _Why("tdb_end_contract", end=fin, training_end=end,
                                                                   days=END_TOLERANCE_DAYS), fin + timedelta(days=1))
    if day == end and (raw.status in (TdbStatus.APPRENTI, TdbStatus.INSCRIT) or natural):
        return TdbResult(TdbStatus.FIN_DE_FORMATION, on, _Why("tdb_end_training", training_end=end), end)
    return TdbResult(raw.status, on, raw.why, raw.since, raw.becomes, raw.becomes_on)


def _raw(dates: SentDates, day: date, first: date) -> TdbResult:
    """The day's status before the end of training's rules: an exclusion, a contract, or the days without one."""
    end = dates.training_end
    if dates.excluded_on is not None and dates.excluded_on <= day:
        return TdbResult(TdbStatus.ABANDON, day, _Why("tdb_abandon_excluded", day=dates.excluded_on),
                         max(dates.excluded_on, first))
    covering = [contract for contract in dates.contracts if contract.start <= day <= contract.last_day(end)]
    if covering:
        contract = max(covering, key=lambda one: one.start)
        return TdbResult(TdbStatus.APPRENTI, day, _Why("tdb_apprenti", start=contract.start,
                                                         end=contract.last_day(end)), contract.start)
    ended = [contract for contract in dates.contracts if contract.start <= contract.last_day(end) < day]
    if not ended:
        return _never_in_contract(day, first)
    return _after_contract(dates, day, max(ended, key=lambda one: (one.last_day(end), one.broken_on is not None)))


def _never_in_contract(day: date, first: date) -> TdbResult:
    """No contract day yet: INSCRIT for 90 days from the first day, then ABANDON."""
    abandon_on = first + timedelta(days=WITHOUT_CONTRACT_DAYS)
    if day < abandon_on:
        return TdbResult(TdbStatus.INSCRIT, day, _Why("tdb_inscrit", start=first, abandon_on=abandon_on,
                                                        days=WITHOUT_CONTRACT_DAYS), first,
                         TdbStatus.ABANDON, abandon_on)
    return TdbResult(TdbStatus.ABANDON, day, _Why("tdb_abandon_no_contract", start=first, since=abandon_on,
                                                    days=WITHOUT_CONTRACT_DAYS), abandon_on)


def _after_contract(dates: SentDates, day: date, last: SentContract) -> TdbResult:
    """Days after the last contract day (broken, or ended): RUPTURANT for 180 days, then ABANDON."""
    end = dates.training_end
    last_day = last.last_day(end)
    abandon_on = last_day + timedelta(days=AFTER_BREAK_DAYS + 1)
    if last.broken_on is not None:
        if day < abandon_on:
            return TdbResult(TdbStatus.RUPTURANT, day, _Why("tdb_rupturant", broken_on=last.broken_on,
                                                              abandon_on=abandon_on, days=AFTER_BREAK_DAYS),
                             last_day + timedelta(days=1), TdbStatus.ABANDON, abandon_on)
        return TdbResult(TdbStatus.ABANDON, day, _Why("tdb_abandon_after_break", broken_on=last.broken_on,
                                                        since=abandon_on, days=AFTER_BREAK_DAYS), abandon_on)
    if day < abandon_on:
        return TdbResult(TdbStatus.RUPTURANT, day, _Why("tdb_rupturant_ended", end=last_day, training_end=end,
                                                          abandon_on=abandon_on, days=AFTER_BREAK_DAYS,
                                                          tolerance=END_TOLERANCE_DAYS),
                         last_day + timedelta(days=1), TdbStatus.ABANDON, abandon_on)
    return TdbResult(TdbStatus.ABANDON, day, _Why("tdb_abandon_after_end", end=last_day, since=abandon_on,
                                                    days=AFTER_BREAK_DAYS), abandon_on)


# -- the dates we send, read from the case (the feed, domain/tdb_feed.py, reads them the same way) ----------------

def sent_contract(terms: ContractTerms) -> SentContract | None:
    """A contract as the feed sends it: a signed one with its start; None for one not signed, or cancelled before its
    start (ended before it began: it never ran). Its break date (contrat_date_rupture) is the day it ended when it
    was broken (in its trial: who broke it is recorded; after: the legal ground is); a contract completed has none."""
    if not terms.signed or terms.start_date is None:
        return None
    return contract_as_sent(terms.start_date, terms.end_date, terms.ended_on,
                            broken=terms.termination_reason is not None or terms.ended_by is not None,
                            cancelled=terms.cancellation_reason is not None)


def contract_as_sent(start: date, end: date | None, ended_on: date | None, *, broken: bool,
                     cancelled: bool) -> SentContract | None:
    """`sent_contract` from a signed contract's dates and two flags (who broke it or why is recorded; a
    cancellation reason is): what the board's counts read of each contract, grouped in the database."""
    if cancelled or (ended_on is not None and ended_on < start):
        return None
    return SentContract(start, end, ended_on if ended_on is not None and broken else None)


#: A case closed in these states before its training started is not sent (the feed, services/tdb_rows.py).
LEFT_BEFORE_START: frozenset[CaseState] = frozenset({CaseState.WITHDRAWN, CaseState.NO_CONTRACT})


def is_sent(*, state: CaseState, state_since: date, registered_on: date, training_start: date, on: date,
            anonymised: bool = False) -> bool:
    """Whether the feed of `on` sends the case (services/tdb_rows.feed_query: its programme started by then, the case
    opened by then, not closed without a contract before the training started, and not anonymised): the TDB counts
    only those. An anonymised case (domain.retention) is never sent again: its identity is gone, and sending its
    placeholders would overwrite the learner the TDB keeps under its own rules."""
    return (training_start <= on and registered_on <= on
            and ever_sent(state=state, state_since=state_since, training_start=training_start, anonymised=anonymised))


def ever_sent(*, state: CaseState, state_since: date, training_start: date, anonymised: bool) -> bool:
    """What `is_sent` asks that no day changes: the case was not closed without a contract before its training
    started, nor anonymised. A case for which this holds is sent by every feed from the day both its programme has
    started and it was opened (the board's tally keeps only these cases, services/tdb_tally.py)."""
    left_early = state in LEFT_BEFORE_START and state_since < training_start
    return not left_early and not anonymised


#: What `contract_as_sent` reads of a contract (ContractTerms' fields): a write changing none of them leaves the
#: case where it is counted.
SENT_FIELDS = ("signed", "start_date", "end_date", "ended_on", "termination_reason", "ended_by",
               "cancellation_reason")


def moves_in_tally(before: CaseState, after: CaseState) -> bool:
    """Whether a case moving from `before` to `after` may change where the board counts it (followed by the engine
    or not; closed without a contract, which may take it out if before its training started): the search's steps
    from one to the next, say, do not."""
    return (before in FOLLOWED) != (after in FOLLOWED) or \
        (before in LEFT_BEFORE_START) != (after in LEFT_BEFORE_START)


def tally_key(contracts: Iterable[SentContract]) -> str:
    """The contracts a case's status reads (those sent, started or not) as one text, each `start|end|broken_on`
    (ISO days, empty when none), by start and joined by `;`; no contract is the empty text. Two cases of the same
    programme and year with the same key have the same status on every day (`tally_contracts` reads it back)."""
    return ";".join(f"{one.start.isoformat()}|{_iso(one.end)}|{_iso(one.broken_on)}"
                    for one in sorted(contracts, key=lambda one: (one.start, one.end or one.start,
                                                                 one.broken_on or one.start)))


@lru_cache(maxsize=4096)
def tally_contracts(key: str) -> tuple[SentContract, ...]:
    """The contracts of a `tally_key`."""
    if not key:
        return ()
    found: list[SentContract] = []
    for part in key.split(";"):
        start, end, broken_on = part.split("|")
        found.append(SentContract(date.fromisoformat(start), date.fromisoformat(end) if end else None,
                                  date.fromisoformat(broken_on) if broken_on else None))
    return tuple(found)


def _iso(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def training_end(programme: ProgrammeTerms, programme_year: int) -> date:
    """date_fin_formation: the last day of the case's training cycle (LegalRules.training_cycle_end: the years left
    from the year the case enters, counted from the programme's start)."""
    return _cycle_end(programme.start_date, max(1, programme.years - programme_year + 1))


@lru_cache(maxsize=256)
def _cycle_end(start: date, years: int) -> date:
    return contract_end(start, years)  # the same few programmes for every case of a list


def sent_dates(*, registered_on: date, programme: ProgrammeTerms, programme_year: int,
               contracts: Iterable[ContractTerms], excluded_on: date | None = None) -> SentDates:
    """The dates the feed sends for a case: registered (date_inscription_formation: the day the case was opened),
    the programme's start (date_entree_formation) and the cycle's end (date_fin_formation), its contracts that ran
    or will, by start, at most 4 (the feed's `_2`, `_3`, `_4`: the latest four)."""
    sent = sorted((one for one in map(sent_contract, contracts) if one is not None), key=lambda one: one.start)
    return SentDates(registered_on, programme.start_date, training_end(programme, programme_year), tuple(sent[-4:]),
                     excluded_on)


# -- the engine's state beside the TDB's status ------------------------------------------------------------------

#: What the TDB should say of a case in each of the engine's states when the dates sent are right.
EXPECTED: dict[CaseState, frozenset[TdbStatus]] = {
    **{state: frozenset({TdbStatus.INSCRIT, TdbStatus.RUPTURANT}) for state in (*SEARCH_STEPS, CaseState.SIGNED)},
    **{state: frozenset({TdbStatus.APPRENTI}) for state in (CaseState.TRIAL, CaseState.ACTIVE)},
    CaseState.COMPLETED: frozenset({TdbStatus.FIN_DE_FORMATION}),
    CaseState.ENDED_IN_TRIAL: frozenset({TdbStatus.RUPTURANT}),
    CaseState.TERMINATED: frozenset({TdbStatus.RUPTURANT}),
    CaseState.CANCELLED: frozenset({TdbStatus.INSCRIT, TdbStatus.RUPTURANT}),
    CaseState.WITHDRAWN: frozenset({TdbStatus.ABANDON}),
    CaseState.NO_CONTRACT: frozenset({TdbStatus.ABANDON}),
}
#: States in which the engine still follows the learner (the search, a contract signed or running).
FOLLOWED: frozenset[CaseState] = frozenset({*SEARCH_STEPS, *CONTRACT_STATES})


@dataclass(frozen=True)
class Comparison:
    """The engine's state beside the TDB's status: whether they say the same, and if not, why they differ."""

    state: CaseState
    result: TdbResult
    agrees: bool

    @property
    def abandon_while_followed(self) -> bool:
        """The TDB counts the learner ABANDON while the engine still follows them (a reconciliation item)."""
        return self.result.status is TdbStatus.ABANDON and self.state in FOLLOWED

    @property
    def explanation(self) -> Reason:
        """The same, or why they differ (a case followed but ABANDON, a case closed but still counted, else what
        the TDB computes and why)."""
        result, name = self.result, Code("state", self.state.value)
        tdb = Code("tdb_status", result.status.value)
        if self.agrees:
            return Reason("tdb_same", state=name, status=tdb)
        if self.abandon_while_followed:
            return Reason("tdb_abandon_followed", state=name, since=result.since or result.on, why=result.reason)
        if self.state in LEFT_BEFORE_START and result.becomes_on is not None:
            return Reason("tdb_closed_still_counted", state=name, status=tdb, abandon_on=result.becomes_on)
        return Reason("tdb_differs", state=name, status=tdb, why=result.reason)


def compare(state: CaseState, result: TdbResult) -> Comparison:
    """Whether the engine's `state` and the TDB's status agree (its explanation is worded when read)."""
    return Comparison(state, result, result.status in EXPECTED[state])

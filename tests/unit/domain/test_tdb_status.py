"""The TDB's status computed from the dates we send (issue 16, item 3; PUBLIC-SYSTEMS.md §2): INSCRIT becomes ABANDON
after 90 days without a contract, RUPTURANT after 180 days without a new one, FIN_DE_FORMATION for a contract ended
normally near the training's end; the boundaries exactly, and every computation against a day-by-day walk written
the TDB's way (its `buildEffectifStatus`)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from contract_flow.domain.case import BreakParty, ContractTerms, ProgrammeTerms, TerminationReason
from contract_flow.domain.states import CaseState
from contract_flow.domain.tdb_status import (
    SentContract,
    SentDates,
    TdbStatus,
    compare,
    is_sent,
    sent_contract,
    sent_dates,
    tdb_status,
)

S = TdbStatus
START = date(2026, 9, 1)
END = date(2029, 8, 31)


def _dates(*contracts: SentContract, excluded_on: date | None = None) -> SentDates:
    return SentDates(START, START, END, tuple(contracts), excluded_on)


def _on(dates: SentDates, day: date) -> TdbStatus:
    return tdb_status(dates, day).status


def test_inscrit_on_the_90th_day_without_a_contract_abandon_on_the_91st() -> None:
    dates = _dates()
    assert _on(dates, START) is S.INSCRIT
    assert _on(dates, START + timedelta(days=89)) is S.INSCRIT  # the 90th day
    result = tdb_status(dates, START + timedelta(days=90))
    assert result.status is S.ABANDON
    assert result.since == date(2026, 11, 30)
    assert result.reason.key == "tdb_abandon_no_contract"


def test_an_inscrit_says_when_it_becomes_abandon_and_why() -> None:
    result = tdb_status(_dates(), date(2026, 10, 1))
    assert (result.becomes, result.becomes_on) == (S.ABANDON, date(2026, 11, 30))
    assert str(result.reason) == ("no contract since the training start on 2026-09-01: enrolled for 90 days, dropped "
                                  "out from 2026-11-30 without one")
    assert "30/11/2026" in result.reason.text("fr", lambda _n, v, _l: v.strftime("%d/%m/%Y")
                                              if isinstance(v, date) else str(v))


def test_a_contract_within_the_90_days_makes_an_apprenti() -> None:
    dates = _dates(SentContract(START + timedelta(days=89), END))
    assert _on(dates, START + timedelta(days=89)) is S.APPRENTI
    assert _on(dates, START + timedelta(days=400)) is S.APPRENTI


def test_rupturant_for_180_days_after_the_break_then_abandon() -> None:
    broken = date(2027, 3, 10)
    dates = _dates(SentContract(START, END, broken))
    assert _on(dates, broken - timedelta(days=1)) is S.APPRENTI  # the day before the break is the contract's last
    assert _on(dates, broken) is S.RUPTURANT
    assert _on(dates, broken + timedelta(days=179)) is S.RUPTURANT  # the 180th day without a contract
    result = tdb_status(dates, broken + timedelta(days=180))
    assert result.status is S.ABANDON
    assert result.since == broken + timedelta(days=180)
    assert result.reason.key == "tdb_abandon_after_break"


def test_a_new_contract_after_a_break_makes_an_apprenti_again() -> None:
    broken = date(2027, 3, 10)
    dates = _dates(SentContract(START, END, broken), SentContract(date(2027, 5, 2), END))
    assert _on(dates, date(2027, 4, 1)) is S.RUPTURANT
    assert _on(dates, date(2027, 5, 2)) is S.APPRENTI


def test_a_contract_ended_normally_near_the_training_end_is_fin_de_formation() -> None:
    ended = END - timedelta(days=60)  # the TDB's tolerance, 60 days, included
    dates = _dates(SentContract(START, ended))
    assert _on(dates, ended) is S.APPRENTI
    assert _on(dates, ended + timedelta(days=1)) is S.FIN_DE_FORMATION
    assert _on(dates, END + timedelta(days=400)) is S.FIN_DE_FORMATION


def test_a_contract_ended_61_days_before_the_training_end_is_counted_as_a_break_until_the_last_day() -> None:
    ended = END - timedelta(days=61)
    dates = _dates(SentContract(START, ended))
    result = tdb_status(dates, ended + timedelta(days=1))
    assert result.status is S.RUPTURANT
    assert result.reason.key == "tdb_rupturant_ended"
    assert _on(dates, END) is S.FIN_DE_FORMATION  # the last day: the last contract ended normally


def test_the_training_last_day_is_fin_de_formation_for_an_apprenti_but_not_after_a_break() -> None:
    assert _on(_dates(SentContract(START, END)), END) is S.FIN_DE_FORMATION
    assert _on(_dates(SentContract(START, END, END - timedelta(days=10))), END) is S.RUPTURANT


def test_an_exclusion_is_abandon_from_its_day() -> None:
    dates = _dates(SentContract(START, END), excluded_on=date(2027, 1, 15))
    assert _on(dates, date(2027, 1, 14)) is S.APPRENTI
    assert _on(dates, date(2027, 1, 15)) is S.ABANDON


def test_before_the_training_starts_the_learner_is_inscrit() -> None:
    result = tdb_status(_dates(), START - timedelta(days=30))
    assert result.status is S.INSCRIT
    assert result.reason.key == "tdb_not_started"


def test_feed_codes_are_the_tdbs() -> None:
    assert tdb_status(_dates(), START).feed_code == 2
    assert tdb_status(_dates(SentContract(START, END)), START).feed_code == 3
    assert tdb_status(_dates(), START + timedelta(days=100)).feed_code == 0
    assert tdb_status(_dates(SentContract(START, END, date(2027, 1, 1))), date(2027, 2, 1)).feed_code is None


# -- the dates read from the case ----------------------------------------------------------------------------------

def test_the_contracts_sent_are_the_signed_ones_that_ran_with_their_break_date() -> None:
    running = ContractTerms(signed=True, start_date=START, end_date=END)
    broken = ContractTerms(signed=True, start_date=START, end_date=END, ended_on=date(2026, 10, 1),
                           ended_by=BreakParty.EMPLOYER)
    terminated = ContractTerms(signed=True, start_date=START, end_date=END, ended_on=date(2027, 10, 1),
                               termination_reason=TerminationReason.MUTUAL_AGREEMENT)
    completed = ContractTerms(signed=True, start_date=START, end_date=END, ended_on=END)
    cancelled = ContractTerms(signed=True, start_date=START, end_date=END, ended_on=date(2026, 8, 20),
                              ended_by=BreakParty.APPRENTICE)
    assert sent_contract(running) == SentContract(START, END)
    assert sent_contract(broken) == SentContract(START, END, date(2026, 10, 1))
    assert sent_contract(terminated) == SentContract(START, END, date(2027, 10, 1))
    assert sent_contract(completed) == SentContract(START, END)
    assert sent_contract(cancelled) is None
    assert sent_contract(ContractTerms(start_date=START, end_date=END)) is None  # not signed


def test_the_training_dates_are_the_programmes_and_the_cycle_left() -> None:
    programme = ProgrammeTerms("MECA", 3, 40, START)
    dates = sent_dates(registered_on=date(2026, 6, 1), programme=programme, programme_year=2, contracts=[])
    assert (dates.registered_on, dates.training_start, dates.training_end) == (date(2026, 6, 1), START,
                                                                                 date(2028, 8, 31))


def test_a_contract_cancelled_before_its_start_is_not_sent() -> None:
    cancelled = ContractTerms(signed=True, start_date=START, end_date=END, cancellation_reason="accord des parties")
    assert sent_contract(cancelled) is None


def test_the_feed_sends_a_case_once_its_training_started_unless_closed_before() -> None:
    def sent(state: CaseState, since: date, on: date) -> bool:
        return is_sent(state=state, state_since=since, registered_on=date(2026, 5, 1), training_start=START, on=on)

    assert not sent(CaseState.APPLY, date(2026, 6, 1), START - timedelta(days=1))
    assert sent(CaseState.APPLY, date(2026, 6, 1), START)
    assert not sent(CaseState.WITHDRAWN, START - timedelta(days=1), date(2026, 10, 1))
    assert sent(CaseState.WITHDRAWN, START, date(2026, 10, 1))
    assert sent(CaseState.NO_CONTRACT, date(2026, 12, 1), date(2026, 12, 2))


# -- the engine beside the TDB -----------------------------------------------------------------------------------

def test_a_case_in_trial_is_an_apprenti_for_both() -> None:
    comparison = compare(CaseState.TRIAL, tdb_status(_dates(SentContract(START, END)), date(2026, 10, 1)))
    assert comparison.agrees
    assert comparison.explanation.key == "tdb_same"


def test_a_case_still_searching_after_100_days_is_abandon_for_the_tdb_and_said_so() -> None:
    comparison = compare(CaseState.APPLY, tdb_status(_dates(), START + timedelta(days=100)))
    assert not comparison.agrees
    assert comparison.abandon_while_followed
    assert comparison.explanation.key == "tdb_abandon_followed"
    assert "2026-11-30" in str(comparison.explanation)


def test_a_withdrawn_case_is_still_counted_by_the_tdb_until_its_90_days() -> None:
    comparison = compare(CaseState.WITHDRAWN, tdb_status(_dates(), START + timedelta(days=10)))
    assert not comparison.agrees
    assert not comparison.abandon_while_followed
    assert comparison.explanation.key == "tdb_closed_still_counted"


# -- the TDB's own walk, day by day, as the oracle -------------------------------------------------------------------

def _walk(dates: SentDates, now: date) -> TdbStatus:
    """flux-retour-cfas's buildEffectifStatus, transcribed day by day (the slow way the TDB does it)."""
    end = dates.training_end
    contracts = dates.contracts
    first = min([dates.training_start, *(c.start for c in contracts)])
    days = [first + timedelta(days=n) for n in range((end - first).days + 1)]
    raw = dict.fromkeys(days, S.INSCRIT)
    for contract in contracts:
        day = contract.start
        while day <= contract.last_day(end):
            if day in raw:
                raw[day] = S.APPRENTI
            day += timedelta(days=1)
    if dates.excluded_on is not None:
        for day in days:
            if day >= dates.excluded_on:
                raw[day] = S.ABANDON
    without, had = 0, False
    for day in days:
        if raw[day] is S.APPRENTI:
            had, without = True, 0
            continue
        without += 1
        if raw[day] is S.INSCRIT:
            raw[day] = (S.ABANDON if without > 180 else S.RUPTURANT) if had else \
                (S.ABANDON if without > 90 else S.INSCRIT)
    if not days:
        return S.INSCRIT
    last_status = raw[days[-1]]
    terminal = None
    for contract in contracts:
        fin = contract.last_day(end)
        if terminal is None or fin > terminal[1] or (fin == terminal[1] and contract.broken_on is not None):
            terminal = (contract, fin)
    natural = dates.excluded_on is None and terminal is not None and terminal[0].broken_on is None
    if natural and terminal is not None and (end - terminal[1]).days <= 60:
        for day in days:
            if day > terminal[1] and raw[day] in (S.INSCRIT, S.RUPTURANT):
                raw[day] = S.FIN_DE_FORMATION
    if last_status in (S.APPRENTI, S.INSCRIT) or natural:
        raw[days[-1]] = S.FIN_DE_FORMATION
    status = S.INSCRIT
    for day in days:
        if day > now:
            break
        status = raw[day]
    return status


_DAY = st.integers(min_value=-30, max_value=900)


@st.composite
def _sent(draw: st.DrawFn) -> SentDates:
    start = date(2026, 9, 1)
    end = start + timedelta(days=draw(st.integers(min_value=0, max_value=800)))
    contracts = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        begin = start + timedelta(days=draw(_DAY))
        length = draw(st.none() | st.integers(min_value=0, max_value=900))
        broken = draw(st.none() | st.integers(min_value=0, max_value=400))
        contracts.append(SentContract(begin, begin + timedelta(days=length) if length is not None else None,
                                      begin + timedelta(days=broken) if broken is not None else None))
    excluded = draw(st.none() | _DAY)
    return SentDates(start, start, end, tuple(contracts),
                     start + timedelta(days=excluded) if excluded is not None else None)


@settings(max_examples=300, deadline=None)
@given(dates=_sent(), offset=st.integers(min_value=-60, max_value=1000))
def test_the_status_is_the_tdbs_day_by_day_walk(dates: SentDates, offset: int) -> None:
    on = dates.training_start + timedelta(days=offset)
    assert tdb_status(dates, on).status is _walk(dates, on)


@settings(max_examples=300, deadline=None)
@given(dates=_sent(), offset=st.integers(min_value=0, max_value=1000))
def test_an_inscrit_or_rupturant_becomes_abandon_on_the_day_it_says_when_nothing_else_is_sent(
        dates: SentDates, offset: int) -> None:
    on = dates.training_start + timedelta(days=offset)
    result = tdb_status(dates, on)
    later = [c for c in dates.contracts if c.start > on]
    if result.becomes_on is None or later or dates.excluded_on is not None or \
            result.becomes_on >= dates.training_end:
        return
    assert _walk(dates, result.becomes_on - timedelta(days=1)) is result.status
    assert _walk(dates, result.becomes_on) is S.ABANDON

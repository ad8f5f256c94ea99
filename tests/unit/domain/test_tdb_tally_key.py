"""The board's kept TDB counts group cases by `tally_key` (domain/tdb_status.py; adapters/tdb_tally.py): the key
gives back the contracts it was made of, in any order they came, and two cases with the same key have the same
status on every day; `moves_in_tally` says which state changes may move a case between groups."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from contract_flow.domain.case import ProgrammeTerms
from contract_flow.domain.states import CaseState
from contract_flow.domain.tdb_status import (
    FOLLOWED,
    LEFT_BEFORE_START,
    SentContract,
    moves_in_tally,
    sent_dates,
    tally_contracts,
    tally_key,
    tdb_status,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))
contracts = st.builds(SentContract, days, st.none() | days, st.none() | days)


@given(st.lists(contracts, max_size=6), st.randoms())
def test_a_key_gives_back_its_contracts_whatever_their_order(found: list[SentContract], shuffle: object) -> None:
    key = tally_key(found)
    shuffled = list(found)
    shuffle.shuffle(shuffled)  # type: ignore[attr-defined]
    assert tally_key(shuffled) == key
    assert sorted(tally_contracts(key), key=repr) == sorted(found, key=repr)


@given(st.lists(contracts, max_size=4), days)
def test_the_status_read_from_a_key_is_the_status_of_its_contracts(found: list[SentContract], on: date) -> None:
    programme = ProgrammeTerms("", 3, 0, date(2026, 9, 1))

    def status(these: tuple[SentContract, ...]) -> object:
        started = tuple(sorted((one for one in these if one.start <= on), key=lambda one: one.start))[-4:]
        dates = sent_dates(registered_on=programme.start_date, programme=programme, programme_year=1,
                           contracts=())
        return tdb_status(replace(dates, contracts=started), on).status

    assert status(tally_contracts(tally_key(found))) == status(tuple(found))


def test_no_contract_is_the_empty_key() -> None:
    assert tally_key(()) == ""
    assert tally_contracts("") == ()
    one = SentContract(date(2026, 9, 1), date(2029, 8, 31), None)
    assert tally_key([one]) == "2026-09-01|2029-08-31|"
    broken = SentContract(date(2026, 9, 1), date(2029, 8, 31), date(2026, 9, 20))
    assert tally_contracts(tally_key([broken, one])) == (one, broken)


def test_the_search_steps_move_nothing_and_leaving_or_signing_may() -> None:
    assert not moves_in_tally(CaseState.REFLECT, CaseState.APPLY)
    assert not moves_in_tally(CaseState.SIGN, CaseState.SIGNED)  # both followed
    assert moves_in_tally(CaseState.APPLY, CaseState.WITHDRAWN)
    assert moves_in_tally(CaseState.TRIAL, CaseState.ENDED_IN_TRIAL)
    assert moves_in_tally(CaseState.ACTIVE, CaseState.COMPLETED)
    for before in CaseState:
        for after in CaseState:
            if (before in FOLLOWED) != (after in FOLLOWED) or \
                    (before in LEFT_BEFORE_START) != (after in LEFT_BEFORE_START):
                assert moves_in_tally(before, after), (before, after)

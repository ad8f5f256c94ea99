"""Finding and following cases (issue 15, item 4), on SQLite and PostgreSQL: a search by name or email that
ignores accents and capitals, run by the database a page at a time; the filters by programme, advisor, state and
«needs me»; each case's next deadline; the seats used and free per programme; the cases at risk from their
current contract only."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.search import fold, folded, search_words, word_in
from contract_flow.bootstrap import App
from contract_flow.domain.case import Role
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import InvalidInput
from contract_flow.services.access import Principal, case_scope
from contract_flow.services.case_filters import narrowed, parse_filter
from contract_flow.services.cases import advance, set_facts, show
from contract_flow.services.deadlines import next_deadlines
from contract_flow.services.directory import add_programme
from contract_flow.services.queries import cards, find_cases, seats
from contract_flow.services.risk import RiskPage, at_risk, at_risk_page, count_risks
from tests.conftest import People
from tests.support.calendars import calendar_for
from tests.support.cases import PATH, open_candidate, walk
from tests.support.dossier import fill_dossier

CFA = "imt-mines-ales"


def names(app: App, **filters: Any) -> list[str]:
    return sorted(f"{c.first_name} {c.last_name}" for c in find_cases(app, **filters).items)


def staff(people: People, role: Role = Role.ADVISOR, email: str | None = None) -> Principal:
    return Principal(1, email or (people.advisor if role is Role.ADVISOR else people.lead), "Staff", role, CFA, None)


def found(app: App, principal: Principal, **typed: Any) -> list[str]:
    """The names a list shows to `principal` with the filters as typed in the form."""
    scope = narrowed(case_scope(principal), parse_filter(**typed), principal, app.clock.now())
    items, _ = cards(app, scope, None, limit=50)
    return sorted(f"{c.first_name} {c.last_name}" for c in items)


def paris(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)


def test_a_search_ignores_accents_and_capitals_in_names_and_emails(app: App, people: People) -> None:
    open_candidate(app, first_name="Inès", last_name="Leroy", email="ines.leroy@example.org")
    open_candidate(app, first_name="Agnès", last_name="Œuvray", email="agnes.o@example.org")
    open_candidate(app, first_name="Léa", last_name="Martin", email="lea.martin@example.org")
    open_candidate(app, first_name="Zoé", last_name="Ançelin", email="zoe@exemple.fr")

    assert names(app, q="ines") == ["Inès Leroy"]
    assert names(app, q="INÈS") == ["Inès Leroy"]
    assert names(app, q="  leroy   Ines ") == ["Inès Leroy"]  # every word, in any order
    assert names(app, q="oeuvray") == ["Agnès Œuvray"]
    assert names(app, q="ès") == ["Agnès Œuvray", "Inès Leroy"]
    assert names(app, q="ancelin zoe") == ["Zoé Ançelin"]
    assert names(app, q="martin@example") == ["Léa Martin"]  # the email too
    assert names(app, q="exemple.fr") == ["Zoé Ançelin"]
    assert names(app, q="ines zzz") == []
    # LIKE's wildcards are searched as typed, not as wildcards
    assert names(app, q="%") == []
    assert names(app, q="_") == []
    assert names(app, q="e%a") == []
    # with the other filters, and in a list's scope
    assert names(app, q="ines", programme="mecatronique", state="reflect") == ["Inès Leroy"]
    assert names(app, q="ines", state="apply") == []
    assert found(app, staff(people), q="LÉA") == ["Léa Martin"]


def test_the_search_is_the_databases_a_page_at_a_time(app: App, people: People) -> None:
    for number in range(7):
        open_candidate(app, first_name="Noémie", last_name=f"Nom{number}", email=f"n{number}@example.org")
    open_candidate(app, first_name="Autre", last_name="Personne", email="autre@example.org")
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    sa.event.listen(app.engine, "before_cursor_execute", record)
    try:
        page = find_cases(app, q="noemie", limit=3, offset=0)
    finally:
        sa.event.remove(app.engine, "before_cursor_execute", record)
    assert (len(page.items), page.total) == (3, 7)
    searched = [s for s in statements if "LIKE" in s.upper() or " ~ " in s]
    assert searched, statements
    assert all(("cf_fold(" in s) or (" ~ " in s) for s in searched)
    assert any("LIMIT" in s.upper() for s in searched)


@pytest.mark.parametrize("text", ["Inès", "ÉLODIE", "Œuvray", "Ægir", "Straße", "Łukasz", "Øster", "Ñuñez",
                                  "Ÿvette", "L’Hôpital", "Çà-et-là", "Ğül", "josé.ÉMILE@Exemple.ORG",
                                  "Émile+77@exemple.org", "N°123-45 06.12.34.56", "100%_Zoë\\x"])
def test_the_database_folds_as_python_does(app: App, text: str) -> None:
    """The searched words are folded in Python, the names in SQL: both must agree, on either database."""
    written = sa.literal(text, sa.String)
    words = search_words(text)
    assert words
    with app.engine.connect() as connection:
        in_sql = connection.execute(sa.select(folded(written))).scalar_one()
        # each folded word of the text is found in the text as written, and in its capitals
        found = [connection.execute(sa.select(word_in(written, word))).scalar_one() for word in words]
        upper = [connection.execute(sa.select(word_in(sa.literal(text.upper(), sa.String), word))).scalar_one()
                 for word in words]
        missing = connection.execute(sa.select(word_in(written, "zzz"))).scalar_one()
    assert in_sql == fold(text)
    assert found == [True] * len(words)
    assert upper == [True] * len(words)
    assert not missing


@pytest.mark.parametrize(("text", "word", "expected"), [
    ("Émile+77@exemple.org", "emile+77@", True), ("Émile+77@exemple.org", "emile+78@", False),
    ("Émile+77@exemple.org", "amile+77@", False),  # its digits and + @ are there, not its letters
    ("N°123-45", "123-45", True), ("N°123-45", "123-4x", False), ("06.12.34", "6.12.3", True)])
def test_a_word_s_parts_written_one_way_are_looked_for_first_without_changing_what_it_finds(
        app: App, text: str, word: str, expected: bool) -> None:
    """On PostgreSQL a word's digits and punctuation are looked for as they are before its regular expression
    (adapters/search.written_one_way): a prefilter, which finds what the expression alone finds."""
    with app.engine.connect() as connection:
        assert connection.execute(sa.select(word_in(sa.literal(text, sa.String), word))).scalar_one() is expected
        assert connection.execute(sa.select(word_in(sa.literal(text.upper(), sa.String), word))).scalar_one() \
            is expected


def test_a_too_long_search_or_an_unknown_state_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as long:
        parse_filter(q="x" * 101)
    assert long.value.field == "q"
    with pytest.raises(InvalidInput) as state:
        parse_filter(state="nowhere")
    assert state.value.field == "state"
    assert parse_filter(q="  ", programme=" ", advisor="", state="").narrowing is False


def test_the_filters_by_programme_advisor_state_and_needs_me(app: App, people: People) -> None:
    add_programme(app, "robotique", name="Robotique", start_date=date(2026, 9, 1), years=3, seats=10,
                  cfa_code=CFA, calendar=calendar_for("robotique"), level=7)
    other = "autre.conseil@cfa.example"
    mine = open_candidate(app, first_name="Amélie", last_name="Mienne", email="a@example.org")
    set_facts(app, mine, {"advisor": people.advisor}, actor_email=people.advisor)
    theirs = open_candidate(app, first_name="Bruno", last_name="Autre", email="b@example.org")
    set_facts(app, theirs, {"advisor": other}, actor_email=people.advisor)
    nobodys = open_candidate(app, first_name="Chloé", last_name="Personne", email="c@example.org",
                             programme="robotique")
    deciding = open_candidate(app, first_name="Denis", last_name="Décide", email="d@example.org")
    set_facts(app, deciding, {"advisor": people.advisor}, actor_email=people.advisor)
    walk(app, deciding, "decide", advisor=people.advisor, lead=people.lead)
    assert nobodys

    advisor = staff(people)
    everyone = ["Amélie Mienne", "Bruno Autre", "Chloé Personne", "Denis Décide"]
    assert found(app, advisor) == everyone
    assert found(app, advisor, programme="robotique") == ["Chloé Personne"]
    assert found(app, advisor, programme="MECATRONIQUE") == ["Amélie Mienne", "Bruno Autre", "Denis Décide"]
    assert found(app, advisor, advisor=people.advisor.upper()) == ["Amélie Mienne", "Denis Décide"]
    assert found(app, advisor, advisor=other) == ["Bruno Autre"]
    assert found(app, advisor, state="decide") == ["Denis Décide"]
    assert found(app, advisor, state="reflect", programme="robotique") == ["Chloé Personne"]
    # needs me: an advisor's own cases and nobody's, at a step an advisor moves on (not «Décider», the lead's)
    assert found(app, advisor, needs_me=True) == ["Amélie Mienne", "Chloé Personne"]
    assert found(app, staff(people, email=other), needs_me=True) == ["Bruno Autre", "Chloé Personne"]
    assert found(app, staff(people, Role.PROGRAMME_LEAD), needs_me=True) == ["Denis Décide"]
    assert found(app, advisor, needs_me=True, q="chloe") == ["Chloé Personne"]
    # and the same through find_cases' own filters (the API's and the CLI's list)
    assert names(app, advisor=people.advisor, state="reflect") == ["Amélie Mienne"]


def test_each_case_has_its_next_deadline_overdue_once_past(app: App, people: People, clock: FixedClock) -> None:
    searching = open_candidate(app, first_name="Sam", last_name="Cherche", email="s@example.org")
    clock.set(paris(date(2026, 8, 20)))
    trial = open_candidate(app, first_name="Tom", last_name="Essai", email="t@example.org")
    walk(app, trial, "trial", advisor=people.advisor, lead=people.lead)
    deciding = open_candidate(app, first_name="Dan", last_name="Décide", email="d@example.org")
    walk(app, deciding, "decide", advisor=people.advisor, lead=people.lead)
    terms = show(app, trial).case.contract
    assert terms.opco_filing_due is not None

    clock.set(paris(date(2026, 9, 2)))
    found = next_deadlines(app, [searching, trial, deciding])
    # L6222-12-1: three months from the programme's start, the last day within them
    assert (found[searching].kind, found[searching].due, found[searching].overdue) == (
        "search_window", date(2026, 11, 30), False)
    soonest = min(d for d in (terms.opco_filing_due, terms.medical_visit_due, terms.training_start_due,
                              terms.trial_end) if d is not None)
    assert found[trial].due == soonest
    assert not found[trial].overdue
    assert deciding not in found  # nothing is due at «Décider»

    clock.set(paris(date(2026, 12, 1)))
    late = next_deadlines(app, [searching, trial])
    assert late[searching].overdue
    assert late[trial].overdue  # nobody recorded the filing with the OPCO
    assert late[trial].kind in {"opco_filing", "medical_visit", "training_start"}


def test_seats_used_and_free_per_programme(app: App, people: People, clock: FixedClock) -> None:
    add_programme(app, "robotique", name="Robotique", start_date=date(2026, 9, 1), years=3, seats=1,
                  cfa_code=CFA, calendar=calendar_for("robotique"), level=7)
    add_programme(app, "ailleurs", name="Ailleurs", start_date=date(2026, 9, 1), years=3, seats=5,
                  cfa_code="autre-cfa", calendar=calendar_for("ailleurs"), level=7)
    clock.set(paris(date(2026, 8, 20)))
    for number, programme in enumerate(("robotique", "mecatronique")):  # a mentor follows 2 at most (R6223-6)
        case_id = open_candidate(app, first_name=f"P{number}", email=f"p{number}@example.org", programme=programme)
        walk(app, case_id, "signed", advisor=people.advisor, lead=people.lead)
    open_candidate(app, first_name="Searching", email="s@example.org", programme="robotique")

    counted = {one.programme: (one.seats, one.used, one.free) for one in seats(app, CFA)}
    assert counted == {"mecatronique": (40, 1, 39), "robotique": (1, 1, 0)}
    assert {one.programme for one in seats(app, None)} == {"ailleurs", "mecatronique", "robotique"}


def test_the_cases_at_risk_are_those_of_the_current_contract_only(
        app: App, people: People, clock: FixedClock) -> None:
    """A trial broken, the search resumed and a second contract signed: the first contract, never filed with the
    OPCO, is no risk of the case any more; the second one's filing is."""
    clock.set(paris(date(2026, 8, 20)))
    case_id = open_candidate(app)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    first = show(app, case_id).case.contract
    clock.set(paris(date(2026, 9, 10)))
    advance(app, case_id, "break_trial", actor_email=people.advisor, facts={"contract.ended_by": "employer"})
    advance(app, case_id, "resume_search", actor_email=people.advisor)
    # the second contract: another company, a start on 2 November, signed on 20 October
    clock.set(paris(date(2026, 10, 20)))
    second_path = {"receive_offer": {"offer.company": "Autre SA", "offer.siret": PATH[2][1]["offer.siret"]},
                   "choose": {**PATH[3][1], "offer.start_date": "2026-11-02"},
                   "sign": {**PATH[5][1], "contract.signature_date": "2026-10-20"}}
    for trigger, facts in PATH[1:]:
        chosen = second_path.get(trigger, facts)
        if chosen:
            set_facts(app, case_id, chosen, actor_email=people.advisor)
        if trigger == "sign":
            fill_dossier(app, case_id, advisor=people.advisor)
        advance(app, case_id, trigger, actor_email=people.lead if trigger == "validate" else people.advisor)
    second = show(app, case_id).case.contract
    assert second.start_date == date(2026, 11, 2)
    assert first.opco_filing_due != second.opco_filing_due
    assert second.opco_filing_due is not None

    clock.set(paris(date(2026, 10, 28)))
    risks = [(r.kind, r.detail, r.due) for r in at_risk(app, None) if r.case_id == case_id]
    assert risks == [("deadline", "OPCO filing due (D6224-1)", second.opco_filing_due)]
    assert next_deadlines(app, [case_id])[case_id].due <= second.opco_filing_due
    assert next_deadlines(app, [case_id])[case_id].due > first.opco_filing_due  # type: ignore[operator]
    assert timedelta(0) < second.opco_filing_due - date(2026, 10, 28) <= timedelta(days=14)


def test_the_risks_a_page_at_a_time_are_the_whole_list_in_its_order(
        app: App, people: People, clock: FixedClock) -> None:
    """A page of the risks is read from each kind's first rows only (services/risk_query.ordered_risks): pages
    one after another, of any size, are still the whole list in its order (due dates first, undated ones as due
    today, then by case), and each page gives the whole count."""
    clock.set(paris(date(2026, 6, 1)))
    stale = [open_candidate(app, first_name=name, email=f"{name.lower()}@example.org")
             for name in ("Inès", "Paul", "Léa", "Hugo")]
    clock.set(paris(date(2026, 8, 20)))
    in_trial = [open_candidate(app, first_name=name, email=f"{name.lower()}@example.org") for name in ("Zoé", "Noé")]
    for case_id in in_trial:
        walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    trial_end = show(app, in_trial[0]).case.contract.trial_end
    assert trial_end is not None
    now = paris(trial_end - timedelta(days=3))
    whole = at_risk(app, None, now=now)
    assert {risk.case_id for risk in whole} >= {*stale, *in_trial}
    assert {risk.kind for risk in whole} >= {"stale", "deadline"}
    assert {risk.due is None for risk in whole} == {True, False}  # undated risks and dated ones
    for size in (1, 2, 3, 5, len(whole) + 1):
        pages = [at_risk_page(app, None, limit=size, offset=offset, now=now)
                 for offset in range(0, len(whole), size)]
        assert [risk for page in pages for risk in page.risks] == whole, size
        assert {page.total for page in pages} == {len(whole)}
    assert at_risk_page(app, None, limit=5, offset=len(whole), now=now) == RiskPage([], len(whole))
    # the page counts them beside its rows (web/routes/advisor.py): the same count, and the same rows uncounted
    assert count_risks(app, None, now=now) == len(whole)
    assert at_risk_page(app, None, limit=3, now=now, counted=False) == RiskPage(whole[:3], None)

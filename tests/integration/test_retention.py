"""Retention and the data subject's rights (issue 16, item 6) on SQLite and PostgreSQL: a person erased on request,
or a case anonymised by the daily job, leaves none of their personal values in any table of the metadata (every
text, JSON and bytes column, the reminder ledger, the inbox, the kept dossier's PDF included: a table added later
is read too); dates, states and counts stay (the statistics survive); an erasure while a live contract needs the
data is refused, naming it, and changes nothing; a case is due from the day its period ends, not the day before;
the export gives everything held as JSON."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import (
    anonymisation_table,
    case_table,
    contract_table,
    event_table,
    metadata,
    person_table,
    reminder_table,
)
from contract_flow.bootstrap import App
from contract_flow.domain.errors import Forbidden, InvalidInput, NotFound, NotNow, OutOfScope
from contract_flow.domain.retention import ERASED
from contract_flow.services.cases import advance
from contract_flow.services.directory import add_programme, add_user
from contract_flow.services.logins import log_in
from contract_flow.services.retention import anonymisation_log, erase_person, export_person, run_retention
from tests.conftest import VALID_SIRET, People, snapshot
from tests.support.calendars import OTHER_CFA
from tests.support.cases import open_candidate
from tests.support.retention import EMAIL, ended, rich_case, traces
from tests.support.world import paris

pytestmark = pytest.mark.postgres


#: What an erasure removes rather than rewrites: the person's tokens and failed logins, the case's place in the
#: board's TDB counts (it is sent no more: the fixture's teardown checks those counts against a recount); the log
#: grows.
GONE = ("anonymisation", "api_token", "login_failure", "tdb_tally", "tdb_tally_case")


def shape(app: App) -> dict[str, object]:
    """What the statistics read: cases per state, events per case and their moves, rows per table but the log."""
    with app.engine.connect() as connection:
        return {
            "states": Counter(connection.execute(sa.select(case_table.c.state)).scalars()),
            "moves": connection.execute(sa.select(event_table.c.case_id, event_table.c.seq, event_table.c.trigger,
                                                  event_table.c.from_state, event_table.c.to_state, event_table.c.at)
                                        .order_by(event_table.c.id)).all(),
            "rows": {table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                     for table in metadata.sorted_tables if table.name not in GONE},
        }


def test_an_erasure_is_refused_while_the_contract_is_live_and_changes_nothing(
        app: App, people: People, clock: FixedClock) -> None:
    rich = rich_case(app, people, clock)
    before = snapshot(app)
    with pytest.raises(NotNow) as refused:
        erase_person(app, EMAIL, actor_email=people.lead)
    assert refused.value.field == "email"
    assert f"the contract of case {rich.case_id} is live (trial)" in refused.value.rule
    assert "est en cours" in refused.value.rule.text("fr")  # type: ignore[attr-defined]
    # the mentor of the live contract neither
    with pytest.raises(NotNow):
        erase_person(app, people.mentor, actor_email=people.lead)
    assert snapshot(app) == before


def test_an_erased_person_leaves_no_personal_value_in_any_table(app: App, people: People, clock: FixedClock) -> None:
    rich = rich_case(app, people, clock)
    ended(app, people, clock, rich)
    assert {value for _, _, value in traces(app, rich.values)} == set(rich.values)  # all there before
    before = shape(app)

    erasure = erase_person(app, EMAIL.upper(), actor_email=people.lead)

    assert erasure.case_ids == (rich.case_id,)
    assert erasure.person_ids == (rich.person_id,)
    assert traces(app, rich.values) == []
    assert shape(app) == before  # states, the history's moves and dates, rows: the statistics survive
    with app.engine.connect() as connection:
        case = connection.execute(sa.select(case_table).where(case_table.c.id == rich.case_id)).mappings().one()
        user = connection.execute(sa.select(person_table).where(person_table.c.id == rich.person_id)).mappings().one()
        log = connection.execute(sa.select(anonymisation_table).order_by(anonymisation_table.c.id)).mappings().all()
    assert (case["first_name"], case["state"], case["birth_date"]) == (ERASED, "ended_in_trial", date(2004, 1, 1))
    with app.engine.connect() as connection:  # the codes and the companies stay, for the statistics
        contract = connection.execute(sa.select(contract_table).where(contract_table.c.case_id == rich.case_id)
                                      ).mappings().one()
        roles = set(connection.execute(sa.select(reminder_table.c.recipient_role)).scalars())
    assert (case["track"], contract["ended_by"], contract["employer_name"], contract["employer_siret"]) == (
        "excellence", "employer", "Industrie SA", VALID_SIRET)
    assert contract["gross_monthly_pay"] is not None
    assert roles <= {"apprentice", "mentor", "tutor", "advisor", "programme_lead", "employer", "engine", "billing"}
    assert (user["active"], user["password_hash"]) == (False, None)
    assert [(row["subject"], row["why"], row["by"]) for row in log] == [
        ("case", "request", people.lead), ("person", "request", people.lead)]
    assert [entry.subject for entry in anonymisation_log(app, actor_email=people.advisor)] == ["person", "case"]
    # nothing held any more under that email: not found for staff; the operator is told nothing is held
    with pytest.raises(NotFound):
        erase_person(app, EMAIL, actor_email=people.lead)
    with pytest.raises(NotNow) as nothing:
        erase_person(app, EMAIL, actor_email="system")
    assert nothing.value.rule == f"no data is held about {EMAIL}"


def test_the_daily_job_anonymises_on_the_day_the_period_ends_and_not_before(
        app: App, people: People, clock: FixedClock) -> None:
    rich = rich_case(app, people, clock)
    ended(app, people, clock, rich)
    withdrawn = open_candidate(app, first_name="Aurélien", last_name="Brocéliande", email="aurelien.b@example.org")
    clock.set(paris(2026, 11, 2, 10))
    advance(app, withdrawn, "withdraw", actor_email=people.advisor, reason="a trouvé une autre voie")
    before_shape = shape(app)

    # the contract ended on 21 October 2026: kept 5 years, due on 21 October 2031; the candidate who withdrew on
    # 2 November 2026: kept 24 months, due on 2 November 2028
    early = run_retention(app, on=date(2028, 11, 1))
    assert (early.due, early.anonymised) == ((), ())
    dry = run_retention(app, on=date(2031, 10, 21), dry_run=True)
    assert [(item.case_id, item.due_on, item.rule.value) for item in dry.due] == [
        (withdrawn, date(2028, 11, 2), "candidate"), (rich.case_id, date(2031, 10, 21), "contract")]
    assert traces(app, rich.values) != []  # a dry run changes nothing
    on_the_day = run_retention(app, on=date(2031, 10, 20))
    assert on_the_day.anonymised == (withdrawn,)
    assert traces(app, ("Aurélien", "Brocéliande", "aurelien.b@example.org", "a trouvé une autre voie")) == []
    assert traces(app, rich.values) != []
    done = run_retention(app, on=date(2031, 10, 21))
    assert done.anonymised == (rich.case_id,)
    assert traces(app, rich.values) == []
    assert shape(app) == before_shape
    again = run_retention(app, on=date(2040, 1, 1))
    assert again.due == ()  # each case once
    entries = anonymisation_log(app, actor_email="system")
    assert [(entry.case_id, entry.why, entry.rule, entry.due_on) for entry in entries] == [
        (rich.case_id, "retention", "contract", date(2031, 10, 21)),
        (withdrawn, "retention", "candidate", date(2028, 11, 2))]


def test_the_export_gives_everything_held_and_only_to_whom_it_may(app: App, people: People,
                                                                   clock: FixedClock) -> None:
    rich = rich_case(app, people, clock)
    exported = export_person(app, EMAIL, actor_email=people.advisor)
    text = json.dumps(exported, ensure_ascii=False)
    for value in rich.values:
        assert value in text
    [case] = exported["cases"]
    assert case["case_id"] == rich.case_id
    assert {"apprenticeship_case", "contract", "case_event", "review", "reminder", "inbox_message",
            "dossier_section", "dossier_version"} <= set(case["tables"])
    assert exported["users"][0]["password_hash"] is False  # said absent, never copied
    # the apprentice their own; the mentor's export lists the rows naming her email
    assert export_person(app, EMAIL, actor_email=EMAIL)["cases"][0]["case_id"] == rich.case_id
    assert "contract" in export_person(app, people.mentor, actor_email=people.lead)["mentions"]
    with pytest.raises(Forbidden):
        export_person(app, people.mentor, actor_email=EMAIL)
    with pytest.raises(Forbidden):
        erase_person(app, EMAIL, actor_email=people.tutor)
    with pytest.raises(InvalidInput) as bad:
        export_person(app, "not-an-email", actor_email=people.advisor)
    assert bad.value.field == "email"
    # another CFA's staff: as if nobody by that email existed
    add_programme(app, "autre", name="Autre", start_date=date(2026, 9, 1), years=2, seats=10, cfa_code="autre-cfa",
                  calendar=OTHER_CFA)
    add_user(app, "chef@autre.example", name="Chef Autre", role="programme_lead", cfa_code="autre-cfa")
    before = snapshot(app)
    with pytest.raises(OutOfScope):
        erase_person(app, EMAIL, actor_email="chef@autre.example")
    with pytest.raises(OutOfScope):
        export_person(app, EMAIL, actor_email="chef@autre.example")
    assert snapshot(app) == before


def test_a_mentor_erased_once_the_contract_ended_is_gone_from_every_table(
        app: App, people: People, clock: FixedClock) -> None:
    rich = rich_case(app, people, clock)
    ended(app, people, clock, rich)
    log_in(app, people.mentor, "pas son mot de passe", "203.0.113.8")
    erase_person(app, people.mentor, actor_email=people.lead)
    assert traces(app, (people.mentor, "Marie Maître", "Marie Maitre")) == []
    with app.engine.connect() as connection:
        assert connection.execute(sa.select(case_table.c.first_name)
                                  .where(case_table.c.id == rich.case_id)).scalar_one() == "Zoéline"
    erase_person(app, EMAIL, actor_email=people.lead)  # a second person erased: no key of theirs collides
    assert traces(app, rich.values) == []


def test_a_table_added_later_is_swept_too(app: App, people: People, clock: FixedClock) -> None:
    """Two tables the retention code has never heard of, one with a case_id, one without: an erasure leaves none
    of the person's values in them (the sweep walks the metadata, not a list of tables)."""
    later = sa.Table("zz_later_notes", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("case_id", sa.Integer), sa.Column("note", sa.Text), sa.Column("extra", sa.JSON))
    elsewhere = sa.Table("zz_later_log", metadata, sa.Column("id", sa.Integer, primary_key=True),
                         sa.Column("who", sa.String(254)), sa.Column("what", sa.JSON))
    try:
        later.create(app.engine)
        elsewhere.create(app.engine)
        rich = rich_case(app, people, clock)
        ended(app, people, clock, rich)
        with app.engine.begin() as connection:
            connection.execute(sa.insert(later).values(case_id=rich.case_id, note=f"Appel de {rich.values[0]} "
                                                       f"{rich.values[1]} au {rich.values[5]}",
                                                       extra={"to": EMAIL, "nir": rich.values[3]}))
            connection.execute(sa.insert(elsewhere).values(who=EMAIL.upper(), what={"name": "Zoéline Quintavalle"}))
        assert {table for table, _, _ in traces(app, rich.values)} >= {"zz_later_notes", "zz_later_log"}
        erase_person(app, EMAIL, actor_email=people.lead)
        assert traces(app, rich.values) == []
    finally:
        metadata.remove(later)
        metadata.remove(elsewhere)

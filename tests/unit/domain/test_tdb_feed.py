"""The TDB v3 item of a learner (issue 16, item 1; PUBLIC-SYSTEMS.md §2): the programme's part refused naming the
setting when it is missing or wrong, the school year and the year of training from the dates, the last four
contracts with their breaks in the TDB's words, and each field checked against the TDB's formats, the batch's
column-at-a-time check agreeing with the field-by-field one on any input."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.tdb_feed import (
    CAUSES,
    FIELDS,
    FORMATS,
    LEARNER_CHECKS,
    PLAIN_FIELDS,
    ContractFacts,
    batch_problems,
    break_cause,
    column_owns,
    column_problems,
    field_problem,
    frame,
    learner_columns,
    learner_fields,
    learner_item,
    learner_problems,
    problems,
    programme_feed,
)
from contract_flow.services.tdb_rows import Batch, Learners, Shared, _shared
from tests.support.tdb_server import item_errors

TDB = {"responsable_uai": "0300063F", "responsable_siret": "18009202500055", "formateur_uai": "0300063F",
       "formateur_siret": "18009202500055"}


def feed(**changes: object) -> object:
    return programme_feed("mecatronique", name="Ingénieur Mécatronique", start_date=date(2026, 9, 1), years=3,
                          tdb={**TDB, **changes}, rncp_code="RNCP37412", diploma_code="17025203",
                          setting="programmes/mecatronique.toml")


def learner(**facts: object) -> dict[str, object]:
    base: dict[str, object] = {"case_id": 7, "last_name": "Martin", "first_name": "Léa",
                               "birth_date": "2004-05-12", "registered_on": "2026-05-02",
                               "email": "lea@example.org", "legal_representative_email": None, "contracts": (),
                               "on": "2027-03-01"}
    return {**base, **facts}


@pytest.mark.parametrize(("key", "value", "rule"), [
    ("formateur_uai", None, "required"),
    ("responsable_uai", "0300063G", "check letter"),
    ("responsable_siret", "18009202500056", "SIRET"),
    ("formateur_siret", "1800920250005", "14"),
])
def test_a_missing_or_wrong_establishment_is_refused_naming_the_setting(key: str, value: object, rule: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        feed(**{key: value})
    assert refused.value.field == f"programmes/mecatronique.toml: tdb.{key}"
    assert rule in str(refused.value.rule)


def test_the_rncp_and_diploma_codes_are_required_from_the_training_table() -> None:
    with pytest.raises(InvalidInput) as refused:
        programme_feed("m", name="M", start_date=date(2026, 9, 1), years=3, tdb=TDB, rncp_code=None,
                       diploma_code="17025203", setting="m.toml")
    assert refused.value.field == "m.toml: training.rncp_code"


@pytest.mark.parametrize(("on", "year", "school"), [
    (date(2026, 9, 1), 1, "2026-2027"), (date(2027, 8, 31), 1, "2026-2027"), (date(2027, 9, 1), 2, "2027-2028"),
    (date(2031, 1, 1), 3, "2028-2029"),  # after the training's end: its last school year, its last year
    (date(2026, 8, 1), 1, "2026-2027"),  # before its start: its first
])
def test_the_school_year_and_the_year_of_training_follow_the_day(on: date, year: int, school: str) -> None:
    shared = frame(feed(), 1, on)  # type: ignore[arg-type]
    assert (shared["annee_formation"], shared["annee_scolaire"]) == (year, school)
    assert (shared["date_entree_formation"], shared["date_fin_formation"]) == ("2026-09-01", "2029-08-31")


def test_a_case_entering_year_two_ends_its_training_a_year_earlier() -> None:
    shared = frame(feed(), 2, date(2026, 10, 1))  # type: ignore[arg-type]
    assert (shared["annee_formation"], shared["date_fin_formation"]) == (2, "2028-08-31")


@pytest.mark.parametrize(("reason", "party", "cause"), [
    ("mutual_agreement", None, "résiliation"), ("dismissal_serious_misconduct", None, "faute lourde"),
    ("dismissal_unfitness", None, "inaptitude constatée par la médecine du travail"),
    ("dismissal_force_majeure", None, "force majeure"), ("diploma_obtained", None, "obtention du diplôme"),
    ("resignation_after_mediator", None, "démission"), (None, "apprentice", "démission"),
    (None, "employer", "résiliation"), (None, None, None),
])
def test_break_causes_are_the_tdb_s_words(reason: str | None, party: str | None, cause: str | None) -> None:
    assert break_cause(reason, party) == cause
    assert cause is None or cause in CAUSES


def test_the_last_four_contracts_are_sent_oldest_first_with_their_breaks_known_on_the_day() -> None:
    contracts = [ContractFacts(f"202{n}-09-01", f"202{n + 1}-08-31", f"202{n}-12-01", None, "employer",
                               "73282932000074") for n in range(5)]
    own = learner_fields(**learner(contracts=contracts, on="2024-06-01"))  # type: ignore[arg-type]
    assert [own.get("contrat_date_debut" + s) for s in ("", "_2", "_3", "_4")] == \
        ["2021-09-01", "2022-09-01", "2023-09-01", "2024-09-01"]
    assert own["cause_rupture_contrat_3"] == "résiliation"
    assert "contrat_date_rupture_4" not in own  # 2024-12-01 is after the day of the feed
    assert "contrat_date_debut_5" not in own


def test_a_whole_item_is_what_the_tdb_takes() -> None:
    item = learner_item(frame(feed(), 1, date(2027, 3, 1)), **learner())  # type: ignore[arg-type]
    assert item_errors(item) == []
    assert problems(item) == []
    assert item["nom_apprenant"] == "MARTIN"


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("nom_apprenant", "Martin", "in capitals"), ("prenom_apprenant", "  ", "required"),
    ("siret_employeur", "7328293200", "a SIRET: 14 digits"), ("email_contact", "lea@", "an email address"),
    ("contrat_date_debut_2", "01/09/2026", "a date YYYY-MM-DD"), ("annee_scolaire", "2026-2028", "YYYY-YYYY"),
    ("cause_rupture_contrat", "licenciement", "one of the TDB's causes"), ("annee_formation", 6, "0 to 5"),
    ("statut_apprenant", 1, "0 (abandon)"), ("rqth_apprenant", "oui", "true or false"),
    ("code_commune_insee_apprenant", "2C123", "INSEE"), ("type_cfa", "11", "01"),
])
def test_each_field_is_checked_against_the_tdb_s_format(field: str, value: object, rule: str) -> None:
    problem = field_problem(field, value)
    assert problem is not None
    assert rule.split(":", maxsplit=1)[0] in problem


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
values = st.one_of(texts, st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
                   st.from_regex(r"[0-9]{14}", fullmatch=True), st.from_regex(r"[a-z]{1,5}@[a-z]{1,5}\.fr",
                                                                             fullmatch=True),
                   st.sampled_from(CAUSES), st.integers(-3, 60), st.none())
owns = st.lists(st.dictionaries(st.sampled_from(sorted(LEARNER_CHECKS)), values, min_size=1), max_size=8)


@settings(max_examples=300, deadline=None)
@given(owns)
def test_the_batch_check_finds_exactly_the_learners_the_field_by_field_check_refuses(batch: list[dict]) -> None:  # type: ignore[type-arg]
    expected = {position: found for position, own in enumerate(batch) if (found := learner_problems(own))}
    assert batch_problems(batch) == expected


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=12))
def test_any_item_our_check_takes_the_tdb_takes(item: dict[str, object]) -> None:
    """Our formats are the TDB's (the stand-in's, written separately from PUBLIC-SYSTEMS.md)."""
    if not problems(item):
        assert item_errors(item) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(sorted(LEARNER_CHECKS)), st.one_of(texts, st.integers()),
                                min_size=1), max_size=5),
       st.dictionaries(st.sampled_from([name for name in FIELDS if name not in LEARNER_CHECKS]), texts))
def test_a_batch_s_body_is_json_dumps_of_its_items(batch: list[dict], fields: dict) -> None:  # type: ignore[type-arg]
    """The programme's part and the learner's never share a field (as in the feed)."""
    shared: Shared = _shared(fields)
    written = Batch.of(shared, batch)
    assert written.body() == json.dumps(written.items, ensure_ascii=False).encode()
    assert json.loads(written.body()) == written.items


dates = st.dates(date(2019, 1, 1), date(2031, 12, 31)).map(date.isoformat)
contracts_of = st.builds(ContractFacts, dates, st.one_of(st.none(), st.just(""), dates),
                         st.one_of(st.none(), dates), st.sampled_from([None, "", "mutual_agreement", "other"]),
                         st.sampled_from([None, "apprentice", "employer"]),
                         st.one_of(st.none(), st.just(""), st.just("73282932000074")))
learners = st.fixed_dictionaries({
    "case_id": st.integers(1, 10**12), "last_name": texts.filter(str.strip), "first_name": texts,
    "birth_date": dates, "registered_on": dates, "email": st.one_of(st.none(), st.just(""), texts),
    "legal_representative_email": st.one_of(st.none(), st.just(""), texts),
    "contracts": st.lists(contracts_of, max_size=6)})


@settings(max_examples=300, deadline=None)
@given(st.lists(learners, max_size=12), dates)
def test_the_columns_of_many_learners_are_each_learner_s_fields(many: list[dict], on: str) -> None:  # type: ignore[type-arg]
    """learner_columns (the feed, a field at a time) writes what learner_fields writes for each learner, in the
    same order, and its check finds the learners the field-by-field check refuses."""
    one_each = [learner_fields(**facts, on=on) for facts in many]

    def column(name: str) -> list[object]:
        return [facts[name] for facts in many]

    only = [facts["contracts"][0] if len(facts["contracts"]) == 1 else None for facts in many]
    columns = learner_columns(
        case_ids=column("case_id"), last_names=column("last_name"),  # type: ignore[arg-type]
        first_names=column("first_name"), birth_dates=column("birth_date"),  # type: ignore[arg-type]
        registered_on=column("registered_on"), emails=column("email"),  # type: ignore[arg-type]
        legal_representative_emails=column("legal_representative_email"),  # type: ignore[arg-type]
        first_contract=[[None if contract is None else contract[index] for contract in only] for index in range(6)],
        several={position: facts["contracts"] for position, facts in enumerate(many)  # type: ignore[misc]
                 if len(facts["contracts"]) > 1},
        on=on)
    assert [list(own.items()) for own in column_owns(columns)] == [list(own.items()) for own in one_each]
    assert column_problems(columns) == {position: found for position, own in enumerate(one_each)
                                        if (found := learner_problems(own))}


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_value_of_a_plain_field_that_passes_its_check_needs_no_json_escaping(data: st.DataObject) -> None:
    """The feed writes the values of PLAIN_FIELDS between quotes as they are, once checked."""
    name = data.draw(st.sampled_from(sorted(PLAIN_FIELDS)))
    value = data.draw(st.from_regex(FORMATS[name][0], fullmatch=True))
    if field_problem(name, value) is None:
        assert json.dumps(value, ensure_ascii=False) == f'"{value}"'


def _as_columns(many: list[dict], on: str) -> dict:  # type: ignore[type-arg]
    only = [facts["contracts"][0] if len(facts["contracts"]) == 1 else None for facts in many]
    return learner_columns(
        case_ids=[facts["case_id"] for facts in many], last_names=[facts["last_name"] for facts in many],
        first_names=[facts["first_name"] for facts in many], birth_dates=[facts["birth_date"] for facts in many],
        registered_on=[facts["registered_on"] for facts in many], emails=[facts["email"] for facts in many],
        legal_representative_emails=[facts["legal_representative_email"] for facts in many],
        first_contract=[[None if contract is None else contract[index] for contract in only] for index in range(6)],
        several={position: facts["contracts"] for position, facts in enumerate(many) if len(facts["contracts"]) > 1},
        on=on)


@settings(max_examples=300, deadline=None)
@given(st.lists(learners, min_size=1, max_size=12), dates, st.booleans(),
       st.dictionaries(st.sampled_from([name for name in FIELDS if name not in LEARNER_CHECKS]), texts))
def test_the_feed_s_learners_are_written_as_json_dumps_writes_them(many: list[dict], on: str, checked: bool,  # type: ignore[type-arg]
                                                                    fields: dict) -> None:  # type: ignore[type-arg]
    """The learners as the feed holds them (learner_columns), any text in their names and emails (quotes,
    backslashes, control characters): written by Learners.text itself, never handed to json.dumps, and exactly
    what json.dumps writes. Once checked (the feed's pieces), the checked plain fields are not searched."""
    columns = _as_columns(many, on)
    if checked and column_problems(columns):
        return  # the feed sets these learners aside before writing
    piece = Learners([_shared(fields)] * len(many), columns, checked=checked)

    def refused() -> str:
        raise AssertionError("handed to json.dumps")

    piece.by_json = refused  # type: ignore[method-assign]
    assert piece.text() == json.dumps(piece.items, ensure_ascii=False)[1:-1]

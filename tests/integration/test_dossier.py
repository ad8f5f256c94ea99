"""The contract dossier (CERFA FA13, issue 14, items 1 to 3) on SQLite and PostgreSQL: filled section by section by
the people who know it, each section saved on its own and version-checked, every change in the case's history,
one source of truth with the case, and `sign` refused until the dossier is complete and lawful."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from stdnum.fr import nir

from contract_flow.bootstrap import App
from contract_flow.domain.dossier import Section
from contract_flow.domain.errors import ConflictError, Forbidden, InvalidInput, OutOfScope, TransitionRefused
from contract_flow.domain.states import CaseState
from contract_flow.services.cases import advance, set_facts, show
from contract_flow.services.directory import add_user
from contract_flow.services.dossier import DossierView, check_dossier, set_section, show_dossier
from contract_flow.services.reminders import ledger
from tests.conftest import NOW, People, snapshot
from tests.support.cases import PATH, open_candidate, walk
from tests.support.dossier import APPRENTICE, CONTRACT, EMPLOYER, MENTOR, a_nir, fill_dossier

pytestmark = pytest.mark.postgres

#: Signed on 20 August 2026 in Alès, from 1 September 2026 to 31 August 2029 (the brochure's three years).
SIGNING = {"signature_date": "2026-08-20", "signature_place": "Alès", "end_date": "2029-08-31"}
#: 17 on 20 August 2026: a minor, not emancipated, whose contract her legal representative signs too.
MINOR_BIRTH = date(2009, 2, 10)


def to_sign(app: App, people: People, **candidate: object) -> int:
    """A case of the brochure's programme waiting for its signature: offer chosen (start, pay, hours, employer),
    project validated; nothing of the dossier filled yet."""
    case_id = open_candidate(app, **candidate)  # type: ignore[arg-type]
    walk(app, case_id, "sign", advisor=people.advisor, lead=people.lead)
    return case_id


def named(people: People) -> dict[str, str]:
    return {"1.first_name": "Marie", "1.last_name": "Maître", "1.email": people.mentor}


def history_facts(app: App, case_id: int) -> dict[str, str]:
    return show(app, case_id).history[-1].facts


def test_an_empty_case_becomes_a_complete_lawful_dossier_and_is_signed(app: App, people: People) -> None:
    """The brochure's programme: the training pre-filled from its configuration, the pay lines from the rules,
    the case's facts where it holds them; the advisor, the mentor and the apprentice fill the rest."""
    case_id = to_sign(app, people)
    view = show_dossier(app, case_id, actor_email=people.advisor)
    assert not view.complete
    assert not view.signable
    training = view.sections[Section.TRAINING]
    assert training.version == 0
    assert {key: training.data[key] for key in ("cfa_siret", "cfa_uai", "rncp_code", "diploma_type",
                                                "training_hours", "training_start")} == {
        "cfa_siret": "18009202500055", "cfa_uai": "0300063F", "rncp_code": "RNCP37412", "diploma_type": "74",
        "training_hours": "1800", "training_start": "2026-09-01"}
    employer = view.sections[Section.EMPLOYER].data
    assert (employer["siret"], employer["name"]) == ("73282932000074", "Industrie SA")  # the offer chosen

    set_section(app, case_id, "contract", {**CONTRACT, **SIGNING}, actor_email=people.advisor)
    set_section(app, case_id, "mentors", named(people), actor_email=people.advisor)
    set_section(app, case_id, "mentors", {f"1.{key}": value for key, value in MENTOR.items()},
                actor_email=people.mentor)
    set_section(app, case_id, "employer", EMPLOYER, actor_email=people.mentor)
    set_section(app, case_id, "apprentice", {**APPRENTICE, "nir": a_nir(view)}, actor_email=people.apprentice)
    with pytest.raises(TransitionRefused) as refused:
        advance(app, case_id, "sign", actor_email=people.advisor)
    assert refused.value.reasons == ("dossier training.exams_end: Planned end of the exams is missing (CERFA FA13 "
                                     "n° 10103*14: a field the State's contract tool requires)",)
    view = set_section(app, case_id, "training", {"exams_end": "2029-06-30"}, actor_email=people.advisor)

    assert (view.complete, view.lawful, view.signable) == (True, True, True)
    assert check_dossier(app, case_id, actor_email=people.lead) == []
    lines = view.dossier.pay_lines
    assert [line.contract_year for line in lines] == [1, 2, 3]  # 22 on the start: one age band throughout
    assert all(line.rate is not None and line.minimum_rate is not None and line.rate >= line.minimum_rate
               for line in lines)
    assert {section: part.version for section, part in view.sections.items()} == {
        Section.EMPLOYER: 1, Section.APPRENTICE: 1, Section.MENTORS: 2, Section.CONTRACT: 1, Section.PAY: 0,
        Section.TRAINING: 1}
    terms = show(app, case_id).case.contract  # what the dossier said of the contract is the case's
    assert (terms.signature_date, terms.signature_place, terms.end_date, terms.mentor_name, terms.mentor_email,
            terms.employer_email) == (date(2026, 8, 20), "Alès", date(2029, 8, 31), "Marie Maître", people.mentor,
                                      "rh@industrie.example")
    advance(app, case_id, "sign", actor_email=people.advisor)
    assert show(app, case_id).case.state is CaseState.SIGNED


def test_each_section_is_saved_on_its_own_and_a_stale_version_is_refused_with_nothing_saved(
        app: App, people: People) -> None:
    case_id = to_sign(app, people)
    assert set_section(app, case_id, "employer", {"naf_code": "28.99B"}, actor_email=people.advisor,
                       expected_version=0).sections[Section.EMPLOYER].version == 1
    view = set_section(app, case_id, "apprentice", {"sex": "F"}, actor_email=people.advisor, expected_version=0)
    assert (view.sections[Section.APPRENTICE].version, view.sections[Section.EMPLOYER].version) == (1, 1)
    assert set_section(app, case_id, "employer", {"headcount": "250"}, actor_email=people.advisor,
                       expected_version=1).sections[Section.EMPLOYER].version == 2
    before = snapshot(app)
    for stale in (0, 1):
        with pytest.raises(ConflictError) as conflict:
            set_section(app, case_id, "employer", {"headcount": "12"}, actor_email=people.advisor,
                        expected_version=stale)
        assert f"dossier section employer of case {case_id} was changed by someone else since version {stale} " \
               "(it is now at version 2)" in str(conflict.value)
    assert snapshot(app) == before
    assert show_dossier(app, case_id, actor_email=people.advisor).dossier.employer.headcount == 250


def test_the_mentor_fills_the_employer_and_mentors_sections_of_their_own_case_only(app: App, people: People) -> None:
    ours = to_sign(app, people)
    set_section(app, ours, "mentors", named(people), actor_email=people.advisor)
    theirs = to_sign(app, people, first_name="Hugo", email="hugo.bernard@example.org")
    set_section(app, theirs, "mentors", {**named(people), "1.email": "autre.maitre@industrie.example"},
                actor_email=people.advisor)

    set_section(app, ours, "employer", {"naf_code": "28.99B"}, actor_email=people.mentor)
    set_section(app, ours, "mentors", {"1.job": "Ingénieure"}, actor_email=people.mentor)
    assert show_dossier(app, ours, actor_email=people.mentor).sections[Section.EMPLOYER].editable
    before = snapshot(app)
    with pytest.raises(Forbidden, match="the dossier's apprentice section is for CFA staff or apprentice"):
        set_section(app, ours, "apprentice", {"sex": "F"}, actor_email=people.mentor)
    with pytest.raises(Forbidden, match="the dossier's contract section"):
        set_section(app, ours, "contract", {"mode": "1"}, actor_email=people.mentor)
    with pytest.raises(Forbidden, match="changing the mentor's email"):
        set_section(app, ours, "mentors", {"1.email": "moi@ailleurs.example"}, actor_email=people.mentor)
    for what in (lambda: set_section(app, theirs, "employer", {"naf_code": "28.99B"}, actor_email=people.mentor),
                 lambda: show_dossier(app, theirs, actor_email=people.mentor)):
        with pytest.raises(OutOfScope):
            what()
    assert snapshot(app) == before


def test_the_apprentice_fills_her_own_section_only_and_others_are_refused(app: App, people: People) -> None:
    case_id = to_sign(app, people)  # Léa's, whose email is the apprentice user's
    view = set_section(app, case_id, "apprentice", {"sex": "F", "birth_town": "Alès"},
                       actor_email=people.apprentice)
    assert view.sections[Section.APPRENTICE].editable
    assert not view.sections[Section.EMPLOYER].editable
    add_user(app, "conseil@autre-cfa.example", name="Autre Conseil", role="advisor", cfa_code="autre-cfa")
    set_facts(app, case_id, {"tutor": people.tutor}, actor_email=people.advisor)
    before = snapshot(app)
    with pytest.raises(Forbidden, match="the dossier's employer section is for CFA staff or mentor"):
        set_section(app, case_id, "employer", {"naf_code": "28.99B"}, actor_email=people.apprentice)
    with pytest.raises(Forbidden, match="reading the contract dossier is for advisor or apprentice or mentor or "
                                        "programme lead; you are tutor"):
        show_dossier(app, case_id, actor_email=people.tutor)
    with pytest.raises(Forbidden, match="filling in the contract dossier"):
        set_section(app, case_id, "apprentice", {"sex": "M"}, actor_email=people.tutor)
    with pytest.raises(OutOfScope):
        set_section(app, case_id, "employer", {"naf_code": "28.99B"}, actor_email="conseil@autre-cfa.example")
    assert snapshot(app) == before


def test_each_change_is_in_the_history_with_who_when_and_each_field_old_and_new(
        app: App, people: People) -> None:
    case_id = to_sign(app, people)
    set_section(app, case_id, "mentors", named(people), actor_email=people.advisor)
    set_section(app, case_id, "employer", {"naf_code": "28.99b", "opco": "OPCO 2i"}, actor_email=people.advisor)
    set_section(app, case_id, "employer", {"naf_code": "25.62A", "opco": ""}, actor_email=people.mentor)
    entry = show(app, case_id).history[-1]
    assert (entry.trigger, entry.actor, entry.at, entry.reason) == (
        "record_facts", people.mentor, NOW, "dossier: employer section, version 2")
    assert entry.facts == {"dossier.employer.naf_code": "28.99B → 25.62A", "dossier.employer.opco": "OPCO 2i → none"}
    set_section(app, case_id, "apprentice", {"sex": "F", "nir": a_nir(show_dossier(app, case_id,
                                                                                 actor_email=people.advisor))},
                actor_email=people.apprentice)
    assert history_facts(app, case_id) == {"dossier.apprentice.sex": "none → F",
                                           "dossier.apprentice.nir": "none → *************" + a_nir(
                                               show_dossier(app, case_id, actor_email=people.advisor))[-2:]}
    events = len(show(app, case_id).history)
    set_section(app, case_id, "employer", {"naf_code": "25.62A"}, actor_email=people.advisor)  # nothing changes
    assert len(show(app, case_id).history) == events


def test_what_the_case_holds_has_one_source_of_truth(app: App, people: People) -> None:
    """The dossier's contract dates, employer, mentor, pay and hours are the case's facts, written through; the
    apprentice's identity is the case's, changed there."""
    case_id = to_sign(app, people)
    set_section(app, case_id, "contract", {"start_date": "2026-09-07", "hiring_pay": "1500", "weekly_hours": "35",
                                           "weekly_minutes": "30"}, actor_email=people.advisor)
    terms = show(app, case_id).case.contract
    assert (str(terms.start_date), str(terms.gross_monthly_pay), str(terms.weekly_hours)) == (
        "2026-09-07", "1500.00", "35.50")
    assert history_facts(app, case_id) == {
        "dossier.contract.start_date": "2026-09-01 → 2026-09-07", "dossier.contract.hiring_pay": "1400.00 → 1500.00",
        "dossier.contract.weekly_minutes": "0 → 30"}
    set_facts(app, case_id, {"contract.employer_name": "Industrie Nouvelle SA", "contract.mentor_name": "Jean Pierre "
                                                                                                      "Dupont"},
              actor_email=people.advisor)
    view = show_dossier(app, case_id, actor_email=people.advisor)
    assert view.dossier.employer.name == "Industrie Nouvelle SA"
    assert (view.dossier.mentors[0].first_name, view.dossier.mentors[0].last_name) == ("Jean", "Pierre Dupont")
    # the names split as the form says, kept while they make the case's name
    set_section(app, case_id, "mentors", {"1.first_name": "Jean Pierre", "1.last_name": "Dupont"},
                actor_email=people.advisor)
    mentor = show_dossier(app, case_id, actor_email=people.advisor).dossier.mentors[0]
    assert (mentor.first_name, mentor.last_name) == ("Jean Pierre", "Dupont")
    assert show(app, case_id).case.contract.mentor_name == "Jean Pierre Dupont"
    before = snapshot(app)
    with pytest.raises(InvalidInput) as refused:
        set_section(app, case_id, "apprentice", {"birth_date": "2004-05-13"}, actor_email=people.advisor)
    assert (refused.value.field, "fact candidate.birth_date" in refused.value.rule) == ("apprentice.birth_date", True)
    with pytest.raises(InvalidInput) as refused:
        set_section(app, case_id, "employer", {"siret": ""}, actor_email=people.advisor)
    assert refused.value.field == "employer.siret"
    with pytest.raises(InvalidInput) as refused:
        set_section(app, case_id, "contract", {"start_date": "2029-09-01", "end_date": "2029-08-31"},
                    actor_email=people.advisor)
    assert (refused.value.field, refused.value.rule) == ("contract.end_date",
                                                         "2029-08-31 is not after the start 2029-09-01")
    assert snapshot(app) == before


def test_a_change_re_plans_the_reminders(app: App, people: People) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "signed", advisor=people.advisor, lead=people.lead)
    employer_rows = [row for row in ledger(app, case_id) if row.recipient_role == "employer"
                     and row.status == "planned"]
    assert employer_rows
    assert {row.recipient for row in employer_rows} == {"rh@industrie.example"}
    set_section(app, case_id, "employer", {"email": "paie@industrie.example"}, actor_email=people.advisor)
    assert show(app, case_id).case.contract.employer_email == "paie@industrie.example"
    assert {row.recipient for row in ledger(app, case_id) if row.recipient_role == "employer"
            and row.status == "planned"} == {"paie@industrie.example"}


def test_sign_is_refused_naming_field_and_article_until_the_dossier_is_lawful(app: App, people: People) -> None:
    """R6223-6: Marie Maître already follows two apprentices of the CFA when this contract comes to be signed."""
    case_id = to_sign(app, people, first_name="Chloé", email="chloe.dubois@example.org")
    for facts in (SIGNING, {"start_date": "2026-09-01"}):
        set_facts(app, case_id, {f"contract.{key}": value for key, value in facts.items()},
                  actor_email=people.advisor)
    set_section(app, case_id, "mentors", named(people), actor_email=people.advisor)
    fill_dossier(app, case_id, advisor=people.advisor)
    assert check_dossier(app, case_id, actor_email=people.advisor) == []
    for first, email in (("Léa", "lea.martin@example.org"), ("Hugo", "hugo.bernard@example.org")):
        walk(app, open_candidate(app, first_name=first, email=email), "signed", advisor=people.advisor,
             lead=people.lead)  # each with Marie Maître as mentor (tests/support/cases.PATH)
    with pytest.raises(TransitionRefused) as refused:
        advance(app, case_id, "sign", actor_email=people.advisor)
    [reason] = refused.value.reasons
    assert reason.startswith("dossier mentors.1: the mentor already follows 2 apprentice(s)")
    assert "(R6223-6: a mentor follows at most 2 apprentices at a time" in reason
    assert not show_dossier(app, case_id, actor_email=people.advisor).lawful

    set_section(app, case_id, "mentors", {"1.first_name": "Paul", "1.last_name": "Technicien",
                                          "1.email": "paul.technicien@industrie.example"}, actor_email=people.advisor)
    advance(app, case_id, "sign", actor_email=people.advisor)
    assert show(app, case_id).case.state is CaseState.SIGNED
    with pytest.raises(InvalidInput) as fixed:  # signed: its start is the contract's, an amendment changes it
        set_section(app, case_id, "contract", {"start_date": "2026-09-02"}, actor_email=people.advisor)
    assert fixed.value.field == "contract.start_date"


def minor_to_sign(app: App, people: People) -> int:
    case_id = to_sign(app, people, birth_date=MINOR_BIRTH)
    set_facts(app, case_id, {f"contract.{key}": value for key, value in SIGNING.items()}, actor_email=people.advisor)
    return case_id


def minor_nir() -> str:
    number = f"2{MINOR_BIRTH.year % 100:02d}{MINOR_BIRTH.month:02d}30007123"
    return number + nir.calc_check_digits(number)


Case = Callable[[App, People], int]
BAD_INPUT: list[tuple[str, Case, str, dict[str, str], str, str]] = [
    ("a NIR with a wrong key", to_sign, "apprentice", {"sex": "F", "nir": "204053000712399"}, "apprentice.nir",
     "the key 99 does not match the number"),
    ("a NIR of another birth year", to_sign, "apprentice", {"sex": "F", "nir": minor_nir()}, "apprentice.nir",
     "birth year"),
    ("an IDCC of letters", to_sign, "employer", {"idcc_code": "ABCD"}, "employer.idcc_code", "is not an IDCC code"),
    ("a SIRET failing its check digit", to_sign, "employer", {"siret": "73282932000075"}, "employer.siret", "SIRET"),
    ("a code outside its list", to_sign, "contract", {"mode": "9"}, "contract.mode", "is not a code of the list"),
    ("a date that is no date", to_sign, "contract", {"end_date": "2029-02-30"}, "contract.end_date", "date"),
    ("an amount of letters", to_sign, "contract", {"hiring_pay": "beaucoup"}, "contract.hiring_pay", ""),
    ("too many weekly hours", to_sign, "contract", {"weekly_hours": "49"}, "contract.weekly_hours", "48"),
    ("a misspelt field", to_sign, "training", {"rncp": "RNCP37412"}, "training.rncp", "unknown field"),
    ("a pay line below the minimum", minor_to_sign, "pay", {"1.rate": "20"}, "pay.1.rate",
     "below the legal minimum"),
    ("a minor without a representative", minor_to_sign, "apprentice", {"not_emancipated": "yes"},
     "apprentice.legal_representative.name", "R6222-2"),
    ("a minor declared an adult", minor_to_sign, "apprentice", {"minor": "no"}, "apprentice.minor", "Code civil"),
    ("an ineligible mentor", to_sign, "mentors", {"1.diploma_level": "6", "1.diploma_in_field": "yes",
                                                  "1.experience_years": "1"}, "mentors.1.experience_years",
     "R6223-22"),
]


@pytest.mark.parametrize(("case", "section", "values", "field", "words"),
                         [pytest.param(*row[1:], id=row[0]) for row in BAD_INPUT])
def test_bad_input_is_refused_naming_the_field_with_nothing_saved(
        app: App, people: People, case: Case, section: str, values: dict[str, str], field: str, words: str) -> None:
    case_id = case(app, people)
    if section == "mentors":
        set_section(app, case_id, "mentors", named(people), actor_email=people.advisor)
    before = snapshot(app)
    with pytest.raises(InvalidInput) as refused:
        set_section(app, case_id, section, values, actor_email=people.advisor)
    assert refused.value.field == field
    assert words in refused.value.rule
    assert snapshot(app) == before


def test_a_minor_with_her_representative_is_complete_and_signed(app: App, people: People) -> None:
    case_id = minor_to_sign(app, people)
    set_section(app, case_id, "mentors", named(people), actor_email=people.advisor)
    view: DossierView = fill_dossier(app, case_id, advisor=people.advisor)
    assert view.dossier.apprentice.minor
    assert view.dossier.apprentice.legal_representative.name == "Paul Martin"
    assert show(app, case_id).case.legal_representative_email == "paul.martin@example.org"  # the case's fact
    advance(app, case_id, "sign", actor_email=people.advisor)
    assert show(app, case_id).case.state is CaseState.SIGNED


def test_walk_signs_with_a_complete_dossier(app: App, people: People) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    assert check_dossier(app, case_id, actor_email=people.advisor) == []
    assert dict(PATH)["sign"]["contract.signature_place"] == show_dossier(
        app, case_id, actor_email=people.advisor).dossier.contract.signature_place

"""`contract-flow dossier file|decision|filing|filings` and the board's table (issue 14, item 6) on SQLite and
PostgreSQL: the filing and the OPCO's answer told in French by default (`--lang en`), `--json` for programs; a
refusal names the field and the rule, exits 2 (a malformed value) or 1 (not now), and saves nothing."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner, Result

from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from contract_flow.services.cases import show
from contract_flow.services.dossier import set_section
from tests.conftest import People, snapshot
from tests.support.cases import open_candidate, walk

pytestmark = pytest.mark.postgres

runner = CliRunner()
DECA = "030202609000123"


def cf(*args: str, code: int = 0, now: str = "2026-09-02T10:00") -> Result:
    result = runner.invoke(cli_app, ["--now", now, *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def case_id(app: App, database_url: str, people: People, monkeypatch: pytest.MonkeyPatch) -> int:
    """Léa's contract, signed on 20 August 2026 (the dossier's employer names OPCO 2i), on the CLI's database."""
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    found = open_candidate(app)
    walk(app, found, "signed", advisor=people.advisor, lead=people.lead)
    return found


def test_file_then_accepted_told_in_french_then_in_english_and_as_json(
        app: App, people: People, case_id: int) -> None:
    case = str(case_id)
    out = cf("dossier", "file", case, "--on", "2026-08-25", "--as", people.advisor).stdout
    assert out.strip() == (f"cas {case_id} : contrat déposé auprès d’OPCO 2i le 25 août 2026 ; décision attendue "
                           "au plus tard le 14 septembre 2026 (D6224-2)")
    accepted = cf("dossier", "decision", case, "accepted", "--deca", DECA, "--on", "2026-09-01", "--as",
                  people.advisor, "--lang", "en").stdout
    assert accepted.strip() == f"case {case_id}: contract accepted by OPCO 2i on 1 September 2026, DECA number {DECA}"
    data = json.loads(cf("dossier", "filing", case, "--json").stdout)
    assert (data["status"], data["deca_number"], data["filed_on"], data["decided_on"], data["may_file"]) == (
        "accepted", DECA, "2026-08-25", "2026-09-01", False)
    board = cf("board").stdout
    assert "Contrats et OPCO" in board
    assert json.loads(cf("dossier", "filings", "--json").stdout)["mecatronique"] == {
        "signed": 1, "filed": 1, "accepted": 1, "refused": 0, "waiting": 0}


def test_refused_then_filed_again_the_refusal_s_reason_and_what_to_fix(app: App, people: People,
                                                                       case_id: int) -> None:
    case = str(case_id)
    cf("dossier", "file", case, "--on", "2026-08-25", "--opco", "OPCO 2i", "--operator")
    refused = cf("dossier", "decision", case, "refused", "--reason", "convention de formation manquante", "--on",
                 "2026-09-01", "--as", people.advisor).stdout
    assert "refusé par OPCO 2i le 1er septembre 2026 : convention de formation manquante ; à corriger puis " \
           "déposer à nouveau" in refused
    again = json.loads(cf("dossier", "file", case, "--on", "2026-09-02", "--as", people.advisor, "--json").stdout)
    assert (again["status"], again["decision_due"], again["refusal_reason"]) == ("waiting", "2026-09-22", None)


def test_what_to_fix_names_each_field_by_its_label_in_the_chosen_language(app: App, people: People,
                                                                         case_id: int) -> None:
    case = str(case_id)
    set_section(app, case_id, "employer", {"phone": ""}, actor_email=people.advisor)  # missing after signing
    cf("dossier", "file", case, "--on", "2026-08-25", "--opco", "OPCO 2i", "--operator")
    cf("dossier", "decision", case, "refused", "--reason", "téléphone manquant", "--on", "2026-09-01", "--as",
       people.advisor)
    french = cf("dossier", "filing", case, "--as", people.advisor).stdout
    assert "- Téléphone : champ à remplir (CERFA FA13 n° 10103*14 : un champ que l'outil de l'État exige)" in french
    assert "employer.phone" not in french
    english = cf("--lang", "en", "dossier", "filing", case, "--as", people.advisor).stdout
    assert "- Phone is missing (CERFA FA13 n° 10103*14: a field the State's contract tool requires)" in english


def test_twenty_days_of_silence_read_as_a_refusal(app: App, people: People, case_id: int) -> None:
    case = str(case_id)
    cf("dossier", "file", case, "--on", "2026-08-25", "--as", people.advisor)
    out = cf("dossier", "filing", case, now="2026-09-15T10:00").stdout
    assert "refusé par le silence d’OPCO 2i : aucune décision au 14 septembre 2026" in out
    assert json.loads(cf("dossier", "filings", "--json", now="2026-09-15T10:00").stdout)["mecatronique"][
        "refused"] == 1


@pytest.mark.parametrize(("args", "code", "message"), [
    pytest.param(("decision", "{case}", "accepted", "--deca", "02B20221200000", "--on", "2026-09-01"), 2,
                 "deca_number : «\u00a002B20221200000\u00a0» n'est pas un numéro de contrat DECA",
                 id="a DECA number of the wrong format"),
    pytest.param(("decision", "{case}", "refused", "--on", "2026-09-01"), 2, "reason : un refus vient avec son motif",
                 id="refused without a reason"),
    pytest.param(("decision", "{case}", "maybe"), 2,
                 "decision : «\u00a0maybe\u00a0» n'est pas l'un de : accepted, refused",
                 id="not a decision"),
    pytest.param(("file", "{case}", "--on", "2026-08-19"), 2,
                 "filed_on : le 19/08/2026 est avant la signature du contrat (20/08/2026)",
                 id="filed before the signature"),
    pytest.param(("file", "{case}", "--on", "25/08/2026"), 2, "--on : «\u00a025/08/2026\u00a0» n'est pas une date",
                 id="a date as people write it"),
])
def test_bad_input_exits_2_naming_the_field_and_saves_nothing(
        app: App, people: People, case_id: int, args: tuple[str, ...], code: int, message: str) -> None:
    cf("dossier", "file", str(case_id), "--on", "2026-08-25", "--as", people.advisor) if args[0] == "decision" \
        else None
    before = snapshot(app)
    result = cf("dossier", *(arg.format(case=case_id) for arg in args), "--as", people.advisor, code=code)
    assert message in result.output
    assert snapshot(app) == before


def test_a_decision_before_the_filing_is_refused_exit_1_and_a_mentor_may_not_file(
        app: App, people: People, case_id: int) -> None:
    before = snapshot(app)
    result = cf("dossier", "decision", str(case_id), "accepted", "--deca", DECA, "--as", people.advisor, code=1)
    assert ("decision : le contrat n'est pas encore déposé auprès de son OPCO : enregistrez d'abord le dépôt"
            in result.output)
    denied = cf("dossier", "file", str(case_id), "--on", "2026-08-25", "--as", people.mentor, code=1)
    assert ("enregistrer le dépôt du contrat auprès de l'OPCO : réservé à conseiller·ère ou responsable de formation"
            in denied.output)
    assert snapshot(app) == before
    assert show(app, case_id).case.contract.opco_filed_on is None

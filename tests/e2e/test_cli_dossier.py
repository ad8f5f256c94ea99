"""`contract-flow dossier show|set|check|json` (issue 14, item 9) on SQLite and PostgreSQL: the contract dossier
filled from the command line as an advisor types it, in French by default, with the form's labels; a refused
change names the field and the rule, exits non-zero and saves nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from contract_flow.services.cases import set_facts, show
from contract_flow.services.dossier import show_dossier
from tests.conftest import People, snapshot
from tests.support.cases import open_candidate, walk
from tests.support.dossier import APPRENTICE, CONTRACT, EMPLOYER, MENTOR, a_nir

pytestmark = pytest.mark.postgres

runner = CliRunner()


def cf(*args: str, code: int = 0) -> Result:
    result = runner.invoke(cli_app, ["--now", "2026-03-02T10:00", *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


def pairs(values: dict[str, str], prefix: str = "") -> list[str]:
    return [f"{prefix}{key}={value}" for key, value in values.items()]


@pytest.fixture
def cli(app: App, database_url: str, people: People, monkeypatch: pytest.MonkeyPatch) -> People:
    """The CLI on the test's database (the `app` fixture's), with the people of the CFA."""
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    return people


@pytest.fixture
def case_id(app: App, cli: People) -> int:
    """Léa's case waiting for its signature: the offer chosen, the contract's dates and mentor recorded."""
    found = open_candidate(app)
    walk(app, found, "sign", advisor=cli.advisor, lead=cli.lead)
    set_facts(app, found, {"contract.signature_date": "2026-08-20", "contract.signature_place": "Alès",
                           "contract.end_date": "2029-08-31", "contract.mentor_name": "Marie Maître",
                           "contract.mentor_email": cli.mentor}, actor_email=cli.advisor)
    return found


def test_an_advisor_fills_the_dossier_section_by_section_then_signs(app: App, cli: People, case_id: int) -> None:
    shown = cf("dossier", "show", str(case_id)).stdout
    assert f"Dossier du contrat, cas {case_id} (CERFA FA13 n° 10103*14)" in shown
    assert "L'employeur (section pré-remplie, jamais enregistrée" in shown
    assert "Dénomination" in shown
    assert "Industrie SA" in shown
    assert "à remplir" in shown
    assert "Complet : non." in shown
    refused = cf("dossier", "check", str(case_id), code=1).stdout
    assert "- employer.public (Employeur public) : Employeur public : champ à remplir (CERFA FA13" in refused

    case = str(case_id)
    saved = cf("dossier", "set", case, "employer", *pairs(EMPLOYER), "--as", cli.mentor).stdout
    assert saved.startswith(f"cas {case_id} : section « L'employeur » enregistrée (version 1) ;")
    cf("dossier", "set", case, "mentors", *pairs(MENTOR, "1."), "--as", cli.mentor)
    nir = a_nir(show_dossier(app, case_id, actor_email=cli.advisor))
    cf("dossier", "set", case, "apprentice", *pairs({**APPRENTICE, "nir": nir}), "--as", cli.apprentice)
    cf("dossier", "set", case, "contract", *pairs(CONTRACT), "--as", cli.advisor)
    out = cf("dossier", "set", case, "training", "exams_end=2029-06-30", "--version", "0", "--as",
             cli.advisor).stdout
    assert "section « La formation » enregistrée (version 1) ; 0 motif(s)" in out

    assert cf("dossier", "check", case).stdout.strip() == "Le dossier peut être signé."
    assert "Complet : oui. Conforme : oui." in cf("dossier", "show", case, "--section", "pay").stdout
    cf("case", "advance", case, "sign", "--as", cli.advisor)
    assert show(app, case_id).case.state == "signed"


def test_show_in_json_keeps_the_codes_and_labels_them_in_the_language_asked(cli: People, case_id: int) -> None:
    cf("dossier", "set", str(case_id), "employer", "employer_type=12", "naf_code=2899b", "--as", cli.advisor)
    data = json.loads(cf("dossier", "show", str(case_id), "--section", "employer", "--json").stdout)
    employer = data["sections"]["employer"]
    assert list(data["sections"]) == ["employer"]
    assert (employer["version"], employer["data"]["employer_type"], employer["data"]["naf_code"]) == (
        1, "12", "28.99B")
    assert employer["labels"]["naf_code"] == "Code activité de l'entreprise (NAF)"
    assert employer["from_case"] == ["email", "name", "siret"]
    assert (data["complete"], data["lawful"]) == (False, True)
    english = json.loads(cf("dossier", "show", str(case_id), "--json", "--lang", "en").stdout)
    assert english["sections"]["employer"]["labels"]["naf_code"] == "Activity code (NAF)"
    assert english["sections"]["mentors"]["labels"]["1.last_name"] == "Mentor 1: Birth name"
    assert "The employer (version 1" in cf("--lang", "en", "dossier", "show", str(case_id)).stdout


def test_the_dossier_as_json_to_a_file(cli: People, case_id: int, tmp_path: Path) -> None:
    cf("dossier", "set", str(case_id), "employer", "headcount=250", "--as", cli.advisor)
    target = tmp_path / "dossier.json"
    assert cf("dossier", "json", str(case_id), "-o", str(target)).stdout.strip() == (
        f"dossier du cas {case_id} écrit dans {target}")
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["form"] == "CERFA FA13 n° 10103*14"
    assert document["versions"]["employer"] == 1
    assert document["versions"]["training"] == 0
    assert document["sections"]["employer"]["headcount"] == "250"
    assert document["sections"]["contract"]["signature_place"] == "Alès"
    assert json.loads(cf("dossier", "json", str(case_id)).stdout) == document


@pytest.mark.parametrize(("args", "code", "message"), [
    (["apprentice", "sex=F", "nir=204053000712399", "--as", "{advisor}"], 2,
     "error: apprentice.nir: the key 99 does not match the number (it should be"),
    (["employer", "idcc_code=ABCD", "--as", "{advisor}"], 2, "error: employer.idcc_code: “ABCD” is not an IDCC code"),
    (["employer", "siret", "--as", "{advisor}"], 2, "error: values: “siret” is not key=value"),
    (["employeur", "naf_code=28.99B", "--as", "{advisor}"], 2, "error: section: 'employeur' is not a section"),
    (["employer", "naf=28.99B", "--as", "{advisor}"], 2, "error: employer.naf: unknown field"),
    (["employer", "naf_code=28.99B", "--version", "3", "--as", "{advisor}"], 1,
     "was changed by someone else since version 3 (it is now at version 0)"),
    (["apprentice", "sex=F", "--as", "{mentor}"], 1,
     "error: the dossier's apprentice section is for CFA staff or apprentice; you are company mentor"),
    (["employer", "naf_code=28.99B"], 2, "Missing option '--as'"),
])
def test_a_refused_change_names_the_field_exits_non_zero_and_saves_nothing(
        app: App, cli: People, case_id: int, args: list[str], code: int, message: str) -> None:
    before = snapshot(app)
    typed = [arg.format(advisor=cli.advisor, mentor=cli.mentor) for arg in args]
    result = cf("--lang", "en", "dossier", "set", str(case_id), *typed, code=code)
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert snapshot(app) == before


def test_a_case_out_of_the_readers_scope_is_not_found(cli: People, case_id: int) -> None:
    out = cf("dossier", "show", str(case_id), "--as", "autre.maitre@industrie.example", code=2).output
    assert "utilisateur autre.maitre@industrie.example introuvable" in out
    assert f"dossier {case_id + 1} introuvable" in cf("dossier", "check", str(case_id + 1), code=2).output

"""`contract-flow dossier pdf|versions` and `dossier json --version` (issue 14, item 4) on SQLite and PostgreSQL:
the CERFA written to a file (its default name, or -o), a kept version the same bytes as the API and the pages give,
the list of kept versions; a file that cannot be written, a version never kept or out of range exit 2 naming it,
and nothing written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner, Result

from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from contract_flow.services.cases import set_facts
from contract_flow.services.dossier_downloads import dossier_json_of, dossier_pdf
from tests.conftest import People
from tests.support.cases import open_candidate, walk

pytestmark = pytest.mark.postgres

runner = CliRunner()


def cf(*args: str, code: int = 0) -> Result:
    result = runner.invoke(cli_app, ["--now", "2026-09-10T10:00", *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def cli(app: App, database_url: str, people: People, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> People:
    """The CLI on the test's database, run from an empty directory."""
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    return people


@pytest.fixture
def case_id(app: App, cli: People) -> int:
    """Léa's case, its dossier filled and signed on 20 August 2026: version 1 kept."""
    found = open_candidate(app)
    walk(app, found, "signed", advisor=cli.advisor, lead=cli.lead)
    return found


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_dossier_pdf_writes_the_cerfa_as_it_stands_and_each_kept_version_unchanged(
        app: App, cli: People, case_id: int, tmp_path: Path) -> None:
    case = str(case_id)
    out = cf("dossier", "pdf", case, "--as", cli.advisor).stdout
    written = tmp_path / f"dossier-{case_id}.pdf"
    assert out.strip() == f"dossier du cas {case_id} écrit dans dossier-{case_id}.pdf"
    assert written.read_bytes().startswith(b"%PDF-")
    assert "Contrat d'apprentissage — CERFA FA13" in text_of(written.read_bytes())

    out = cf("dossier", "pdf", case, "--version", "1", "--as", cli.mentor).stdout
    assert out.strip() == (f"dossier du cas {case_id} écrit dans dossier-{case_id}-v1.pdf (version 1, conservée "
                           "telle que déposée, en français)")
    kept = (tmp_path / f"dossier-{case_id}-v1.pdf").read_bytes()
    assert kept == dossier_pdf(app, case_id, actor_email=cli.advisor, version=1)[0]

    target = tmp_path / "sous-dossier" / "cerfa.pdf"
    target.parent.mkdir()
    out = cf("dossier", "pdf", case, "-o", str(target), "--lang", "en").stdout
    assert out.strip() == f"dossier of case {case_id} written to {target}"
    assert "Apprenticeship contract — CERFA FA13 no. 10103*14" in text_of(target.read_bytes())


def test_dossier_versions_lists_the_kept_versions_and_json_gives_one_as_kept(
        app: App, cli: People, case_id: int) -> None:
    case = str(case_id)
    table = cf("dossier", "versions", case, "--as", cli.apprentice).stdout
    assert f"Versions conservées du dossier, cas {case_id}" in table
    assert "signature" in table
    assert "20/08/2026" not in table  # kept when the advisor signed, at the test clock's moment
    assert "02/03/2026" in table
    assert cli.advisor in table
    listed = json.loads(cf("dossier", "versions", case, "--json").stdout)
    assert listed == [{"version": 1, "kind": "signed", "amendment": None,
                       "created_at": "2026-03-02T09:00:00+00:00", "created_by": cli.advisor}]
    assert "Kept versions of the dossier" in cf("--lang", "en", "dossier", "versions", case).stdout

    data = json.loads(cf("dossier", "json", case, "--version", "1").stdout)
    assert data == dossier_json_of(app, case_id, actor_email=cli.advisor, version=1)
    assert (data["form"], data["version"]) == ("CERFA FA13 n° 10103*14", 1)
    assert "versions" in json.loads(cf("dossier", "json", case).stdout)  # without --version: the sections' data


def test_a_case_not_signed_lists_no_version(app: App, cli: People) -> None:
    found = open_candidate(app)
    assert cf("dossier", "versions", str(found)).stdout.strip() == (
        f"cas {found} : aucune version conservée (le contrat n'est pas encore signé)")
    assert json.loads(cf("dossier", "versions", str(found), "--json").stdout) == []


def test_what_cannot_be_done_exits_non_zero_naming_it_and_writes_nothing(
        app: App, cli: People, case_id: int, tmp_path: Path) -> None:
    case = str(case_id)
    refused = cf("dossier", "pdf", case, "-o", str(tmp_path / "absent" / "cerfa.pdf"), code=2)
    assert "erreur : --output : " in refused.stderr
    assert "écriture impossible" in refused.stderr
    refused = cf("dossier", "pdf", case, "--version", "2", code=2)
    assert refused.stderr.startswith("erreur : ")
    assert "version 2" in refused.stderr
    assert "introuvable" in refused.stderr
    refused = cf("dossier", "json", case, "--version", "7", code=2)
    assert "version 7" in refused.stderr
    assert "introuvable" in refused.stderr
    for bad in ("0", str(2**31), "un"):
        assert "--version" in cf("dossier", "pdf", case, "--version", bad, code=2).stderr
    assert "erreur : dossier 999999 introuvable" in cf("dossier", "pdf", "999999", code=2).stderr
    set_facts(app, case_id, {"tutor": cli.tutor}, actor_email=cli.advisor)
    refused = cf("dossier", "pdf", case, "--as", cli.tutor, code=1)
    assert "consulter le dossier du contrat : réservé à" in refused.stderr
    assert list(tmp_path.rglob("*.pdf")) == []

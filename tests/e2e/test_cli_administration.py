"""Administration from the command line (issue 15, item 5), on SQLite and PostgreSQL: `user list|edit|login-link`,
`programme edit|show`, `programme calendar --preview`; in French by default; the operator every CFA's, `--as` a
programme lead's own CFA's; refusals exit non-zero with nothing changed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from contract_flow.services.directory import add_user
from contract_flow.services.programmes import programme_entry
from contract_flow.services.users import user_entry
from tests.conftest import People, snapshot
from tests.support.cases import open_candidate, walk
from tests.support.smtp_sink import SmtpSink

pytestmark = pytest.mark.postgres

runner = CliRunner()
THREE_WEEKS_TOML = '[[school]]\nfrom = "2026-09-14"\nto = "2026-10-02"\n'


def cf(*args: str, code: int = 0) -> Result:
    result = runner.invoke(cli_app, ["--now", "2026-03-02T10:00", *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def cli(app: App, database_url: str, people: People, monkeypatch: pytest.MonkeyPatch) -> People:
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    add_user(app, "autre@ailleurs.example", name="Autre Responsable", role="programme_lead", cfa_code="ailleurs")
    return people


def test_user_list_and_edit_in_french_and_scoped_to_the_leads_cfa(app: App, cli: People) -> None:
    listed = cf("user", "list").stdout
    assert "6 utilisateur(s)" in listed
    assert "responsable" in listed
    assert "actif" in listed
    mine = json.loads(cf("user", "list", "--as", cli.lead, "--json").stdout)
    assert {user["email"] for user in mine} == {cli.advisor, cli.lead, cli.tutor, cli.mentor, cli.apprentice}
    found = json.loads(cf("user", "list", "--search", "thomas", "--json").stdout)
    assert [user["email"] for user in found] == [cli.tutor]
    assert "réservé à responsable de formation" in cf("user", "list", "--as", cli.advisor, code=1).output
    edited = cf("user", "edit", cli.tutor, "--name", "Thomas Tuteur-Martin", "--language", "en", "--as",
                cli.lead).stdout
    assert "Thomas Tuteur-Martin" in edited
    assert "langue en" in edited
    before = snapshot(app)
    assert "introuvable" in cf("user", "edit", cli.tutor, "--name", "X", "--as", "autre@ailleurs.example",
                             code=1).output
    cf("user", "edit", cli.tutor, "--language", "de", code=2)
    cf("user", "edit", cli.advisor, "--cfa", "ailleurs", "--as", cli.lead, code=2)
    assert snapshot(app) == before
    # The operator moves a user to another CFA, and changes a role: their sessions end.
    moved = json.loads(cf("user", "edit", cli.advisor, "--cfa", "ailleurs", "--role", "programme_lead",
                          "--json").stdout)
    assert (moved["cfa_code"], moved["role"]) == ("ailleurs", "programme_lead")
    assert user_entry(app, cli.advisor).cfa_code == "ailleurs"


def test_a_login_link_is_emailed_and_shown_only_when_asked(app: App, cli: People,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    with SmtpSink() as sink:
        monkeypatch.setenv("CONTRACT_FLOW_SMTP_PORT", str(sink.port))
        monkeypatch.setenv("CONTRACT_FLOW_PUBLIC_URL", "https://cfa.example")
        said = cf("user", "login-link", cli.tutor).stdout
        assert "lien de connexion envoyé à thomas.tuteur@cfa.example" in said
        assert "token=" not in said
        shown = cf("user", "login-link", cli.tutor, "--show").stdout
        assert re.search(r"^https://cfa\.example/login/link\?token=\S+$", shown, re.MULTILINE)
        assert len(sink.wait_for(2)) == 2
    monkeypatch.setenv("CONTRACT_FLOW_SMTP_PORT", "1")  # nobody listens: said, exit 1
    assert "n'est pas parti" in cf("user", "login-link", cli.tutor, code=1).stdout


def test_programme_edit_show_and_calendar_preview(app: App, cli: People, tmp_path: Path) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "signed", advisor=cli.advisor, lead=cli.lead)
    shown = cf("programme", "show", "MECATRONIQUE").stdout
    assert "40 places dont 1 prises, 1 dossier(s)" in shown
    before = snapshot(app)
    assert "seats" in cf("programme", "edit", "mecatronique", "--seats", "0", code=2).output
    assert "start_date" in cf("programme", "edit", "mecatronique", "--start", "2026-10-01", code=2).output
    assert "introuvable" in cf("programme", "edit", "mecatronique", "--seats", "30", "--as",
                             "autre@ailleurs.example", code=1).output
    calendar = tmp_path / "three.toml"
    calendar.write_text(THREE_WEEKS_TOML, encoding="utf-8")
    preview = cf("programme", "calendar", "mecatronique", str(calendar), "--preview").stdout
    assert "rien n'est enregistré" in preview
    assert "année 1 (01/09/2026 – 31/08/2027) : 50 semaines en entreprise, 3 à l'école" in preview
    assert f"dossier {case_id} : fin de période d'essai" in preview
    data = json.loads(cf("programme", "calendar", "mecatronique", str(calendar), "--preview", "--json").stdout)
    assert data["saved"] is False
    assert [m["case_id"] for m in data["moved"]] == [case_id]
    assert snapshot(app) == before
    edited = json.loads(cf("programme", "edit", "mecatronique", "--seats", "30", "--name", "Mécatronique FISA",
                           "--as", cli.lead, "--json").stdout)
    assert (edited["seats"], edited["seats_free"], edited["name"]) == (30, 29, "Mécatronique FISA")
    assert programme_entry(app, "mecatronique").seats == 30


def test_a_single_cfa_installation_names_no_cfa_on_the_command_line(app: App, database_url: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The setting default_cfa is the CFA of the users and programmes added without --cfa: its staff manage them."""
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    monkeypatch.setenv("CONTRACT_FLOW_DEFAULT_CFA", "cfa-du-sud")
    added = json.loads(cf("programme", "add", "mkx", "--name", "Mécatronique X", "--start", "2026-09-01",
                          "--json").stdout)
    lead = json.loads(cf("user", "add", "lead@cfa.example", "--name", "Paule Responsable", "--role",
                         "programme_lead", "--json").stdout)
    assert (added["cfa_code"], lead["cfa_code"]) == ("cfa-du-sud", "cfa-du-sud")
    shown = json.loads(cf("programme", "show", "mkx", "--as", "lead@cfa.example", "--json").stdout)
    assert shown["seats_free"] == 40

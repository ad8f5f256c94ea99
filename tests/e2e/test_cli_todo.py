"""`contract-flow todo --as EMAIL` (issue 15, item 2) on SQLite and PostgreSQL, and on `contract-flow demo`'s data for
every role: the person's to-do list in French by default (`--lang en`), `--json` for programs, `--on` to see it as
it will be; the operator has none, an unknown email is refused."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from contract_flow.cli.demo_data import ADVISOR, LEAD, MENTOR, TUTOR, USERS
from contract_flow.domain.context import paris_date
from tests.conftest import People
from tests.support.cases import open_candidate, walk

runner = CliRunner()


def cf(*args: str, code: int = 0, now: str = "2026-09-10T10:00") -> Result:
    result = runner.invoke(cli_app, ["--now", now, *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.mark.postgres
def test_the_advisor_s_list_in_french_in_english_and_as_json(app: App, database_url: str, people: People,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    signed = open_candidate(app)
    walk(app, signed, "signed", advisor=people.advisor, lead=people.lead)
    search = open_candidate(app, first_name="Inès", last_name="Leroy", email="ines.leroy@example.org")

    out = cf("todo", "--as", people.advisor).stdout
    lines = out.splitlines()
    assert lines[0] == f"Mes actions ({people.advisor}) : 4"
    # Overdue first: the OPCO filing due on 7 September (D6224-1), then by the day due.
    assert lines[1] == (f"! Léa Martin (dossier n° {signed}) · Enregistrer le dépôt du contrat auprès de l’OPCO · "
                        "en retard : à faire pour le 07/09/2026")
    assert lines[2] == "    passe en contrat le 01/09/2026"  # signed, waiting for the engine to start it
    assert f"    où : /cases/{signed}#filing" in lines
    assert f"- Inès Leroy (dossier n° {search}) · Compléter ce qui manque pour : les candidatures · à faire pour " \
           "le 30/11/2026" in lines
    assert "    clos sans contrat à partir du 01/12/2026" in lines
    assert any(line.startswith("    il faut un projet professionnel (brochure, étape 1 « Réfléchir »)")
               for line in lines)  # the guard's reason, in French

    english = cf("todo", "--as", people.advisor, "--lang", "en").stdout
    assert english.splitlines()[0] == f"My actions ({people.advisor}): 4"
    assert "Record the contract’s filing with the OPCO · overdue: due on 07/09/2026" in english
    assert "    needs a professional project (brochure, step 1 «Réfléchir»): target job (fact project.target_job), " \
           "mobility area (fact project.mobility_area)" in english.splitlines()

    data = json.loads(cf("todo", "--as", people.advisor, "--json").stdout)
    assert (data[0]["kind"], data[0]["case_id"], data[0]["overdue"]) == ("file_contract", signed, True)
    assert data[0]["moves"] == [{"trigger": "start_contract", "on": "2026-09-01",
                                 "text": "passe en contrat le 01/09/2026"}]
    assert data[0]["link"] == f"/cases/{signed}#filing"
    # Before the start: the same contract is not overdue yet, and waits for its first day.
    before = json.loads(cf("todo", "--as", people.advisor, "--json", "--on", "2026-08-25").stdout)
    assert ("file_contract", False) in [(item["kind"], item["overdue"]) for item in before]
    # A part of the list: --limit items from --offset, the title still counting the whole list.
    second = json.loads(cf("todo", "--as", people.advisor, "--json", "--offset", "1", "--limit", "2").stdout)
    assert second == data[1:3]
    title = cf("todo", "--as", people.advisor, "--limit", "1").stdout.splitlines()[0]
    assert title == f"Mes actions ({people.advisor}) : {len(data)}"
    assert "--limit" in cf("todo", "--as", people.advisor, "--limit", "0", code=2).output

    assert cf("todo", "--as", people.lead).stdout.splitlines() == [
        f"Mes actions ({people.lead}) : 0", "Rien à faire pour l’instant."]
    assert "l'opérateur n'a pas de liste d'actions" in cf("todo", "--as", "system", code=2).output
    cf("todo", "--as", "personne@example.org", code=2)


def test_the_demo_gives_every_role_its_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make run`'s demo, today: the advisor supplies what the searches lack and records the OPCO's answers, the lead
    validates the job project waiting for them, the tutor plans the apprentices' first reviews; in the trial's
    last week the mentor reports the absences; the apprentice has nothing to do until a report waits for them."""
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", f"sqlite:///{tmp_path}/demo.sqlite")
    today = paris_date(datetime.now(UTC)).isoformat()
    cf("db", "upgrade", now=today)
    cf("demo", now=today)

    def items(email: str, on: str | None = None) -> list[dict[str, object]]:
        return json.loads(cf("todo", "--as", email, "--json", *(["--on", on] if on else []), now=today).stdout)

    advisor = items(ADVISOR)
    kinds = {item["kind"] for item in advisor}
    assert {"supply", "dossier_section", "medical_visit"} <= kinds
    assert kinds & {"opco_answer", "file_contract"}
    dues = [item["due"] for item in advisor if item["due"] is not None]
    assert dues == sorted(dues)  # nothing overdue in the demo: by the day due
    assert not [item for item in advisor if item["overdue"]]
    (validate,) = items(LEAD)
    assert (validate["kind"], validate["trigger"], validate["state"]) == ("move", "validate", "decide")
    assert any(move["trigger"] == "start_contract" and move["text"].startswith("passe en contrat le ")
               for move in validate["moves"])  # type: ignore[union-attr]
    tutor = items(TUTOR)
    assert [item["kind"] for item in tutor] == ["plan_review", "plan_review"]  # Léa's and Hugo's first reviews
    assert all(str(item["link"]).endswith("/reviews/new") for item in tutor)
    apprentice = next(email for email, _, role in USERS if role == "apprentice")
    assert items(apprentice) == []
    assert items(MENTOR[1]) == []
    (passes,) = tutor[0]["moves"]  # type: ignore[misc]
    assert passes["trigger"] == "pass_trial"
    trial_end = date.fromisoformat(passes["on"]) - timedelta(days=1)
    last_week = items(MENTOR[1], (trial_end - timedelta(days=2)).isoformat())
    assert {item["kind"] for item in last_week} == {"report_absences"}
    assert len(last_week) == 2  # Léa and Hugo, in their trial with the same mentor


"""`contract-flow review record` (a review already held, recorded after the fact) and `review skills` as a tutor
types them: exit codes (0 done, 1 refused, 2 bad input), one-line errors, JSON output, nothing saved on a refusal."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import bootstrap
from contract_flow.services.cases import set_facts
from contract_flow.services.directory import add_programme, add_user
from contract_flow.services.schema import upgrade
from contract_flow.settings import Settings
from tests.conftest import People
from tests.e2e.test_cli_reviews import CLI
from tests.support.calendars import MECATRONIQUE
from tests.support.cases import open_candidate, walk

runner = CliRunner()
P = People()
AFTER = "2026-11-05T09:00"  # the review of 20 October was held, nobody recorded it


def cf(*args: str, code: int = 0, now: str = AFTER) -> str:
    result = runner.invoke(CLI, ["--now", now, "review", *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result.output


@pytest.fixture
def case_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """A case of the brochure's programme in its trial (contract from 1 September 2026), its tutor recorded."""
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", url)
    app = bootstrap(Settings(database_url=url, environment="test"),
                    clock=FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)))
    try:
        upgrade(app)
        add_programme(app, "mecatronique", name="Mécatronique", start_date=date(2026, 9, 1), years=3,
                      seats=40, cfa_code="imt-mines-ales", calendar=MECATRONIQUE)
        for email, role in ((P.advisor, "advisor"), (P.lead, "programme_lead"), (P.tutor, "tutor"),
                            (P.mentor, "mentor"), (P.apprentice, "apprentice")):
            add_user(app, email, name=email.split("@")[0], role=role, cfa_code="imt-mines-ales")
        case = open_candidate(app)
        walk(app, case, "trial", advisor=P.advisor, lead=P.lead)
        set_facts(app, case, {"tutor": P.tutor, "advisor": P.advisor}, actor_email=P.advisor)
    finally:
        app.close()
    return case


def test_a_tutor_records_a_review_held_on_a_past_date_with_its_report(case_id: int) -> None:
    out = cf("record", str(case_id), "--date", "2026-10-20", "--time", "10:30", "--attended", "apprentice,tutor",
             "--skill", "prototypage=3", "--skill", "Modélisation=in_progress", "--observations", "Progrès nets.",
             "--next-steps", "Autonomie.", "--as", P.tutor)
    assert f"of case {case_id} held on 2026-10-20 10:30 at Industrie SA, recorded; it covers the review due by " \
           "2026-11-01" in out
    [shown] = json.loads(cf("list", str(case_id), "--json"))
    assert (shown["state"], shown["due_by"], shown["planned_at"]) == ("held", "2026-11-01",
                                                                      "2026-10-20T08:30:00+00:00")  # JSON says UTC
    assert shown["skills"] == {"Prototypage": "acquired", "Modélisation": "in_progress"}
    assert shown["attended"] == ["apprentice", "tutor"]
    assert (shown["tutor_observations"], shown["next_steps"]) == ("Progrès nets.", "Autonomie.")
    assert "waiting for mentor, tutor" in cf("ack", str(shown["id"]), "--as", P.apprentice)


def test_the_skill_list_is_printed_and_an_unknown_skill_or_a_date_to_come_is_refused(case_id: int) -> None:
    listed = cf("skills", str(case_id), "--as", P.apprentice).splitlines()
    assert listed[:3] == ["Modélisation", "Simulation numérique", "Optimisation"]
    assert len(listed) == 11
    assert json.loads(cf("skills", str(case_id), "--json", "--as", P.mentor))["skills"][-1] == "Stratégie d'entreprise"
    for args, code, words in (
        (["--date", "2026-10-20", "--skill", "soudage=3"], 2,
         "skill : soudage n'est pas dans la liste des compétences de la formation mecatronique "
         "(Modélisation, "),
        (["--date", "2026-11-05", "--time", "10:00", "--skill", "Prototypage=3"], 2,
         "date : le 05/11/2026 10:00 (heure de Paris) est à venir : un entretien qui n'a pas encore eu lieu se "
         "planifie"),
        (["--date", "2026-10-20", "--skill", "Prototypage=3", "--as", P.mentor], 1,
         "enregistrer le compte rendu d'un entretien"),
    ):
        extra = [] if "--as" in args else ["--as", P.tutor]
        out = cf("record", str(case_id), "--attended", "apprentice", *args, *extra, code=code)
        assert words in " ".join(out.split()), out
    assert json.loads(cf("list", str(case_id), "--json")) == []

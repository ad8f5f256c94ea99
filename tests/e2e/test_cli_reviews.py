"""`contract-flow review ...` as a tutor types it: exit codes (0 done, 1 refused, 2 bad input), one-line errors,
JSON output. The case is brought to its trial through the services, on the SQLite file the commands use."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import bootstrap
from contract_flow.cli import _DomainErrorsToExitCodes, _root
from contract_flow.cli.reviews import review_app
from contract_flow.services.cases import set_facts
from contract_flow.services.directory import add_programme, add_user
from contract_flow.services.schema import upgrade
from contract_flow.settings import Settings
from tests.conftest import People
from tests.support.calendars import MECATRONIQUE
from tests.support.cases import open_candidate, walk

runner = CliRunner()
P = People()
BEFORE = "2026-03-02T10:00"  # the CLI's --now: long before the first review
AFTER = "2026-10-21T09:00"  # the day after it


def root() -> typer.Typer:
    """The root command as `contract_flow.cli.app` builds it (domain errors to exit codes, --now), with `review`
    mounted; the real root mounts it with `app.add_typer(reviews.review_app, name="review")`."""
    app = typer.Typer(cls=_DomainErrorsToExitCodes, no_args_is_help=True, pretty_exceptions_enable=False,
                      add_completion=False)
    app.callback()(_root)
    app.add_typer(review_app, name="review")
    return app


CLI = root()


def cf(*args: str, code: int = 0, now: str = BEFORE) -> str:
    """Run one command at `now`; check its exit code; return what it printed."""
    result = runner.invoke(CLI, ["--now", now, "review", *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result.output


@pytest.fixture
def case_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """A case in its trial (contract from 1 September 2026) with its tutor and advisor recorded."""
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


def plan(case_id: int, *extra: str) -> dict[str, object]:
    out = cf("plan", str(case_id), "--date", "2026-10-20", "--place", "Salle B12", "--as", P.tutor, "--json", *extra)
    data: dict[str, object] = json.loads(out)
    return data


def test_a_tutor_plans_logs_and_the_three_parties_acknowledge(case_id: int) -> None:
    planned = plan(case_id)
    assert planned["due_by"] == "2026-11-01"
    assert planned["planned_at"] == "2026-10-20T12:00:00+00:00"  # 14:00 in Paris by default; JSON says UTC
    assert planned["participants"] == {"apprentice": P.apprentice, "mentor": P.mentor, "tutor": P.tutor}
    review = str(planned["id"])

    out = cf("log", review, "--attended", "apprentice,mentor,tutor", "--skill", "Prototypage=acquired",
             "--skill", "Modélisation=2", "--observations", "Progrès nets.", "--mentor-observations",
             "Bonne implication.", "--next-steps", "Autonomie sur la cellule.", "--as", P.tutor, "--version", "1",
             now=AFTER)
    assert f"review {review} of case {case_id} held (version 2)" in out
    assert "waiting for mentor, tutor" in cf("ack", review, "--as", P.apprentice, now=AFTER)
    cf("ack", review, "--as", P.mentor, now=AFTER)
    assert "acknowledged by all three" in cf("ack", review, "--as", P.tutor, now=AFTER)

    [shown] = json.loads(cf("list", str(case_id), "--json"))
    assert shown["state"] == "held"
    assert shown["attended"] == ["apprentice", "mentor", "tutor"]
    assert shown["skills"] == {"Prototypage": "acquired", "Modélisation": "in_progress"}
    assert (shown["tutor_observations"], shown["mentor_observations"], shown["next_steps"]) == (
        "Progrès nets.", "Bonne implication.", "Autonomie sur la cellule.")
    assert set(shown["acknowledged"]) == {"apprentice", "mentor", "tutor"}
    assert shown["fully_acknowledged"] is True


def test_the_schedule_lists_each_due_date_and_the_review_covering_it(case_id: int) -> None:
    review = plan(case_id)["id"]

    due = json.loads(cf("schedule", str(case_id), "--json"))

    assert [d["due_by"] for d in due] == ["2026-11-01", "2027-05-01", "2027-11-01", "2028-05-01", "2028-11-01",
                                          "2029-05-01"]
    assert due[0] == {"due_by": "2026-11-01", "state": "planned", "review_id": review}
    assert {d["state"] for d in due[1:]} == {"unplanned"}
    table = cf("schedule", str(case_id))
    assert "2029-05-01" in table
    assert "unplanned" in table


def test_a_missed_review_is_rescheduled_and_a_planned_one_cancelled(case_id: int) -> None:
    review = str(plan(case_id)["id"])

    assert "missed" in cf("miss", review, "--reason", "mentor en déplacement", "--as", P.tutor, now=AFTER)
    out = cf("reschedule", review, "--date", "2026-10-29T10:30", "--place", "Atelier 3", "--as", P.tutor, now=AFTER)
    assert "planned again for 2026-10-29 10:30 at Atelier 3" in out
    second = cf("plan", str(case_id), "--date", "2027-04-20", "--time", "09:15", "--as", P.advisor, "--json",
                now=AFTER)
    planned = json.loads(second)
    assert (planned["due_by"], planned["planned_at"], planned["place"]) == (
        "2027-05-01", "2027-04-20T07:15:00+00:00", "Industrie SA")
    assert "cancelled" in cf("cancel", str(planned["id"]), "--as", P.tutor, now=AFTER)

    states = {r["id"]: r["state"] for r in json.loads(cf("list", "--json"))}
    assert states == {int(review): "planned", planned["id"]: "cancelled"}
    table = cf("list")
    assert "Atelier 3" in table


@pytest.mark.parametrize(("args", "now", "message"), [
    (["plan", "{case}", "--date", "2026-10-20", "--place", "B12", "--as", P.mentor], BEFORE,
     "planning a review is for advisor or programme lead or academic tutor; you are company mentor"),
    (["ack", "{review}", "--as", P.advisor], AFTER,
     "acknowledging a review is for apprentice or company mentor or academic tutor; you are advisor"),
    (["log", "{review}", "--attended", "apprentice", "--skill", "Prototypage=3", "--as", P.tutor], BEFORE,
     "it is planned for 2026-10-20 14:00 (Paris): log it once it took place"),
    (["reschedule", "{review}", "--date", "2026-10-29", "--as", P.tutor], AFTER,
     "reschedule is not allowed in state planned; allowed now: log, miss, cancel"),
    (["log", "{review}", "--attended", "apprentice", "--skill", "Prototypage=3", "--as", P.tutor, "--version", "4"],
     AFTER, "review 1 was changed by someone else since version 4"),
])
def test_a_refused_move_exits_1_with_one_line_saying_why(case_id: int, args: list[str], now: str,
                                                         message: str) -> None:
    review = plan(case_id)["id"]
    result = runner.invoke(CLI, ["--lang", "en", "--now", now, "review",
                                 *[a.format(case=case_id, review=review) for a in args]])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert message in lines[0]


@pytest.mark.parametrize(("args", "message"), [
    (["log", "{review}", "--attended", "apprentice", "--skill", "Prototypage=expert", "--as", P.tutor],
     "skill: Prototypage: “expert” is not a level"),
    (["log", "{review}", "--attended", "apprentice", "--skill", "Prototypage", "--as", P.tutor],
     "skill: “Prototypage” is not NAME=LEVEL"),
    (["log", "{review}", "--attended", "apprentice,boss", "--skill", "Prototypage=3", "--as", P.tutor],
     "attended: “boss” is not one of apprentice, mentor, tutor"),
    (["log", "{review}", "--attended", "mentor,tutor", "--skill", "Prototypage=3", "--as", P.tutor],
     "attended: the apprentice must attend"),
    (["plan", "{case}", "--date", "2026-08-25", "--as", P.tutor],
     "date: 25/08/2026 is before the contract start (01/09/2026)"),
    (["plan", "{case}", "--date", "20/10/2026", "--as", P.tutor], "--date: “20/10/2026” is not a date"),
    (["plan", "{case}", "--date", "2026-10-20T25:00", "--as", P.tutor], "--date: “2026-10-20T25:00” is not an ISO"),
    (["plan", "{case}", "--date", "2026-10-20", "--time", "2pm", "--as", P.tutor], "--time: “2pm” is not a time"),
    (["plan", "{case}", "--date", "2026-10-20T14:00", "--time", "15:00", "--as", P.tutor],
     "--time: --date 2026-10-20T14:00 already gives the time"),
    (["ack", "{review}", "--as", P.apprentice], "review 1 is planned: only a held review is acknowledged"),
    (["ack", "99", "--as", P.apprentice], "review 99 not found"),
    (["list", "99"], "case 99 not found"),
    (["plan", "{case}", "--date", "2026-10-20"], "Missing option '--as'"),
])
def test_bad_input_exits_2_naming_the_field(case_id: int, args: list[str], message: str) -> None:
    review = plan(case_id)["id"]
    result = runner.invoke(CLI, ["--lang", "en", "--now", AFTER, "review",
                                 *[a.format(case=case_id, review=review) for a in args]])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_refusal_is_said_in_french_by_default(case_id: int) -> None:
    """The same refusals as above, in French when no language is asked for: the line and its values."""
    review = plan(case_id)["id"]
    for args, code, message in (
            (["plan", str(case_id), "--date", "2026-08-25", "--as", P.tutor], 2,
             "erreur : date : le 25/08/2026 est avant le début du contrat (01/09/2026)"),
            (["plan", str(case_id), "--date", "2026-10-20", "--place", "B12", "--as", P.mentor], 1,
             "erreur : planifier un entretien : réservé à conseiller·ère ou responsable de formation ou "
             "tuteur·rice académique ; vous êtes maître d'apprentissage"),
            (["ack", "99", "--as", P.apprentice], 2, "erreur : entretien 99 introuvable")):
        result = runner.invoke(CLI, ["--now", AFTER, "review", *args])
        assert (result.exit_code, result.output.strip()) == (code, message), review


def test_without_arguments_the_group_shows_its_commands() -> None:
    result = runner.invoke(CLI, ["review"])
    for command in ("plan", "log", "miss", "reschedule", "cancel", "ack", "list", "schedule"):
        assert command in result.output

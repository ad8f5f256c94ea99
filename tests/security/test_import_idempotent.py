"""Issue 12, item 8: a retried CSV import duplicated every case (37,174 rows took 33 s in one request: a client
timed out, retried, and imported everything twice).

Now a row that matches a case already there (the file's own `id` column within the CFA, or the same programme,
names and birth date) is reported "already there" and not opened again, also when two imports of one file run at
once; and a file of more than `import_background_rows` rows is an import job run by a worker, whose progress the
page (polled by htmx, no inline script) and the CLI show. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import case_table, import_job_table
from contract_flow.bootstrap import App, bootstrap
from contract_flow.cli import app as cli_app
from contract_flow.cli import importing
from contract_flow.domain.errors import InvalidInput, NotFound
from contract_flow.domain.events import OpenCase
from contract_flow.services.cases import open_case
from contract_flow.services.directory import add_programme
from contract_flow.services.importer import BY_ID, BY_NAMES, import_cases, job_view, run_job, start_job
from contract_flow.web.routes import imports
from tests.e2e.web.conftest import Site, csrf_of, log_in
from tests.support.world import World, build_world
from workers import tasks

pytestmark = pytest.mark.postgres

HEADER = "programme,first_name,last_name,birth_date,email,id"


def csv_of(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def people(count: int, start: int = 0) -> list[str]:
    return [f"mecatronique,Prénom{index},Nom{index},2005-01-{1 + index % 28:02d},p{index}@example.org,"
            for index in range(start, start + count)]


def case_count(app: App) -> int:
    with app.engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(case_table)).scalar_one())


@pytest.fixture
def world(app: App, clock: FixedClock) -> World:
    return build_world(app, clock)


# -- idempotence -----------------------------------------------------------------------------------------------

def test_a_file_imported_twice_opens_its_cases_once(app: App, world: World) -> None:
    text = csv_of(*people(12))
    before = case_count(app)
    first = import_cases(app, io.StringIO(text), programmes={"mecatronique"})
    assert len(first.imported) == 12
    assert first.already == []
    again = import_cases(app, io.StringIO(text), programmes={"mecatronique"})
    assert again.imported == []
    assert again.problems == []
    assert [(row.line, row.case_id, row.by) for row in again.already] == [
        (line, case_id, BY_NAMES) for line, case_id in first.imported]
    assert case_count(app) == before + 12


@pytest.mark.parametrize(("second", "found_by"), [
    ("mecatronique,LÉA,martin,2004-05-12,autre@example.org,", BY_NAMES),   # the world's Léa, other capitals
    ("mecatronique, Léa ,Martin,2004-05-12,lea.martin@example.org,", BY_NAMES),  # white space as parse_text
    ("mecatronique,Le\u0301a,Martin,2004-05-12,x@example.org,", BY_NAMES),  # e + combining accent: NFC
])
def test_a_row_naming_a_case_already_there_by_names_and_birth_date_is_reported(
        app: App, world: World, second: str, found_by: str) -> None:
    before = case_count(app)
    report = import_cases(app, io.StringIO(csv_of(second)), programmes={"mecatronique"})
    assert [(row.case_id, row.by) for row in report.already] == [(world.one.case_id, found_by)]
    assert case_count(app) == before


def test_the_same_names_born_another_day_or_in_another_programme_are_another_case(app: App, world: World) -> None:
    add_programme(app, "robotique", name="Robotique", start_date=date(2026, 9, 1), years=3, seats=10,
                  cfa_code=world.one.code)
    report = import_cases(app, io.StringIO(csv_of("mecatronique,Léa,Martin,2004-05-13,lea2@example.org,",
                                                  "robotique,Léa,Martin,2004-05-12,lea3@example.org,")),
                          programmes={"mecatronique", "robotique"})
    assert len(report.imported) == 2
    assert report.already == []


def test_the_files_id_column_finds_a_case_whose_names_were_corrected(app: App, world: World) -> None:
    first = import_cases(app, io.StringIO(csv_of("mecatronique,Jon,Smith,2005-02-03,jon@example.org,ADM-0042")),
                         programmes={"mecatronique"})
    [(_, case_id)] = first.imported
    corrected = import_cases(app, io.StringIO(csv_of("mecatronique,John,Smith,2005-02-03,jon@example.org,ADM-0042")),
                             programmes={"mecatronique"})
    assert [(row.case_id, row.by) for row in corrected.already] == [(case_id, BY_ID)]
    # another CFA's admission numbers are its own: the same id there is another candidate
    other = import_cases(app, io.StringIO(csv_of("autre,Ana,Lopez,2005-02-03,ana@example.org,ADM-0042")),
                         programmes={"autre"})
    assert len(other.imported) == 1


def test_a_row_twice_in_one_file_is_opened_once(app: App, world: World) -> None:
    report = import_cases(app, io.StringIO(csv_of(*people(2), *people(1))), programmes={"mecatronique"})
    assert [line for line, _ in report.imported] == [2, 3]
    assert [(row.line, row.case_id) for row in report.already] == [(4, report.imported[0][1])]


def test_two_imports_of_one_file_at_once_open_each_case_once(app: App, world: World) -> None:
    """The issue's retry: the first request is still running when the client sends the file again."""
    text = csv_of(*people(40))
    before = case_count(app)
    reports: list[Any] = []
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        reports.append(import_cases(app, io.StringIO(text), programmes={"mecatronique"}))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert case_count(app) == before + 40
    assert sum(len(report.imported) for report in reports) == 40
    assert sum(len(report.already) for report in reports) == 40
    assert all(report.problems == [] for report in reports)


# -- import jobs ----------------------------------------------------------------------------------------------

def test_a_job_runs_in_batches_records_its_progress_and_report_and_drops_the_file(app: App, world: World) -> None:
    queued: list[int] = []
    text = csv_of(*people(120), "mecatronique,Zoé,Petit,0001-01-01,z@example.org,")
    job_id = start_job(app, text, created_by="conseil@cfa.example", cfa_code=world.one.code,
                       programmes={"mecatronique"}, enqueue=queued.append)
    assert queued == [job_id]  # handed to the workers once committed
    waiting = job_view(app, job_id, cfa_code=world.one.code)
    assert (waiting.status, waiting.total, waiting.processed, waiting.percent) == ("queued", 121, 0, 0)
    done = run_job(app, job_id)
    assert (done.status, done.processed, done.imported, done.already, done.refused) == ("done", 121, 120, 0, 1)
    assert [(p.line, p.field) for p in done.report.problems] == [(122, "birth_date")]
    with app.engine.connect() as connection:
        assert connection.execute(sa.select(import_job_table.c.content)).scalar_one() is None
    assert run_job(app, job_id) == done  # a job done is not run again (a task delivered twice)
    with pytest.raises(NotFound):
        job_view(app, job_id, cfa_code=world.two.code)  # another CFA's staff: "not found"


def test_a_job_resumed_after_its_worker_died_finds_what_it_had_opened(app: App, world: World) -> None:
    rows = people(60)
    job_id = start_job(app, csv_of(*rows), created_by="conseil@cfa.example", cfa_code=world.one.code,
                       programmes={"mecatronique"}, enqueue=lambda _: None)
    # The dead worker had opened the first 25 rows without recording its progress.
    import_cases(app, io.StringIO(csv_of(*rows[:25])), programmes={"mecatronique"})
    with app.uow() as uow:
        uow.execute(sa.update(import_job_table).values(status="running"))
        uow.commit()
    before = case_count(app)
    done = run_job(app, job_id)
    assert (done.imported, done.already, done.refused) == (35, 25, 0)
    assert case_count(app) == before + 35


def test_a_file_with_a_wrong_header_is_refused_before_any_job(app: App, world: World) -> None:
    with pytest.raises(InvalidInput, match="header"):
        start_job(app, "nom,prenom\nx,y\n", created_by="x", cfa_code=None, programmes=None, enqueue=lambda _: None)
    with app.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(import_job_table)).scalar_one() == 0


def test_the_worker_task_runs_the_job(app: App, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks, "_services", app)
    job_id = start_job(app, csv_of(*people(5)), created_by="x", cfa_code=None, programmes=None,
                       enqueue=lambda _: None)
    assert tasks.import_cases.run(job_id) == 5
    assert job_view(app, job_id).status == "done"


# -- the page: a large file is a job with a progress bar --------------------------------------------------------

@pytest.fixture
def site(app: App, world: World) -> Iterator[Site]:
    built = Site(app, world)
    try:
        yield built
    finally:
        built.close()


def _confirm(client: Any, job_page: str, job_id: int) -> Any:
    assert f'action="/import/jobs/{job_id}/confirm"' in job_page
    return client.post(f"/import/jobs/{job_id}/confirm", data={"csrf_token": csrf_of(job_page)},
                       follow_redirects=False)


def test_a_large_file_posted_to_the_page_becomes_a_job_with_a_progress_bar(
        site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked (the preview) and then imported by a worker, each with its progress bar."""
    queued: list[int] = []
    monkeypatch.setattr(imports, "enqueue_import", lambda settings, job_id: queued.append(job_id))
    site.app.settings.import_background_rows = 10
    client = site.as_("advisor")
    text = csv_of(*people(30))
    answer = client.post("/import", data={"csrf_token": csrf_of(client.get("/import").text)},
                         files={"file": ("admis.csv", text.encode(), "text/csv")}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    [job_id] = queued
    assert answer.headers["location"] == f"/import/jobs/{job_id}"
    waiting = client.get(f"/import/jobs/{job_id}")
    assert waiting.status_code == 200
    assert f'hx-get="/import/jobs/{job_id}/progress"' in waiting.text
    assert 'hx-trigger="every 1s"' in waiting.text
    assert re.search(r'<progress max="30" value="0"', waiting.text)
    assert not re.search(r"<script(?![^>]*\bsrc=)", waiting.text)  # no inline script (the CSP allows none)
    before = case_count(site.app)
    run_job(site.app, job_id)  # the worker checks the file: nothing opened
    assert case_count(site.app) == before
    checked = client.get(f"/import/jobs/{job_id}/progress")
    assert "hx-get" not in checked.text
    assert "30 dossier(s) à ouvrir, 0 ligne(s) déjà là, 0 ligne(s) refusée(s)" in checked.text
    confirmed = _confirm(client, checked.text, job_id)
    assert confirmed.status_code == 303
    assert queued == [job_id, job_id]  # handed to the worker again, to import
    assert _confirm(client, checked.text, job_id).status_code == 303  # clicked twice: not queued again
    assert queued == [job_id, job_id]
    running = client.get(f"/import/jobs/{job_id}")
    assert f'hx-get="/import/jobs/{job_id}/progress"' in running.text
    run_job(site.app, job_id)
    done = client.get(f"/import/jobs/{job_id}/progress")
    assert done.status_code == 200
    assert "hx-get" not in done.text  # finished: htmx stops polling
    assert '<progress max="30" value="30"' in done.text
    assert "30 dossier(s) importé(s), 0 ligne(s) refusée(s)." in done.text
    assert case_count(site.app) == before + 30
    # posted again (the client's retry): another job, whose rows are all already there
    again = client.post("/import", data={"csrf_token": csrf_of(client.get("/import").text)},
                        files={"file": ("admis.csv", text.encode(), "text/csv")}, follow_redirects=False)
    run_job(site.app, queued[-1])
    preview = client.get(again.headers["location"])
    assert "0 dossier(s) à ouvrir, 30 ligne(s) déjà là" in preview.text
    assert "/confirm" not in preview.text  # nothing to import: no button
    assert case_count(site.app) == before + 30
    # another CFA's advisor cannot follow it, nor confirm it
    other = site.anonymous()
    log_in(other, site.world.two.user("advisor").email)
    assert other.get(f"/import/jobs/{job_id}").status_code == 404
    assert other.get(f"/import/jobs/{job_id}/progress").status_code == 404
    token = csrf_of(other.get("/import").text)
    assert other.post(f"/import/jobs/{queued[-1]}/confirm", data={"csrf_token": token}).status_code == 404


def test_a_small_file_reimported_through_the_page_reports_its_rows_already_there(site: Site) -> None:
    client = site.as_("advisor")
    text = csv_of(*people(3)).encode()
    for _ in range(2):
        preview = client.post("/import", data={"csrf_token": csrf_of(client.get("/import").text)},
                              files={"file": ("admis.csv", text, "text/csv")})
        assert preview.status_code == 200, preview.text
        if "/confirm" in preview.text:
            job_id = int(re.findall(r'action="/import/jobs/(\d+)/confirm"', preview.text)[0])
            answer = client.post(f"/import/jobs/{job_id}/confirm", data={"csrf_token": csrf_of(preview.text)})
            assert answer.status_code == 200
            assert "3 dossier(s) importé(s), 0 ligne(s) refusée(s)." in answer.text
    assert "0 dossier(s) à ouvrir, 3 ligne(s) déjà là, 0 ligne(s) refusée(s)" in preview.text
    assert preview.text.count("Déjà là") == 3


# -- the CLI: a progress bar on a job ---------------------------------------------------------------------------

@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite")
    runner = CliRunner()

    def cf(*args: str, code: int = 0) -> str:
        result = runner.invoke(cli_app, ["--now", "2026-03-02T10:00", *args])
        assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
        return result.output

    cf("db", "upgrade")
    cf("programme", "add", "mecatronique", "--name", "Mécatronique", "--start", "2026-09-01", "--years", "3",
       "--seats", "40")
    return cf


def test_the_cli_runs_a_large_file_as_a_job_and_follows_it(cli_database: Callable[..., Any], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[threading.Thread] = []

    def worker(settings: Any, job_id: int) -> None:  # a worker, in a thread of the test
        def run() -> None:
            services = bootstrap(settings)
            try:
                run_job(services, job_id)
            finally:
                services.close()
        thread = threading.Thread(target=run)
        thread.start()
        ran.append(thread)

    monkeypatch.setattr(importing, "enqueue_import", worker)
    monkeypatch.setattr(importing, "POLL_SECONDS", 0.01)
    file = tmp_path / "admis.csv"
    file.write_text(csv_of(*people(25)), encoding="utf-8")
    out = json.loads(cli_database("import", "cases", str(file), "--background", "--json"))
    assert (out["status"], out["total"], out["processed"], len(out["imported"])) == ("done", 25, 25, 25)
    status = json.loads(cli_database("import", "status", str(out["job"]), "--json"))
    assert status["status"] == "done"
    again = json.loads(cli_database("import", "cases", str(file), "--json"))  # in this process: all there
    assert (len(again["imported"]), len(again["already"])) == (0, 25)
    queued = json.loads(cli_database("import", "cases", str(file), "--background", "--no-wait", "--json"))
    assert queued["status"] == "queued"
    for thread in ran:
        thread.join()
    assert cli_database("import", "status", "999", code=2)  # an unknown job: "not found", exit 2


def test_the_cli_runs_a_queued_job_in_its_own_process(cli_database: Callable[..., Any], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "enqueue_import", lambda settings, job_id: None)  # no worker runs
    monkeypatch.setattr(importing, "POLL_SECONDS", 0.01)
    file = tmp_path / "admis.csv"
    file.write_text(csv_of(*people(8), "mecatronique,Zoé,Petit\u202e,2005-01-01,z@example.org,"),
                    encoding="utf-8")
    queued = json.loads(cli_database("import", "cases", str(file), "--background", "--no-wait", "--json"))
    out = json.loads(cli_database("import", "run", str(queued["job"]), "--json", code=2))  # a row refused: 2
    assert (out["status"], len(out["imported"]), [p["field"] for p in out["problems"]]) == ("done", 8, ["last_name"])


def test_open_case_is_unchanged_for_a_single_case(app: App, world: World) -> None:
    """The API and the CLI's `case open` stay as they were: opening is not an import (no matching)."""
    first = open_case(app, OpenCase("mecatronique", "Léa", "Martin", date(2004, 5, 12), "lea.b@example.org"))
    assert first != world.one.case_id

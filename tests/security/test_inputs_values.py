"""Issue 12, item 9 (inputs): names without control or bidi-override characters, plausible birth dates, hours and
amounts finite and within the law's bounds, and error messages that tell staff nothing of another CFA.

The attacks: a name holding U+202E (RIGHT-TO-LEFT OVERRIDE) or control characters was stored and shown; a birth
date in year 1 was accepted; weekly hours `1e-999999` were stored as 0.00; "programme autre already exists" told a
lead of one CFA the code of another's. Each is refused naming the field and the rule (422 over HTTP, exit 2 in the
CLI, a row problem in an import), and changes nothing: checked on SQLite and PostgreSQL.

Sources: the youngest candidate is the rule set's `minimum_age_after_lower_secondary` (15, L6222-1) less one year
(the calendar year one turns 15, L6222-1 second paragraph); the oldest is a plausibility bound (100 years: no law
caps the age with a derogation, L6222-2); weekly hours 0 < h <= 48 (L3121-20), in hundredths (the HOURS column,
Numeric(5, 2)); amounts 0 to 99,999,999.99 € (the MONEY column, Numeric(10, 2)), in cents.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from contract_flow.adapters.clock import FixedClock
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.values import (
    check_birth_date,
    parse_amount,
    parse_email,
    parse_hours,
    parse_text,
    years_before,
)
from contract_flow.services.importer import import_cases
from tests.conftest import snapshot
from tests.support.world import World, build_world

pytestmark = pytest.mark.postgres

RLO, LRI, ZWSP, BOM, SHY = "\u202e", "\u2066", "\u200b", "\ufeff", "\u00ad"


# -- the parsers, table-driven ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    ("Léa", "Léa"),
    ("Jean-Pierre", "Jean-Pierre"),                       # hyphen
    ("N'Diaye", "N'Diaye"),                               # ASCII apostrophe
    ("D’Artagnan", "D’Artagnan"),                         # typographic apostrophe (U+2019)
    ("Éloïse Œuvray-Çelik", "Éloïse Œuvray-Çelik"),       # capitals with accents, ligature, cedilla
    ("Le\u0301a", "Léa"),                                 # e + combining acute: NFC-normalised to é
    ("  Marie\u00a0Claire \t", "Marie Claire"),           # no-break space and tab: white space, collapsed
    ("Anne\nSophie", "Anne Sophie"),                      # a line break from a pasted cell: collapsed
])
def test_french_names_are_accepted(typed: str, stored: str) -> None:
    assert parse_text("last_name", typed, 100) == stored


@pytest.mark.parametrize(("typed", "code"), [
    (f"Martin{RLO}gpj.exe", "U+202E"),   # the RTL override
    (f"{LRI}Martin", "U+2066"),          # a bidi isolate
    (f"Mar{ZWSP}tin", "U+200B"),         # zero-width space: two «equal» names that differ
    (f"{BOM}Martin", "U+FEFF"),
    (f"Mar{SHY}tin", "U+00AD"),          # soft hyphen (Cf)
    ("Martin\x00", "U+0000"),
    ("Martin\x1b[31m", "U+001B"),        # a terminal escape
    ("Martin\x7f", "U+007F"),
    ("Martin\x85", "U+0085"),            # C1 control (NEL is white space for str.split: collapsed, not refused)
    ("Martin\x9b", "U+009B"),            # C1 CSI
    ("Martin\ud800", "U+D800"),          # a lone surrogate (JSON "\ud800"): no database encodes it
])
def test_control_and_format_characters_are_refused_naming_the_field(typed: str, code: str) -> None:
    if code == "U+0085":
        assert parse_text("last_name", typed) == "Martin"
        return
    with pytest.raises(InvalidInput) as refused:
        parse_text("last_name", typed, 100)
    assert refused.value.field == "last_name"
    assert code in refused.value.rule


@pytest.mark.parametrize("typed", [f"lea{RLO}@example.org", "lea@exa\u200bmple.org", "lea\x00@example.org"])
def test_emails_with_invisible_characters_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="is not an email address"):
        parse_email("email", typed)


@pytest.mark.parametrize(("typed", "hours"), [("35", Decimal("35.00")), ("17,5", Decimal("17.50")),
                                              ("48", Decimal("48.00")), ("0.01", Decimal("0.01"))])
def test_weekly_hours_within_the_law_are_kept(typed: str, hours: Decimal) -> None:
    assert parse_hours("contract.weekly_hours", typed) == hours


@pytest.mark.parametrize(("typed", "rule"), [
    ("1e-999999", "more than two decimals"),  # the issue's: stored as 0.00 before
    ("35.123", "more than two decimals"),
    ("0", "above 0 and at most 48"),
    ("-0", "above 0 and at most 48"),
    ("48.01", "above 0 and at most 48"),       # L3121-20
    ("1e999999", "above 0 and at most 48"),
    ("NaN", "above 0 and at most 48"),
    ("sNaN", "above 0 and at most 48"),
    ("Infinity", "above 0 and at most 48"),
    ("trente", "is not a number of hours"),
])
def test_weekly_hours_that_are_not_finite_or_beyond_the_law_are_refused(typed: str, rule: str) -> None:
    with pytest.raises(InvalidInput, match=rule):
        parse_hours("contract.weekly_hours", typed)


@pytest.mark.parametrize(("typed", "rule"), [
    ("1e-999999", "more than two decimals"), ("NaN", "must be a positive amount"),
    ("Infinity", "must be a positive amount"), ("-1", "must be a positive amount"),
    ("100000000", "more than 99999999.99"), ("1e999999", "more than 99999999.99"),
])
def test_amounts_that_are_not_finite_or_beyond_the_column_are_refused(typed: str, rule: str) -> None:
    with pytest.raises(InvalidInput, match=rule):
        parse_amount("contract.gross_monthly_pay", typed)


TODAY = date(2026, 10, 20)


@pytest.mark.parametrize(("born", "accepted"), [
    (date(1, 1, 1), False),                  # the year 1
    (date(1926, 10, 19), False),             # 100 years and a day
    (date(1926, 10, 20), True),              # exactly 100 years
    (date(2012, 10, 20), True),              # 14 today: turns 15 within the calendar year (L6222-1)
    (date(2012, 10, 21), False),             # 14 tomorrow
    (date(2026, 10, 21), False),             # in the future
])
def test_birth_dates_are_framed_by_the_youngest_age_and_a_hundred_years(born: date, accepted: bool) -> None:
    if accepted:
        assert check_birth_date("birth_date", born, TODAY, 14) == born
    else:
        with pytest.raises(InvalidInput) as refused:
            check_birth_date("birth_date", born, TODAY, 14)
        assert refused.value.field == "birth_date"


def test_a_year_before_a_29_february_is_the_28th() -> None:
    assert years_before(date(2028, 2, 29), 14) == date(2014, 2, 28)


# -- through the API, the import and the CLI, on both databases ---------------------------------------------------

@pytest.fixture
def world(app: App, clock: FixedClock) -> World:
    return build_world(app, clock)


@pytest.fixture
def client(app: App, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(app), raise_server_exceptions=False) as test_client:
        yield test_client


CANDIDATE = {"programme": "mecatronique", "first_name": "Zoé", "last_name": "Petit", "birth_date": "2005-12-19",
             "email": "zoe.petit@example.org"}


@pytest.mark.parametrize(("change", "field", "rule"), [
    ({"last_name": f"Petit{RLO}cod.exe"}, "last_name", "U+202E"),
    ({"first_name": "Zo\x1bé"}, "first_name", "U+001B"),
    ({"birth_date": "0001-01-01"}, "birth_date", "more than 100 years ago"),
    ({"birth_date": "2020-01-01"}, "birth_date", "at least 14 years old"),
])
def test_the_api_refuses_a_case_with_an_implausible_candidate(app: App, world: World, client: TestClient,
                                                              change: dict[str, str], field: str, rule: str) -> None:
    before = snapshot(app)
    answer = client.post("/api/v1/cases", json={**CANDIDATE, **change}, headers=world.as_("advisor"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert rule in answer.json()["message"]
    assert snapshot(app) == before


@pytest.mark.parametrize(("facts", "field", "rule"), [
    ({"offer.weekly_hours": "1e-999999"}, "offer.weekly_hours", "more than two decimals"),
    ({"offer.gross_monthly_pay": "1e-999999"}, "offer.gross_monthly_pay", "more than two decimals"),
    ({"candidate.birth_date": "0001-01-01"}, "candidate.birth_date", "more than 100 years ago"),
    ({"candidate.last_name": f"Voisin{RLO}"}, "candidate.last_name", "U+202E"),
    ({"project.target_job": "tech\u2067nicien"}, "project.target_job", "U+2067"),
])
def test_the_api_refuses_facts_out_of_bounds(app: App, world: World, client: TestClient,
                                             facts: dict[str, str], field: str, rule: str) -> None:
    before = snapshot(app)
    answer = client.patch(f"/api/v1/cases/{world.one.neighbour_id}/facts", json={"facts": facts},
                          headers=world.as_("advisor"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert rule in answer.json()["message"]
    assert snapshot(app) == before


def test_a_lead_is_not_told_that_another_cfas_programme_exists(app: App, world: World, client: TestClient) -> None:
    before = snapshot(app)
    answer = client.post("/api/v1/programmes", json={"code": world.two.programme, "name": "Autre",
                                                     "start_date": "2027-09-01"}, headers=world.as_("programme_lead"))
    assert answer.status_code == 422, answer.text
    body: dict[str, Any] = answer.json()
    assert body["field"] == "code"
    assert "already exists" not in body["message"]
    assert world.two.code not in body["message"]
    assert snapshot(app) == before
    # another CFA's programme is "not found", as a missing one, wherever a programme is named
    for response in (
        client.put(f"/api/v1/programmes/{world.two.programme}/calendar",
                   json={"school": [{"from": "2026-09-07", "to": "2026-09-25"}]},
                   headers=world.as_("programme_lead")),
        client.post("/api/v1/cases", json={**CANDIDATE, "programme": world.two.programme},
                    headers=world.as_("advisor")),
    ):
        assert response.status_code == 404, response.text
        assert response.json()["message"] == f"programme {world.two.programme} not found"
    assert snapshot(app) == before


def test_an_import_reports_implausible_rows_by_line_and_field(app: App, world: World) -> None:
    csv = "\n".join(["programme,first_name,last_name,birth_date,email",
                     f"mecatronique,Zoé,Petit{RLO},2005-12-19,a@example.org",
                     "mecatronique,Zoé,Petit,0001-01-01,b@example.org",
                     "mecatronique,Zoé,Petit,2005-12-19,c@example.org"]) + "\n"
    report = import_cases(app, io.StringIO(csv), programmes={"mecatronique"})
    assert [(p.line, p.field) for p in report.problems] == [(2, "last_name"), (3, "birth_date")]
    assert [line for line, _ in report.imported] == [4]


def test_the_cli_exits_2_naming_the_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite")
    runner = CliRunner()
    for args in (["db", "upgrade"],
                 ["programme", "add", "mecatronique", "--name", "Mécatronique", "--start", "2026-09-01",
                  "--years", "3", "--seats", "40"]):
        assert runner.invoke(cli_app, args).exit_code == 0
    opened = runner.invoke(cli_app, ["--now", "2026-03-02T10:00", "case", "open", "--programme", "mecatronique",
                                     "--first-name", f"Léa{RLO}", "--last-name", "Martin", "--birth-date",
                                     "2004-05-12", "--email", "lea@example.org", "--json"])
    assert opened.exit_code == 2, opened.output
    assert "first_name" in opened.output
    assert "U+202E" in opened.output
    listed = runner.invoke(cli_app, ["case", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output) == []

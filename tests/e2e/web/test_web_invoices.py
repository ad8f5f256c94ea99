"""The invoices on the pages (issue 14, item 8), on SQLite and PostgreSQL: the advisor's board says how many
employer participations fall due this month and the next, and for how much, with a link to the page listing them;
the list page a month at a time (a bad month said next to its field), in French or English; the case page shows
the hiring-aid filing deadline with its article and the participation; only CFA staff see the list."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time

import pytest
from fastapi.testclient import TestClient

from contract_flow.adapters.clock import FixedClock
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.services.cases import advance, show
from contract_flow.services.directory import set_password
from tests.conftest import People
from tests.e2e.web.conftest import csrf_of, log_in
from tests.support.cases import open_candidate, walk

pytestmark = pytest.mark.postgres
PASSWORD = "un mot de passe assez long"


def paris(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=PARIS).astimezone(UTC)


@pytest.fixture
def cases(app: App, people: People, clock: FixedClock) -> tuple[int, int]:
    """Léa in her trial (750 € due at its end, 7 January 2027), Hugo broken during his on 16 October 2026; the
    clock on 15 December 2026."""
    clock.set(paris(date(2026, 8, 20)))
    lea = open_candidate(app)
    walk(app, lea, "trial", advisor=people.advisor, lead=people.lead)
    hugo = open_candidate(app, first_name="Hugo", last_name="Bernard", email="hugo.bernard@example.org")
    walk(app, hugo, "trial", advisor=people.advisor, lead=people.lead)
    clock.set(paris(date(2026, 10, 16)))
    advance(app, hugo, "break_trial", actor_email=people.advisor, facts={"contract.ended_by": "employer"})
    clock.set(paris(date(2026, 12, 15)))
    return lea, hugo


@pytest.fixture
def browser_of(app: App, people: People) -> Iterator[Callable[[str], TestClient]]:
    opened: list[TestClient] = []

    def as_(email: str) -> TestClient:
        set_password(app, email, PASSWORD)
        client = TestClient(create_app(app), raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        log_in(client, email, PASSWORD)
        return client

    yield as_
    for client in opened:
        client.__exit__(None, None, None)


def block(html: str) -> str:
    return html.split('id="invoices"', 1)[1].split("</section>", 1)[0]


def test_the_board_counts_this_month_s_and_next_month_s_participations_and_links_to_them(
        app: App, people: People, cases: tuple[int, int],
        browser_of: Callable[[str], TestClient]) -> None:
    lea, _ = cases
    assert show(app, lea).case.contract.trial_end == date(2027, 1, 7)
    board = browser_of(people.advisor).get("/board")
    assert board.status_code == 200
    found = block(board.text)
    assert "Participations employeur à facturer" in found
    months = re.findall(r'<a href="/invoices\?month=([\d-]+)">Échéance en ([^<]+)</a>\s*'
                        r'<span class="badge">(\d+)</span>\s*<span>([^<]+)</span>', found)
    assert months == [("2026-12", "décembre 2026", "0", "0,00\u00a0€"),
                      ("2027-01", "janvier 2027", "1", "750,00\u00a0€")]
    assert '<a href="/invoices">Voir toutes les lignes</a>' in found


def test_the_list_page_shows_each_line_a_month_at_a_time(
        app: App, people: People, cases: tuple[int, int],
        browser_of: Callable[[str], TestClient]) -> None:
    lea, hugo = cases
    client = browser_of(people.lead)
    every = client.get("/invoices")
    assert every.status_code == 200
    rows = every.text.split("<tbody>", 1)[1]
    assert f'<a href="/cases/{hugo}">Hugo Bernard</a>' in rows
    assert f'<a href="/cases/{lea}">Léa Martin</a>' in rows
    assert "234,25\u00a0€" in rows
    assert "16/10/2026" in rows
    assert "Recalculée après une rupture" in rows
    assert "07/01/2027" in rows
    assert "À venir" in rows
    assert "SIRET 73282932000074" in rows
    assert "2 ligne(s), 984,25\u00a0€ au total." in every.text
    assert '<label for="f-month">Mois d&#39;échéance</label>' in every.text
    january = client.get("/invoices?month=2027-01")
    assert "1 ligne(s) à échéance en janvier 2027, 750,00\u00a0€ au total." in january.text
    assert "Hugo Bernard" not in january.text
    refused = client.get("/invoices?month=2027-13")
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    assert "«\u00a02027-13\u00a0» n&#39;est pas un mois écrit AAAA-MM (par exemple 2027-01)" in refused.text
    # How each amount was found, in French: kept at signature and at the break as reasons, not as English text
    assert "niveau 7, conclu le 20/08/2026 : 750,00\u00a0€ une seule fois, pour la première année" in rows
    assert "rompu pendant la période d&#39;essai au jour" in rows
    assert not re.search(r"concluded on|once, for the first year|broken during|entry in force", every.text)
    client.post("/language", data={"lang": "en", "csrf_token": csrf_of(every.text)})
    english = client.get("/invoices?month=2026-10")
    assert "1 line(s) due in October 2026, €234.25 in all." in english.text
    assert "Recomputed after a break" in english.text
    assert "broken during the trial on day" in english.text
    bad = client.get("/invoices?month=2026-13").text
    assert "2026-13" in bad
    assert "is not a month written YYYY-MM" in bad


def test_the_case_page_shows_the_hiring_aid_deadline_with_its_article_and_the_participation(
        app: App, people: People, cases: tuple[int, int],
        browser_of: Callable[[str], TestClient]) -> None:
    lea, _ = cases
    terms = show(app, lea).case.contract
    assert terms.hiring_aid_filing_due is not None
    page = browser_of(people.advisor).get(f"/cases/{lea}")
    money = page.text.split('id="money"', 1)[1].split("</section>", 1)[0]
    assert "Aide à l&#39;embauche" in money
    assert f"Contrat à déposer à l&#39;OPCO au plus tard le {terms.hiring_aid_filing_due:%d/%m/%Y}" in money
    assert "décret n° 2026-168" in money
    assert "750,00\u00a0€ · À venir" in money
    assert "échéance le 07/01/2027" in money
    # the article's entry and how the amount was found, worded in French (kept as reasons on the contract)
    assert re.search(r"décret n° 2026-168.* \(entrée en vigueur le \d\d/\d\d/\d{4}\)", money)
    assert "niveau 7, conclu le 20/08/2026 : 750,00\u00a0€ une seule fois, pour la première année" in money
    assert not re.search(r"entry in force|concluded on|once, for the first year", money)


def test_only_cfa_staff_see_the_invoices(people: People, cases: tuple[int, int],
        browser_of: Callable[[str], TestClient]) -> None:
    for who in (people.mentor, people.tutor, people.apprentice):
        assert browser_of(who).get("/invoices").status_code == 403, who

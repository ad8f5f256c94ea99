"""The page "Mes actions" (/me/todo, issue 15 item 2) for every role, on the world of two CFAs (tests/support/world.py:
in each, a case in its trial whose first review was held this afternoon and the next planned in April, and a
neighbour case just opened), on SQLite and PostgreSQL: each role's list in French (English on request), each item
linking to its form, reachable from the navigation."""

from __future__ import annotations

import re

import pytest

from contract_flow.services.reviews import acknowledge_review
from contract_flow.web.routes import todo as todo_page
from tests.e2e.web.conftest import Site

pytestmark = pytest.mark.postgres

_ITEM = re.compile(r'<li class="card todo-item[^"]*" id="todo-\d+"\s+data-kind="([a-z_]+)" data-case="(\d+)">')


def kinds(html: str) -> list[tuple[str, int]]:
    return [(kind, int(case)) for kind, case in _ITEM.findall(html)]


def test_every_role_has_its_to_do_list_in_the_navigation(site: Site) -> None:
    for role in ("advisor", "programme_lead", "tutor", "mentor", "apprentice"):
        client = site.as_(role)
        page = client.get("/me/todo")
        assert page.status_code == 200, (role, page.text)
        assert "<h1>Mes actions</h1>" in page.text
        assert '<a href="/me/todo" aria-current="page">Mes actions</a>' in page.text, role


def test_the_advisor_sees_the_filing_and_the_neighbours_missing_project(site: Site) -> None:
    one = site.world.one
    page = site.as_("advisor").get("/me/todo").text
    found = kinds(page)
    # The contract started on 1 September is not filed with the OPCO yet (due 7 September: overdue, first); the
    # medical visit is due by 1 November; the neighbour (no advisor named: every advisor's) lacks its project.
    assert found[0] == ("file_contract", one.case_id)
    assert ("medical_visit", one.case_id) in found
    assert ("supply", one.neighbour_id) in found
    assert all(case in (one.case_id, one.neighbour_id) for _, case in found)  # CFA two's cases are not theirs
    assert "Enregistrer le dépôt du contrat auprès de l’OPCO" in page
    assert "en retard : à faire pour le 07/09/2026" in page
    assert f'href="/cases/{one.case_id}#filing"' in page
    assert "Le projet professionnel doit être précisé" in page  # the rule's words (guards.toml)
    assert "fin de l’essai : contrat en cours le" in page
    # Each link leads to the form that records what is asked, on the case page.
    client = site.as_("advisor")
    assert f'href="/cases/{one.neighbour_id}#form-project"' in page
    assert 'id="form-project"' in client.get(f"/cases/{one.neighbour_id}").text
    assert f'href="/cases/{one.case_id}#form-followup"' in page
    case_page = client.get(f"/cases/{one.case_id}").text
    assert 'id="form-followup"' in case_page
    assert 'id="filing"' in case_page


def test_the_reviews_report_waits_for_each_party_until_they_acknowledge_it(site: Site) -> None:
    one = site.world.one
    for role in ("tutor", "mentor", "apprentice"):
        client = site.as_(role)
        page = client.get("/me/todo").text
        assert ("acknowledge_review", one.case_id) in kinds(page), role
        assert "Lire et signer le compte rendu de l’entretien du 20/10/2026" in page
        assert f'href="/reviews/{one.held_review_id}"' in page
        assert client.get(f"/reviews/{one.held_review_id}").status_code == 200  # the report, then acknowledge
        acknowledge_review(site.app, one.held_review_id, actor_email=one.user(role).email)
        assert ("acknowledge_review", one.case_id) not in kinds(client.get("/me/todo").text), role


def test_the_lead_has_nothing_to_validate_and_says_so_in_english(site: Site) -> None:
    client = site.as_("programme_lead")
    client.cookies.set("lang", "en")
    page = site.post_form(client, "/me/todo", "/language", {"lang": "en", "next": "/me/todo"})
    text = client.get("/me/todo").text
    assert "<h1>My actions</h1>" in text, page
    assert "Nothing to do for now" in text
    assert kinds(text) == []


def test_a_long_list_is_read_page_by_page_most_urgent_first(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(todo_page, "PAGE_SIZE", 2)
    client = site.as_("advisor")
    first, second = client.get("/me/todo").text, client.get("/me/todo?page=2").text
    assert len(kinds(first)) == 2
    assert kinds(first)[0] == ("file_contract", site.world.one.case_id)
    assert 'id="todo-3"' in second
    assert kinds(second)
    assert 'href="/me/todo?page=2"' in first
    assert 'href="/me/todo?page=1"' in second
    assert set(kinds(first)).isdisjoint(kinds(second))

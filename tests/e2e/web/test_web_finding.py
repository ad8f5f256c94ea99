"""Finding and following cases on the pages (issue 15, item 4): the search and the filters of every list (the
board, a step's list, the cases at risk, the lead's, the tutor's and the mentor's), each card's next deadline
with «en retard» when past, the seats used and free per programme on the board."""

from __future__ import annotations

import re
from datetime import date

from contract_flow.adapters.clock import FixedClock
from contract_flow.services.cases import OpenCase, open_case
from contract_flow.services.reviews import acknowledge_review
from tests.e2e.web.conftest import Site
from tests.support.cases import walk
from tests.support.world import paris


def rows(html: str) -> list[str]:
    """The names a list's table or cards link to, in order."""
    return re.findall(r'<a (?:class="case-card" )?href="/cases/\d+">\s*(?:<strong>)?([^<]+?)(?:</strong>|</a>)', html)


def test_the_board_searches_names_whatever_the_accents_and_lists_every_state(site: Site) -> None:
    two = site.as_("advisor", 2)
    found = two.get("/board", params={"q": "ines"})
    assert found.status_code == 200
    assert "Recherche dans les dossiers" in found.text
    assert "1 dossier(s) trouvé(s)." in found.text
    assert rows(found.text.split("<tbody>", 1)[1]) == ["Inès Leroy"]
    assert "ines.leroy@example.org" in found.text
    assert two.get("/board", params={"q": "LEROY inès"}).text.count('href="/cases/') == 1
    # the search spans every state: Hugo is in his trial, not on a column of the board
    hugo = two.get("/board", params={"q": "hugo"})
    assert rows(hugo.text.split("<tbody>", 1)[1]) == ["Hugo Durand"]
    assert "Période d&#39;essai" in hugo.text.split("<tbody>", 1)[1]
    # the search field keeps what was typed, and says what it ignores
    assert 'value="ines"' in found.text
    assert '<label for="find-q">Nom ou e-mail</label>' in found.text
    # another CFA's cases are never found
    one = site.as_("advisor")
    nothing = one.get("/board", params={"q": "ines"})
    assert "Aucun dossier ne correspond à cette recherche." in nothing.text
    assert "Inès" not in nothing.text.split('id="find-q-hint"', 1)[1].split("</p>", 1)[1]


def test_the_board_filters_by_advisor_and_needs_me_and_keeps_the_filters_in_its_links(site: Site) -> None:
    client = site.as_("advisor")
    advisor = site.world.one.user("advisor").email

    def reflect_count(html: str) -> str:
        found = re.search(r'<h2 id="col-reflect">.*?<span class="badge"[^>]*>(\d+)', html, re.S)
        assert found is not None
        return found.group(1)

    assert reflect_count(client.get("/board").text) == "1"  # Nina, no advisor named
    mine = client.get("/board", params={"advisor": advisor})
    assert reflect_count(mine.text) == "0"
    assert re.search(r'Période d&#39;essai</a> <span class="badge">1</span>', mine.text)  # Léa, theirs
    assert 'href="/board?state=trial&amp;advisor=' in mine.text  # the counts lead to the same filters
    # needs me: Nina waits at «Réfléchir» with no advisor named; Léa's trial needs no advisor's move
    needs = client.get("/board", params={"needs_me": "1"})
    assert reflect_count(needs.text) == "1"
    assert re.search(r'Période d&#39;essai</a> <span class="badge">0</span>', needs.text)
    assert 'id="find-needs" name="needs_me" value="1" checked' in needs.text
    # a step's list with a search
    listing = client.get("/board", params={"state": "reflect", "q": "voisin"})
    assert "Dossiers à l&#39;étape « Réfléchir »" in listing.text
    assert rows(listing.text.split("<tbody>", 1)[1]) == ["Nina Voisin"]


def test_a_search_runs_page_by_page_keeping_the_search(site: Site) -> None:
    for number in range(55):
        open_case(site.app, OpenCase("mecatronique", "Noémie", f"Nom{number:02}", date(2005, 1, 1),
                                     f"noemie{number}@example.org"))
    client = site.as_("advisor")
    first = client.get("/board", params={"q": "noemie"})
    assert "55 dossier(s) trouvé(s)." in first.text
    assert first.text.split("<tbody>", 1)[1].count('href="/cases/') == 50
    assert 'href="/board?q=noemie&amp;page=2"' in first.text
    second = client.get("/board?q=noemie&page=2")
    assert second.text.split("<tbody>", 1)[1].count('href="/cases/') == 5


def test_cards_show_the_next_deadline_and_en_retard_once_past(site: Site, clock: FixedClock) -> None:
    client = site.as_("advisor")
    board = client.get("/board")
    nina = board.text.split('id="col-reflect"', 1)[1].split("</section>", 1)[0]
    assert "Fin de la recherche sans employeur : 30/11/2026" in nina
    assert "en retard" not in nina
    clock.set(paris(2026, 12, 2, 10))
    late = client.get("/board").text.split('id="col-reflect"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'Fin de la recherche sans employeur : 30/11/2026 <strong class="overdue-tag">en retard</strong>',
                     late)
    # the same on a step's list and in a search's rows
    listing = client.get("/board?state=reflect").text.split("<tbody>", 1)[1]
    assert "30/11/2026 <strong class=\"overdue-tag\">en retard</strong>" in listing
    english = client.get("/board?state=reflect", headers={"Accept-Language": "en"})
    assert english.status_code == 200


def test_the_board_shows_the_seats_used_and_free_per_programme(site: Site) -> None:
    page = site.as_("advisor").get("/board")
    seats = page.text.split('id="seats-title"', 1)[1].split("</section>", 1)[0]
    assert "Places par formation" in page.text
    row = seats.split('id="seats-mecatronique"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">(\d+)', row) == ["40", "1", "39"]  # Léa's contract holds a seat
    assert "autre" not in seats  # another CFA's programme
    # a search does not change the seats
    searched = site.as_("advisor").get("/board", params={"advisor": "personne@cfa.example"})
    again = searched.text.split('id="seats-mecatronique"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">(\d+)', again) == ["40", "1", "39"]


def test_the_risk_page_searches_and_filters(site: Site) -> None:
    client = site.as_("advisor")
    nina = client.get("/risk", params={"q": "NINA"})
    assert nina.status_code == 200
    table = nina.text.split("<tbody>", 1)[1]
    assert "Nina Voisin" in table
    assert "Léa Martin" not in table
    assert 'value="NINA"' in nina.text
    trial = client.get("/risk", params={"state": "trial"}).text.split("<tbody>", 1)[1]
    assert "Léa Martin" in trial
    assert "Nina Voisin" not in trial
    none = client.get("/risk", params={"q": "personne du tout"})
    assert "Aucun dossier à risque." in none.text


def test_the_leads_list_searches_its_projects(site: Site) -> None:
    advisor = site.world.one.user("advisor").email
    for first, last in (("Éric", "Projet"), ("Paul", "Autre")):
        case_id = open_case(site.app, OpenCase("mecatronique", first, last, date(2004, 1, 1),
                                               f"{first.lower()}@example.org"))
        walk(site.app, case_id, "decide", advisor=advisor, lead=site.world.one.user("programme_lead").email)
    lead = site.as_("programme_lead")
    everyone = lead.get("/lead")
    assert "Éric Projet" in everyone.text
    assert "Paul Autre" in everyone.text
    eric = lead.get("/lead", params={"q": "eric"})
    assert "Éric Projet" in eric.text
    assert "Paul Autre" not in eric.text
    assert "Prochaine échéance" in eric.text
    nobody = lead.get("/lead", params={"q": "zzz"})
    assert "Aucun dossier ne correspond à cette recherche." in nobody.text


def test_the_tutors_and_mentors_lists_search_and_show_what_needs_them(site: Site) -> None:
    world = site.world.one
    tutor = site.as_("tutor")
    assert "Léa Martin" in tutor.get("/tutor", params={"q": "léa"}).text
    assert "Léa Martin" in tutor.get("/tutor", params={"q": "MARTIN"}).text
    nobody = tutor.get("/tutor", params={"q": "nina"})  # not their apprentice
    assert "Aucun dossier ne correspond à cette recherche." in nobody.text
    # needs me: the review held this afternoon waits for each party's acknowledgement
    assert "Léa Martin" in tutor.get("/tutor", params={"needs_me": "1"}).text
    mentor = site.as_("mentor")
    assert "Léa Martin" in mentor.get("/mentor", params={"needs_me": "1"}).text
    acknowledge_review(site.app, world.held_review_id, actor_email=world.user("mentor").email)
    after = mentor.get("/mentor", params={"needs_me": "1"})
    assert "Aucun dossier ne correspond à cette recherche." in after.text
    assert "Léa Martin" in tutor.get("/tutor", params={"needs_me": "1"}).text  # the tutor has not acknowledged
    # the next deadline on their cards
    assert "Prochaine échéance" in mentor.get("/mentor").text
    assert re.search(r"Prochaine échéance</dt><dd><span class=\"deadline[^\"]*\">", tutor.get("/tutor").text)


def test_odd_filters_are_refused_without_a_server_error(site: Site) -> None:
    client = site.as_("advisor")
    assert client.get("/board", params={"q": "x" * 101}).status_code == 422
    assert client.get("/board", params={"state": "nowhere"}).status_code == 422
    assert client.get("/risk", params={"state": "nowhere"}).status_code == 422
    assert client.get("/board", params={"programme": "autre"}).status_code == 404
    for odd in ("%", "_", "\\", "'", '"', "é" * 100, "<script>"):
        answer = client.get("/board", params={"q": odd})
        assert answer.status_code == 200, odd
        assert "<script>" not in answer.text.split("<main", 1)[1]
    assert site.as_("tutor").get("/tutor", params={"needs_me": "maybe"}).status_code == 422

"""Reviews readable on the pages (issue 15, item 3): each party reads the report above the form that acknowledges
it; the case page's «Entretiens» for its staff, tutor, mentor and apprentice; the tutor's page flags the reviews
late; the log form offers the programme's skill list; a review already held is recorded after the fact.

The world (tests/support/world.py): CFA one's case (programme mecatronique) in its trial, its first review held on
20 October 2026 (Prototypage acquired, «Bon début.»), acknowledged by nobody yet, the next planned on 20 April 2027.
"""

from __future__ import annotations

import re

import pytest

from contract_flow.adapters.clock import FixedClock
from contract_flow.services.reviews import list_reviews
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site, csrf_of
from tests.support.world import ROLES, paris

REPORT = "Compte rendu de l&#39;entretien du 20/10/2026"


def _before(text: str, first: str, then: str) -> None:
    assert first in text, first
    assert then in text, then
    assert text.index(first) < text.index(then), f"{first!r} is not above {then!r}"


@pytest.mark.parametrize(("role", "home"), [("mentor", "/mentor"), ("apprentice", "/me"), ("tutor", "/tutor")])
def test_each_party_reads_the_report_above_the_form_that_acknowledges_it(site: Site, role: str, home: str) -> None:
    one = site.world.one
    client = site.as_(role)
    page = client.get(home).text
    ack = f'action="/reviews/{one.held_review_id}/ack"'
    for shown in ("Prototypage", "Acquis", "Bon début.", "Présents", "pas encore visé"):
        _before(page, REPORT, shown)
        _before(page, shown, ack)
    answer = client.post(f"/reviews/{one.held_review_id}/ack", data={"csrf_token": csrf_of(page)},
                         follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == home
    after = client.get(home).text
    assert "Compte rendu du 20/10/2026 visé." in after
    assert ack not in after


def test_the_reviews_page_shows_the_report_then_the_form_and_comes_back_to_it(site: Site) -> None:
    one = site.world.one
    client = site.as_("mentor")
    page = client.get(f"/reviews/{one.held_review_id}")
    assert page.status_code == 200
    _before(page.text, "Bon début.", f'action="/reviews/{one.held_review_id}/ack"')
    answer = client.post(f"/reviews/{one.held_review_id}/ack", follow_redirects=False,
                         data={"csrf_token": csrf_of(page.text), "back": f"/reviews/{one.held_review_id}"})
    assert answer.headers["location"] == f"/reviews/{one.held_review_id}"
    after = client.get(f"/reviews/{one.held_review_id}").text
    assert re.search(r"Maître d&#39;apprentissage :\s*visé le 20/10/2026 16:00", after)
    assert "/ack" not in after
    # Off the site, the acknowledgement lands on the person's own page.
    other = site.as_("apprentice")
    token = csrf_of(other.get("/me").text)
    landed = other.post(f"/reviews/{one.held_review_id}/ack", follow_redirects=False,
                        data={"csrf_token": token, "back": "//evil.example/"})
    assert landed.headers["location"] == "/me"


@pytest.mark.parametrize("role", ROLES)
def test_the_case_page_shows_its_reviews_to_each_of_its_people(site: Site, role: str) -> None:
    one = site.world.one
    page = site.as_(role).get(f"/cases/{one.case_id}")
    assert page.status_code == 200
    section = page.text[page.text.index('id="reviews"'):]
    assert '<h2 id="reviews-title">Entretiens</h2>' in section
    for shown in (REPORT, "Prototypage", "Bon début.", "20/04/2027 14:00 · Salle B12", "prévu"):
        assert shown in section, shown
    organiser = role in ("advisor", "programme_lead", "tutor")
    assert (f'href="/cases/{one.case_id}/reviews/held/new"' in section) is organiser
    party = role in ("tutor", "mentor", "apprentice")
    assert (f'action="/reviews/{one.held_review_id}/ack"' in section) is party
    assert site.as_(role, 2).get(f"/cases/{one.case_id}").status_code == 404


def test_the_tutors_page_flags_a_review_not_logged_then_a_due_one_not_planned(site: Site, clock: FixedClock) -> None:
    one = site.world.one
    client = site.as_("tutor")
    assert "En retard" not in client.get("/tutor").text
    clock.set(paris(2027, 4, 21, 9))
    page = client.get("/tutor").text
    card = page[page.index(f'id="case-{one.case_id}"'):]
    assert ('<li class="late">En retard : l&#39;entretien du 20/04/2027 14:00 (dû le 01/05/2027) n&#39;a pas de '
            "compte rendu.</li>") in card
    clock.set(paris(2027, 11, 2, 9))
    card = client.get("/tutor").text
    assert "En retard : l&#39;entretien dû le 01/11/2027 n&#39;est pas planifié." in card
    case_page = client.get(f"/cases/{one.case_id}").text
    assert "En retard : l&#39;entretien dû le 01/11/2027 n&#39;est pas planifié." in case_page
    # The apprentice and the mentor are not told what the tutor is late with.
    assert "En retard" not in site.as_("mentor").get(f"/cases/{one.case_id}").text


def test_the_log_form_offers_the_programmes_skills_each_with_a_level(site: Site, clock: FixedClock) -> None:
    one = site.world.one
    client = site.as_("tutor")
    clock.set(paris(2027, 4, 20, 17))
    form = client.get(f"/reviews/{one.planned_review_id}/log").text
    names = re.findall(r'<label for="f-skill_level_\d+">([^<]+)</label>', form)
    assert names[:2] == ["Modélisation", "Simulation numérique"]
    assert len(names) == 11
    assert 'type="text"' not in form.split('class="skill-list"')[1].split("</fieldset>")[0]  # no free name
    data = {"csrf_token": csrf_of(form), "version": "1", "attended_apprentice": "on", "attended_tutor": "on",
            **{f"skill_name_{n}": name.replace("&#39;", "'") for n, name in enumerate(names)},
            "skill_level_0": "in_progress", "skill_level_3": "mastered"}
    before = snapshot(site.app)
    tampered = client.post(f"/reviews/{one.planned_review_id}/log", data={**data, "skill_name_3": "soudage"})
    assert tampered.status_code == 422
    assert re.search(r'id="e-skills" role="alert">soudage n&#39;est pas dans la liste des compétences de la '
                     r'formation mecatronique', tampered.text)
    assert snapshot(site.app) == before
    nothing = client.post(f"/reviews/{one.planned_review_id}/log",
                          data={**data, "skill_level_0": "", "skill_level_3": ""})
    assert nothing.status_code == 422
    assert "choisissez le niveau d&#39;au moins une" in nothing.text
    answer = client.post(f"/reviews/{one.planned_review_id}/log", data=data, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    held = next(r for r in list_reviews(site.app, one.case_id) if r.id == one.planned_review_id)
    assert held.skills == {"Modélisation": "in_progress", "Prototypage": "mastered"}


def test_a_tutor_records_a_review_already_held_and_a_future_date_is_refused_next_to_its_field(
        site: Site, clock: FixedClock) -> None:
    one = site.world.one
    client = site.as_("tutor")
    clock.set(paris(2027, 11, 5, 9))
    form = client.get(f"/cases/{one.case_id}/reviews/held/new")
    assert form.status_code == 200
    for field in ('for="f-held_at"', 'type="datetime-local"', 'for="f-place"', 'for="f-skill_level_3">Prototypage',
                  'for="f-attended_mentor"', 'for="f-next_steps"'):
        assert field in form.text, field
    data = {"csrf_token": csrf_of(form.text), "held_at": "2027-12-01T10:00", "place": "Atelier 3",
            "attended_apprentice": "on", "attended_mentor": "on", "skill_name_3": "Prototypage",
            "skill_level_3": "acquired", "next_steps": "Suite du projet."}
    before = snapshot(site.app)
    future = client.post(f"/cases/{one.case_id}/reviews/held", data=data)
    assert future.status_code == 422
    assert re.search(r'id="e-held_at" role="alert">[^<]*le 01/12/2027 10:00 \(heure de Paris\) est à venir',
                     future.text)
    assert 'value="2027-12-01T10:00"' in future.text
    assert 'value="Atelier 3"' in future.text
    assert '<option value="acquired" selected>' in future.text
    assert "Suite du projet.</textarea>" in future.text
    assert snapshot(site.app) == before

    answer = client.post(f"/cases/{one.case_id}/reviews/held", data={**data, "held_at": "2027-10-28T10:00"},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert "Entretien du 28/10/2027 enregistré avec son compte rendu (1 compétence(s)) : il couvre l&#39;entretien " \
           "dû le 01/11/2027." in client.get("/tutor").text
    recorded = [r for r in list_reviews(site.app, one.case_id) if r.planned_at == paris(2027, 10, 28, 10)]
    assert [(r.state, r.place, r.skills, r.next_steps) for r in recorded] == [
        ("held", "Atelier 3", {"Prototypage": "acquired"}, "Suite du projet.")]


def test_only_the_cases_organisers_record_a_review_after_the_fact(site: Site) -> None:
    one, two = site.world.one, site.world.two
    assert site.as_("mentor").get(f"/cases/{one.case_id}/reviews/held/new").status_code == 403
    assert site.as_("apprentice").get(f"/cases/{one.case_id}/reviews/held/new").status_code == 403
    assert site.as_("tutor").get(f"/cases/{two.case_id}/reviews/held/new").status_code == 404
    assert site.as_("advisor").get(f"/cases/{one.case_id}/reviews/held/new").status_code == 200
    assert site.as_("tutor", 2).get(f"/reviews/{one.held_review_id}").status_code == 404

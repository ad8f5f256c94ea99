"""The apprentice's own page (where they are, what is missing, deadlines, next review, pay) and the inbox."""

from __future__ import annotations

from contract_flow.services.directory import add_user
from contract_flow.services.inbox import inbox
from contract_flow.services.reviews import list_reviews
from tests.e2e.web.conftest import Site, csrf_of, log_in
from tests.support.world import PASSWORD


def test_an_apprentice_in_trial_sees_the_trial_end_deadlines_next_review_and_pay(site: Site) -> None:
    one = site.world.one
    page = site.as_("apprentice").get("/me")
    assert page.status_code == 200
    text = page.text
    assert "Contrat : Période d&#39;essai" in text
    assert "Votre période d&#39;essai se termine le" in text
    assert "La période d&#39;essai doit d&#39;abord se terminer" in text  # what is missing to move on
    for deadline in ("Dépôt du contrat à l&#39;OPCO", "Fin de la période d&#39;essai",
                     "Prochain entretien à tenir avant le", "Fin du contrat"):
        assert deadline in text
    assert "<dd>20/04/2027 14:00</dd>" in text
    assert "<dd>Salle B12</dd>" in text
    assert "Salaire brut mensuel convenu : 1\u202f400,00\u00a0€." in text
    assert "<td>01/09/2026 – 31/08/2027</td>" in text
    assert "% du SMIC" in text
    assert f'href="/cases/{one.case_id}"' in text
    assert 'href="/inbox"' in text
    assert "Hugo" not in text


def test_an_apprentice_at_step_one_sees_the_steps_and_what_is_missing(site: Site) -> None:
    one = site.world.one
    add_user(site.app, "nina.voisin@example.org", name="Nina Voisin", role="apprentice", cfa_code=one.code,
             case_id=one.neighbour_id, password=PASSWORD)
    client = site.anonymous()
    log_in(client, "nina.voisin@example.org")
    page = client.get("/me")
    assert page.status_code == 200
    assert "Étape 1 sur 6 : Réfléchir" in page.text
    assert '<li aria-current="step">1. Réfléchir</li>' in page.text
    assert page.text.count("<li") >= 6
    assert "Préciser votre projet" in page.text
    assert "Fin de la recherche d&#39;entreprise sans contrat" in page.text


def test_an_apprentice_reads_a_reminder_and_marks_it_read(site: Site) -> None:
    one = site.world.one
    client = site.as_("apprentice")
    page = client.get("/inbox")
    assert page.status_code == 200
    [message] = [m for m in inbox(site.app, one.user("apprentice").email) if m.id == one.message_id]
    assert message.subject in page.text
    assert f'<li class="card message unread" id="m-{one.message_id}">' in page.text
    assert "Marquer comme lu" in page.text
    answer = client.post(f"/inbox/{one.message_id}/read", data={"csrf_token": csrf_of(page.text)},
                         follow_redirects=False)
    assert answer.status_code == 303
    again = client.get(answer.headers["location"])
    assert f'<li class="card message" id="m-{one.message_id}">' in again.text
    assert "<details open>" in again.text
    assert next(m for m in inbox(site.app, one.user("apprentice").email) if m.id == one.message_id).read_at


def test_an_apprentice_acknowledges_the_held_review_from_their_page(site: Site) -> None:
    one = site.world.one
    client = site.as_("apprentice")
    page = client.get("/me")
    answer = client.post(f"/reviews/{one.held_review_id}/ack", data={"csrf_token": csrf_of(page.text)})
    assert answer.status_code == 200
    assert "Compte rendu du 20/10/2026 visé." in answer.text
    held = next(r for r in list_reviews(site.app, one.case_id) if r.id == one.held_review_id)
    assert set(held.acknowledged) == {"apprentice"}


def test_an_apprentice_cannot_open_anothers_case_or_message_by_url(site: Site) -> None:
    one, two = site.world.one, site.world.two
    client = site.as_("apprentice")
    token = csrf_of(client.get("/inbox").text)
    for other in (two.case_id, one.neighbour_id):
        for path in (f"/cases/{other}", f"/cases/{other}/absences/new", f"/cases/{other}/reviews/new"):
            assert client.get(path).status_code == 404, path
        assert client.post(f"/cases/{other}/absences", data={
            "first_day": "2026-10-12", "last_day": "2026-10-13", "csrf_token": token}).status_code == 404
    assert client.get(f"/reviews/{two.planned_review_id}/log").status_code == 404
    assert client.post(f"/reviews/{two.held_review_id}/ack", data={"csrf_token": token}).status_code == 404
    tutors_message = one.messages["tutor"]
    if tutors_message is not None:
        assert client.post(f"/inbox/{tutors_message}/read", data={"csrf_token": token}).status_code == 404
    # Their own case, but not an apprentice's form.
    assert client.get(f"/cases/{one.case_id}/absences/new").status_code == 403
    assert client.get("/tutor").status_code == 403


def test_the_inbox_is_every_roles_and_pages_speak_english(site: Site) -> None:
    for role in ("advisor", "tutor", "mentor"):
        assert site.as_(role).get("/inbox").status_code == 200
    client = site.as_("apprentice")
    page = client.get("/me")
    client.post("/language", data={"lang": "en", "next": "/me", "csrf_token": csrf_of(page.text)})
    english = client.get("/me").text
    assert "Contract: Trial period" in english
    assert "My deadlines" in english
    assert "Mark as read" in client.get("/inbox").text

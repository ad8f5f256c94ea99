"""The company mentor's pages: their apprentices, recording an absence that moves the trial end, acknowledging
a review."""

from __future__ import annotations

from contract_flow.services.cases import show
from contract_flow.services.reviews import list_reviews
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site, csrf_of


def _trial_end(site: Site, case_id: int) -> str:
    end = show(site.app, case_id).case.contract.trial_end
    assert end is not None
    return end.strftime("%d/%m/%Y")


def test_a_mentor_sees_their_apprentice_with_the_trial_end_and_not_another_cfas(site: Site) -> None:
    one, two = site.world.one, site.world.two
    page = site.as_("mentor").get("/mentor")
    assert page.status_code == 200
    assert "Léa Martin" in page.text
    assert f'<dd class="trial-end">{_trial_end(site, one.case_id)}</dd>' in page.text
    assert f'href="/cases/{one.case_id}/absences/new"' in page.text
    assert f'action="/reviews/{one.held_review_id}/ack"' in page.text
    for hidden in ("Hugo Durand", "Nina Voisin", f"/cases/{two.case_id}"):
        assert hidden not in page.text


def test_a_mentor_records_an_absence_and_the_trial_end_moves(site: Site) -> None:
    one = site.world.one
    client = site.as_("mentor")
    before = _trial_end(site, one.case_id)
    form = client.get(f"/cases/{one.case_id}/absences/new")
    assert form.status_code == 200
    for label in ('for="f-first_day"', 'for="f-last_day"', 'for="f-reason"', before):
        assert label in form.text
    answer = client.post(f"/cases/{one.case_id}/absences", follow_redirects=False, data={
        "first_day": "2026-10-12", "last_day": "2026-10-14", "reason": "arrêt maladie",
        "csrf_token": csrf_of(form.text)})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/mentor"
    after = _trial_end(site, one.case_id)
    assert after != before
    landed = client.get("/mentor")
    assert (f"Absence du 12/10/2026 au 14/10/2026 enregistrée : la période d&#39;essai se termine désormais "
            f"le {after}.") in landed.text
    assert f'<dd class="trial-end">{after}</dd>' in landed.text
    event = show(site.app, one.case_id).history[-1]
    assert (event.trigger, event.actor) == ("record_absence", one.user("mentor").email)
    assert event.facts["trial_end"].endswith(f"→ {after[6:]}-{after[3:5]}-{after[:2]}")


def test_a_wrong_absence_is_shown_next_to_the_field_and_nothing_changes(site: Site) -> None:
    one = site.world.one
    client = site.as_("mentor")
    token = csrf_of(client.get(f"/cases/{one.case_id}/absences/new").text)
    before = snapshot(site.app)
    for first, last, field in (("2026-10-14", "2026-10-12", "last_day"), ("2026-08-01", "2026-08-02", "first_day"),
                               ("", "2026-10-12", "first_day"), ("31/02/2026", "2026-10-12", "first_day")):
        answer = client.post(f"/cases/{one.case_id}/absences",
                             data={"first_day": first, "last_day": last, "reason": "congé", "csrf_token": token})
        assert answer.status_code == 422, (first, last)
        assert f'id="e-{field}" role="alert">' in answer.text, (first, last)
        assert f'value="{last}"' in answer.text
        assert 'value="congé"' in answer.text
    assert snapshot(site.app) == before


def test_a_mentor_acknowledges_the_held_review_once(site: Site) -> None:
    one = site.world.one
    client = site.as_("mentor")
    page = client.get("/mentor")
    answer = client.post(f"/reviews/{one.held_review_id}/ack", data={"csrf_token": csrf_of(page.text)},
                         follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/mentor"
    landed = client.get("/mentor")
    assert "Compte rendu du 20/10/2026 visé." in landed.text
    assert f'action="/reviews/{one.held_review_id}/ack"' not in landed.text
    held = next(r for r in list_reviews(site.app, one.case_id) if r.id == one.held_review_id)
    assert set(held.acknowledged) == {"mentor"}
    again = client.post(f"/reviews/{one.held_review_id}/ack", data={"csrf_token": csrf_of(page.text)})
    assert 'class="error" role="alert">le compte rendu de l&#39;entretien' in again.text  # in French


def test_absences_are_for_the_mentor_and_staff_on_cases_they_see(site: Site) -> None:
    one, two = site.world.one, site.world.two
    mentor = site.as_("mentor")
    for path in (f"/cases/{two.case_id}/absences/new", f"/cases/{one.neighbour_id}/absences/new"):
        assert mentor.get(path).status_code == 404, path
    token = csrf_of(mentor.get("/mentor").text)
    assert mentor.post(f"/reviews/{two.held_review_id}/ack", data={"csrf_token": token}).status_code == 404
    tutor = site.as_("tutor")
    assert tutor.get(f"/cases/{one.case_id}/absences/new").status_code == 403
    assert tutor.get("/mentor").status_code == 403
    advisor = site.as_("advisor")
    assert advisor.get(f"/cases/{one.case_id}/absences/new").status_code == 200

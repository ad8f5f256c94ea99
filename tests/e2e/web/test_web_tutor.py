"""The academic tutor's pages: their apprentices, planning a review, logging it, errors next to the field."""

from __future__ import annotations

import re

from contract_flow.adapters.clock import FixedClock
from contract_flow.services.reminders import ledger
from contract_flow.services.reviews import list_reviews
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site, csrf_of
from tests.support.world import paris


def _invitations(site: Site, case_id: int) -> set[tuple[str, str]]:
    return {(row.key, row.recipient) for row in ledger(site.app, case_id)
            if row.kind == "review_invitation" and row.status == "planned"}


def test_a_tutor_sees_their_apprentice_with_the_next_review_and_not_another_cfas(site: Site) -> None:
    one, two = site.world.one, site.world.two
    page = site.as_("tutor").get("/tutor")
    assert page.status_code == 200
    assert "Léa Martin" in page.text
    assert f'href="/cases/{one.case_id}"' in page.text
    assert f'href="/cases/{one.case_id}/reviews/new"' in page.text
    assert f'href="/reviews/{one.planned_review_id}/log"' not in page.text  # logged once it took place
    assert "20/04/2027 14:00 · Salle B12" in page.text  # the next review, Paris time
    for hidden in ("Hugo", "Durand", "Nina", f"/cases/{two.case_id}"):
        assert hidden not in page.text
    assert site.as_("tutor", 2).get("/tutor").text.count("Hugo Durand") == 1


def test_a_tutor_plans_a_review_and_the_invitations_are_planned(site: Site) -> None:
    one = site.world.one
    client = site.as_("tutor")
    before = _invitations(site, one.case_id)
    form = client.get(f"/cases/{one.case_id}/reviews/new")
    assert form.status_code == 200
    for label in ('for="f-planned_at"', 'type="datetime-local"', 'for="f-place"', "marie.maitre@industrie.example",
                  "lea.martin@example.org"):
        assert label in form.text
    answer = client.post(f"/cases/{one.case_id}/reviews", follow_redirects=False, data={
        "planned_at": "2027-10-20T14:00", "place": "https://visio.example/b12", "csrf_token": csrf_of(form.text)})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/tutor"
    landed = client.get("/tutor")
    assert "seront invités 14 jours avant" in landed.text
    assert "20/10/2027 14:00" in landed.text
    assert "seront invités" not in client.get("/tutor").text  # shown once

    [planned] = [r for r in list_reviews(site.app, one.case_id) if r.id not in (one.held_review_id,
                                                                                 one.planned_review_id)]
    assert planned.planned_at == paris(2027, 10, 20, 14)
    assert planned.place == "https://visio.example/b12"
    new = _invitations(site, one.case_id) - before
    assert {recipient for _, recipient in new} >= {one.user("apprentice").email, one.user("mentor").email}


def test_a_past_date_is_shown_next_to_the_field_with_every_value_kept_and_nothing_changed(site: Site) -> None:
    one = site.world.one
    client = site.as_("tutor")
    token = csrf_of(client.get(f"/cases/{one.case_id}/reviews/new").text)
    before = snapshot(site.app)
    for typed in ("2026-10-01T10:00", "2031-01-01T10:00", "demain"):
        answer = client.post(f"/cases/{one.case_id}/reviews",
                             data={"planned_at": typed, "place": "Salle <B14>", "csrf_token": token})
        assert answer.status_code == 422, typed
        assert re.search(r'id="e-planned_at" role="alert">[^<]+', answer.text), typed
        assert f'value="{typed}"' in answer.text
        assert 'value="Salle &lt;B14&gt;"' in answer.text
        assert 'aria-invalid="true"' in answer.text
    assert snapshot(site.app) == before


def test_a_tutor_logs_the_planned_review_with_skills(site: Site, clock: FixedClock) -> None:
    one = site.world.two  # its programme lists no skills: the free rows
    client = site.as_("tutor", 2)
    clock.set(paris(2027, 4, 20, 17))
    assert f'href="/reviews/{one.planned_review_id}/log"' in client.get("/tutor").text
    form = client.get(f"/reviews/{one.planned_review_id}/log")
    assert form.status_code == 200
    assert 'id="f-skill_name_4"' in form.text
    assert 'id="f-skill_name_5"' not in form.text
    assert 'for="f-skill_level_0"' in form.text
    assert 'for="f-attended_mentor"' in form.text
    answer = client.post(f"/reviews/{one.planned_review_id}/log", follow_redirects=False, data={
        "csrf_token": csrf_of(form.text), "version": "1", "rows": "5",
        "attended_apprentice": "on", "attended_tutor": "on",
        "skill_name_0": "soudage", "skill_level_0": "mastered",
        "skill_name_1": "lecture de plans", "skill_level_1": "in_progress",
        "skill_name_2": "", "skill_level_2": "",
        "tutor_observations": "Progrès nets.", "next_steps": "Autonomie sur la cellule."})
    assert answer.status_code == 303, answer.text
    assert "Compte rendu enregistré (2 compétence(s))." in client.get("/tutor").text
    held = next(r for r in list_reviews(site.app, one.case_id) if r.id == one.planned_review_id)
    assert held.state == "held"
    assert held.skills == {"soudage": "mastered", "lecture de plans": "in_progress"}
    assert held.attended == {"apprentice": True, "mentor": False, "tutor": True}
    assert (held.tutor_observations, held.next_steps) == ("Progrès nets.", "Autonomie sur la cellule.")


def test_a_skill_without_a_level_is_refused_next_to_its_field_and_nothing_is_lost(
        site: Site, clock: FixedClock) -> None:
    one = site.world.two  # its programme lists no skills: the free rows
    client = site.as_("tutor", 2)
    clock.set(paris(2027, 4, 20, 17))
    token = csrf_of(client.get(f"/reviews/{one.planned_review_id}/log").text)
    before = snapshot(site.app)
    answer = client.post(f"/reviews/{one.planned_review_id}/log", data={
        "csrf_token": token, "version": "1", "rows": "5", "attended_apprentice": "on",
        "skill_name_0": "soudage", "skill_level_0": "",
        "skill_name_1": "câblage", "skill_level_1": "excellent",
        "tutor_observations": "À revoir."})
    assert answer.status_code == 422
    assert 'id="e-skill_level_0" role="alert">soudage : choisissez un niveau.' in answer.text
    assert 'id="e-skill_level_1" role="alert">câblage : ce niveau' in answer.text
    assert 'value="soudage"' in answer.text
    assert 'value="câblage"' in answer.text
    assert '<option value="excellent" selected>' in answer.text
    assert "À revoir.</textarea>" in answer.text
    assert 'name="attended_apprentice" checked>' in answer.text
    assert 'name="attended_mentor">' in answer.text
    assert snapshot(site.app) == before


def test_add_a_row_gives_one_more_row_keeping_what_was_typed(site: Site) -> None:
    one = site.world.two  # its programme lists no skills: the free rows
    client = site.as_("tutor", 2)
    token = csrf_of(client.get(f"/reviews/{one.planned_review_id}/log").text)
    answer = client.post(f"/reviews/{one.planned_review_id}/log", data={
        "csrf_token": token, "version": "1", "rows": "5", "add_row": "1", "skill_name_4": "soudage",
        "skill_level_4": "acquired", "next_steps": "Suite"})
    assert answer.status_code == 200
    assert 'id="f-skill_name_5"' in answer.text
    assert 'value="soudage"' in answer.text
    assert '<option value="acquired" selected>' in answer.text
    assert "Suite</textarea>" in answer.text


def test_a_review_not_yet_held_or_changed_meanwhile_is_refused_with_its_reason(
        site: Site, clock: FixedClock) -> None:
    one = site.world.one
    client = site.as_("tutor")
    token = csrf_of(client.get(f"/reviews/{one.planned_review_id}/log").text)
    data = {"csrf_token": token, "version": "1", "rows": "5", "attended_apprentice": "on",
            "skill_name_0": "Prototypage", "skill_level_0": "acquired"}
    before = snapshot(site.app)
    assert "une fois qu&#39;il aura eu lieu" in client.get(f"/reviews/{one.planned_review_id}/log").text
    early = client.post(f"/reviews/{one.planned_review_id}/log", data=data)
    assert early.status_code == 422
    assert "log it once it took place" in early.text
    clock.set(paris(2027, 4, 20, 17))
    stale = client.post(f"/reviews/{one.planned_review_id}/log", data={**data, "version": "7"})
    assert stale.status_code == 409
    assert "rechargez-le et réessayez" in stale.text  # the conflict in French
    assert snapshot(site.app) == before


def test_only_organisers_plan_and_log_reviews_and_only_on_cases_they_see(site: Site) -> None:
    one, two = site.world.one, site.world.two
    mentor = site.as_("mentor")
    assert mentor.get(f"/cases/{one.case_id}/reviews/new").status_code == 403
    assert mentor.get(f"/reviews/{one.planned_review_id}/log").status_code == 403
    token = csrf_of(mentor.get("/mentor").text)
    refused = mentor.post(f"/cases/{one.case_id}/reviews",
                          data={"planned_at": "2027-10-20T14:00", "csrf_token": token})
    assert refused.status_code == 403
    assert mentor.get("/tutor").status_code == 403
    tutor = site.as_("tutor")
    for path in (f"/cases/{two.case_id}/reviews/new", f"/reviews/{two.planned_review_id}/log",
                 f"/cases/{one.neighbour_id}/reviews/new"):
        assert tutor.get(path).status_code == 404, path

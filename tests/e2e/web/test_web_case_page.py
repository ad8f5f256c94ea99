"""The case page: what each role sees, moves with their guards and confirmations, the facts form, the timeline."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from contract_flow.services.cases import advance, set_facts, show
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site, csrf_of
from tests.support.cases import PATH

PROJECT = PATH[0][1]
APPLICATION = PATH[1][1]


def version_of(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found is not None, "the page has no version field"
    return found.group(1)


def at_apply(site: Site) -> int:
    """CFA one's neighbour (opened at reflect) moved to apply, with an application recorded."""
    case_id = site.world.one.neighbour_id
    advisor = site.world.one.user("advisor").email
    set_facts(site.app, case_id, PROJECT, actor_email=advisor)
    advance(site.app, case_id, "start_applying", actor_email=advisor)
    set_facts(site.app, case_id, APPLICATION, actor_email=advisor)
    return case_id


def post(client: TestClient, case_id: int, action: str, data: dict[str, str]) -> object:
    page = client.get(f"/cases/{case_id}")
    return client.post(f"/cases/{case_id}/{action}", follow_redirects=False,
                       data={"csrf_token": csrf_of(page.text), "version": version_of(page.text), **data})


def test_staff_see_the_moves_allowed_now_and_why_the_others_are_blocked(site: Site) -> None:
    case_id = site.world.one.neighbour_id
    page = site.as_("advisor").get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "Dossier de Nina Voisin" in page.text
    assert re.search(r'<li class="current" aria-current="step">\s*1\. Réfléchir', page.text)
    assert '>Abandonner</button>' in page.text  # withdraw is allowed from any search step
    assert "il faut un projet professionnel" in page.text  # start_applying is blocked, the guard's words in French
    # ... under the rule, worded in the page's language
    assert "Le projet professionnel doit être précisé (métier visé, zone de mobilité)." in page.text
    assert "project.target_job" in page.text  # and the project's form is there to record it
    assert f'action="/cases/{case_id}/record/project"' in page.text
    assert "Relances" in page.text  # the reminder ledger


def test_an_apprentice_gets_404_for_another_case_and_sees_no_actions_on_their_own(site: Site) -> None:
    client = site.as_("apprentice")
    assert client.get(f"/cases/{site.world.one.neighbour_id}").status_code == 404
    assert client.get(f"/cases/{site.world.two.case_id}").status_code == 404
    own = client.get(f"/cases/{site.world.one.case_id}")
    assert own.status_code == 200
    assert "Période d&#39;essai" in own.text
    assert "Historique" in own.text
    assert "/move" not in own.text
    assert "/record/" not in own.text
    assert "Relances" not in own.text


def test_a_mentor_sees_the_case_but_no_buttons_nor_ledger(site: Site) -> None:
    client = site.as_("mentor")
    page = client.get(f"/cases/{site.world.one.case_id}")
    assert page.status_code == 200
    assert 'aria-current="step"' in page.text
    assert "/move" not in page.text
    assert "/record/" not in page.text
    assert "Relances" not in page.text
    # A move posted by hand is refused by role, and nothing changes.
    before = snapshot(site.app)
    answer = client.post(f"/cases/{site.world.one.case_id}/move",
                         data={"csrf_token": csrf_of(page.text), "trigger": "pass_trial"})
    assert answer.status_code == 403
    assert snapshot(site.app) == before


def test_an_advisor_moves_a_case_from_apply_to_convince_and_sees_it_in_the_timeline(site: Site) -> None:
    case_id = at_apply(site)
    client = site.as_("advisor")
    page = client.get(f"/cases/{case_id}")
    assert '>Présélectionner</button>' in page.text
    answer = post(client, case_id, "move", {"trigger": "shortlist", "reason": "entretien le 3"})
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert answer.headers["location"] == f"/cases/{case_id}"  # type: ignore[attr-defined]
    after = client.get(f"/cases/{case_id}")
    assert "Dossier passé à « Convaincre »." in after.text  # the flash, once
    assert "Dossier passé à" not in client.get(f"/cases/{case_id}").text
    timeline = after.text.split("Historique", 1)[1]
    assert "Présélectionner" in timeline
    assert "Candidater → Convaincre" in timeline
    assert "Motif : entretien le 3" in timeline
    assert site.world.one.user("advisor").email in timeline
    assert show(site.app, case_id).case.state == "convince"


def test_a_guard_refusal_is_shown_with_its_reason_and_changes_nothing(site: Site) -> None:
    case_id = site.world.one.neighbour_id
    client = site.as_("advisor")
    before = snapshot(site.app)
    answer = post(client, case_id, "move", {"trigger": "start_applying"})
    assert answer.status_code == 422  # type: ignore[attr-defined]
    text = answer.text  # type: ignore[attr-defined]
    assert "« Passer aux candidatures » refusé" in text
    assert "il faut un projet professionnel" in text  # the guard's reason in the page's language
    assert "métier visé (fait project.target_job)" in text
    assert snapshot(site.app) == before


def test_a_stale_version_gets_409_and_asks_to_reload(site: Site) -> None:
    case_id = at_apply(site)
    client = site.as_("advisor")
    page = client.get(f"/cases/{case_id}")
    set_facts(site.app, case_id, {"tutor": "tuteur@cfa.example"}, actor_email=site.world.one.user("advisor").email)
    answer = client.post(f"/cases/{case_id}/move", data={"csrf_token": csrf_of(page.text), "trigger": "shortlist",
                                                           "version": version_of(page.text)})
    assert answer.status_code == 409
    assert "rechargez la page" in answer.text
    assert show(site.app, case_id).case.state == "apply"


def test_withdrawing_asks_for_a_confirmation_and_a_reason_first(site: Site) -> None:
    case_id = site.world.one.neighbour_id
    client = site.as_("advisor")
    before = snapshot(site.app)
    first = post(client, case_id, "move", {"trigger": "withdraw"})
    assert first.status_code == 200  # type: ignore[attr-defined]
    confirm = first.text  # type: ignore[attr-defined]
    assert "Confirmer : Abandonner" in confirm
    assert "Annuler" in confirm
    assert 'name="confirm" value="yes"' in confirm
    assert snapshot(site.app) == before  # nothing moved yet
    token, version = csrf_of(confirm), version_of(confirm)
    no_reason = client.post(f"/cases/{case_id}/move", data={
        "csrf_token": token, "version": version, "trigger": "withdraw", "confirm": "yes", "reason": " "})
    assert no_reason.status_code == 422
    assert 'id="e-reason"' in no_reason.text
    assert "Motif : obligatoire" in no_reason.text
    assert snapshot(site.app) == before
    done = client.post(f"/cases/{case_id}/move", follow_redirects=False, data={
        "csrf_token": token, "version": version, "trigger": "withdraw", "confirm": "yes",
        "reason": "a trouvé un CDI"})
    assert done.status_code == 303
    assert show(site.app, case_id).case.state == "withdrawn"
    assert "Motif : a trouvé un CDI" in client.get(f"/cases/{case_id}").text


def test_the_project_form_names_the_field_at_fault_keeps_the_text_and_records_nothing(site: Site) -> None:
    """The form that replaced the `key=value` text area: a refused value next to its field, what was typed kept."""
    case_id = site.world.one.neighbour_id
    client = site.as_("advisor")
    before = snapshot(site.app)
    long_job = "x" * 201
    answer = post(client, case_id, "record/project", {"project.target_job": long_job,
                                                      "project.mobility_area": "Occitanie"})
    assert answer.status_code == 422  # type: ignore[attr-defined]
    text = answer.text  # type: ignore[attr-defined]
    assert 'id="project-project-target_job-error"' in text
    assert "dépasse 200 caractères" in text.split('id="project-project-target_job-error"', 1)[1][:300]
    assert f'value="{long_job}"' in text
    assert 'value="Occitanie"' in text
    assert snapshot(site.app) == before
    done = post(client, case_id, "record/project", PROJECT)
    assert done.status_code == 303  # type: ignore[attr-defined]
    page = client.get(f"/cases/{case_id}")
    assert "2 information(s) enregistrée(s)." in page.text
    assert "Faits enregistrés" in page.text
    assert show(site.app, case_id).case.project.target_job == PROJECT["project.target_job"]
    assert '>Passer aux candidatures</button>' in page.text  # no longer blocked


def test_the_case_page_speaks_english(site: Site) -> None:
    client = site.as_("advisor")
    page = client.get(f"/cases/{site.world.one.neighbour_id}")
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf_of(page.text)})
    english = client.get(f"/cases/{site.world.one.neighbour_id}")
    assert "Case of Nina Voisin" in english.text
    assert ">Withdraw</button>" in english.text
    assert "[case." not in english.text
    assert "[state." not in english.text


def test_the_window_title_names_the_candidate_like_the_heading(site: Site) -> None:
    """The <title> (a browser tab, a screen reader's first words) said «Dossier de {name}»: its placeholder was
    never filled, while the <h1> was."""
    page = site.as_("advisor").get(f"/cases/{site.world.one.case_id}").text
    title = re.search(r"<title>([^<]*)</title>", page)
    heading = re.search(r"<h1>([^<]*)</h1>", page)
    assert title is not None
    assert heading is not None
    assert "{" not in title.group(1)
    assert title.group(1) == f"{heading.group(1)} · contract-flow"

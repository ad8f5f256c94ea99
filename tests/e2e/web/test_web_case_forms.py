"""The forms for everything an advisor records (issue 15, item 1), through the pages on SQLite and PostgreSQL: a
new case, the candidate, the project, the applications (add, edit, withdraw, the one shortlisted), the offer with an
amount as French people write it, the contract's follow-up, a move with its own fields; each refusal next to its
field with what was typed, nothing saved; a stale version explained with what changed."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from contract_flow.services.cases import advance, set_facts, show
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site, csrf_of
from tests.support.cases import PATH, VALID_SIRET

PROJECT = PATH[0][1]


def _version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found is not None
    return found.group(1)


def _post(client: TestClient, case_id: int, action: str, data: dict[str, str], page: str | None = None) -> Any:
    html = page if page is not None else client.get(f"/cases/{case_id}").text
    return client.post(f"/cases/{case_id}/{action}", follow_redirects=False,
                       data={"csrf_token": csrf_of(html), "version": _version(html), **data})


def _at_apply(site: Site) -> int:
    case_id = site.world.one.neighbour_id
    advisor = site.world.one.user("advisor").email
    set_facts(site.app, case_id, PROJECT, actor_email=advisor)
    advance(site.app, case_id, "start_applying", actor_email=advisor)
    return case_id


def _error_after(text: str, error_id: str) -> str:
    assert f'id="{error_id}"' in text, f"no {error_id} on the page"
    return text.split(f'id="{error_id}"', 1)[1][:400]


def test_an_advisor_opens_a_case_from_the_new_case_page_linked_from_the_board(site: Site) -> None:
    client = site.as_("advisor")
    assert 'href="/cases/new"' in client.get("/board").text
    form = client.get("/cases/new")
    assert form.status_code == 200
    assert "<h1>Nouveau dossier</h1>" in form.text
    one, two = site.world.one, site.world.two
    assert f'<option value="{one.programme}"' in form.text
    assert f'<option value="{two.programme}"' not in form.text  # another CFA's programme is not offered
    advisor = one.user("advisor").email
    assert f'<option value="{advisor}" selected>' in form.text  # the advisor opening it follows it by default
    assert 'type="date"' in form.text
    typed = {"first_name": "Inès", "last_name": "Durand", "birth_date": "2005-04-01", "email": "pas-un-email",
             "programme": one.programme, "track": "excellence", "advisor": advisor}
    before = snapshot(site.app)
    refused = client.post("/cases/new", data={**typed, "csrf_token": csrf_of(form.text)})
    assert refused.status_code == 422
    assert "n&#39;est pas une adresse électronique" in _error_after(refused.text, "e-email")
    assert 'aria-invalid="true"' in refused.text
    assert 'value="Inès"' in refused.text
    assert 'value="pas-un-email"' in refused.text
    assert '<option value="excellence" selected>' in refused.text
    other = client.post("/cases/new", data={**typed, "email": "ines.durand@example.org",
                                            "programme": two.programme, "csrf_token": csrf_of(form.text)})
    assert other.status_code == 422
    assert "choisissez une formation de votre CFA" in _error_after(other.text, "e-programme")
    assert snapshot(site.app) == before
    opened = client.post("/cases/new", follow_redirects=False,
                         data={**typed, "email": "ines.durand@example.org", "csrf_token": csrf_of(form.text)})
    assert opened.status_code == 303
    case_id = int(opened.headers["location"].rsplit("/", 1)[1])
    case = show(site.app, case_id).case
    assert (case.candidate.full_name, case.state.value, case.track.value, case.advisor_email) == (
        "Inès Durand", "reflect", "excellence", advisor)
    assert "Inès Durand ouvert." in client.get(f"/cases/{case_id}").text  # the flash


def test_the_new_case_page_is_for_cfa_staff_only(site: Site) -> None:
    for role in ("tutor", "mentor", "apprentice"):
        assert site.as_(role).get("/cases/new").status_code == 403


def test_the_candidate_form_records_only_what_changed_with_selects_for_people(site: Site) -> None:
    case_id = site.world.one.neighbour_id
    client = site.as_("advisor")
    page = client.get(f"/cases/{case_id}").text
    tutor = site.world.one.user("tutor").email
    assert f'<option value="{tutor}">' in page  # the CFA's tutors to choose from
    fields = dict(re.findall(
        r'name="((?:candidate|previous_contract)\.[a-z_]+|advisor|tutor|derogation|programme_year|'
        r'completed_lower_secondary|legal_representative|previous_contract_end)" value="([^"]*)"', page))
    answer = _post(client, case_id, "record/candidate", {**fields, "tutor": tutor, "derogation": "rqth"}, page)
    assert answer.status_code == 303
    case = show(site.app, case_id)
    assert (case.case.tutor_email, case.case.derogation) == (tutor, "rqth")
    assert case.history[-1].facts == {"tutor": tutor, "derogation": "rqth"}  # nothing else recorded
    unchanged = _post(client, case_id, "record/candidate", {"tutor": tutor, "derogation": "rqth"})
    assert unchanged.status_code == 422
    assert "Rien n&#39;a changé" in unchanged.text


def test_applications_are_added_edited_withdrawn_and_the_one_shortlisted_is_chosen(site: Site) -> None:
    case_id = _at_apply(site)
    client = site.as_("advisor")
    before = snapshot(site.app)
    refused = _post(client, case_id, "applications", {"company": "Alpha SA", "siret": "123",
                                                      "applied_on": "2026-10-01"})
    assert refused.status_code == 422
    assert "123" in _error_after(refused.text, "new-application-siret-error")
    assert 'value="Alpha SA"' in refused.text
    assert snapshot(site.app) == before
    for company, day in (("Alpha SA", "2026-10-01"), ("Beta SARL", "2026-10-05")):
        added = _post(client, case_id, "applications", {"company": company, "applied_on": day})
        assert added.status_code == 303
    alpha, beta = (a.id for a in show(site.app, case_id).case.applications)
    page = client.get(f"/cases/{case_id}").text
    assert "Candidatures (2)" in page
    assert "envoyée" in page
    edited = _post(client, case_id, f"applications/{alpha}", {
        "company": "Alpha Industrie SA", "siret": VALID_SIRET, "applied_on": "2026-10-01", "action": "edit"})
    assert edited.status_code == 303
    assert show(site.app, case_id).case.applications[0].company == "Alpha Industrie SA"
    future = _post(client, case_id, f"applications/{alpha}", {
        "company": "Alpha Industrie SA", "siret": VALID_SIRET, "applied_on": "2027-01-01", "action": "edit"})
    assert future.status_code == 422
    assert "est dans le futur" in _error_after(future.text, f"application-{alpha}-applied_on-error")
    assert 'value="2027-01-01"' in future.text
    # The interview is at Alpha, not at the latest application: the shortlist says so.
    page = client.get(f"/cases/{case_id}").text
    assert f'<option value="{beta}" selected>' in page  # the latest by default
    moved = _post(client, case_id, "move", {"trigger": "shortlist", "application": str(alpha)}, page)
    assert moved.status_code == 303
    statuses = {a.company: a.status.value for a in show(site.app, case_id).case.applications}
    assert statuses == {"Alpha Industrie SA": "shortlisted", "Beta SARL": "sent"}
    withdrawn = _post(client, case_id, f"applications/{beta}", {"action": "withdraw", "reason": "plus intéressée"})
    assert withdrawn.status_code == 303
    assert show(site.app, case_id).case.applications[1].status.value == "withdrawn"
    assert "retirée" in client.get(f"/cases/{case_id}").text


def test_the_offer_reads_an_amount_written_the_french_way_and_refuses_a_bad_one_next_to_it(site: Site) -> None:
    case_id = _at_apply(site)
    advisor = site.world.one.user("advisor").email
    set_facts(site.app, case_id, {"application.company": "Industrie SA"}, actor_email=advisor)
    advance(site.app, case_id, "shortlist", actor_email=advisor)
    client = site.as_("advisor")
    before = snapshot(site.app)
    typed = {"offer.company": "Industrie SA", "offer.siret": VALID_SIRET, "offer.gross_monthly_pay": "mille euros",
             "offer.start_date": "2026-11-02", "offer.weekly_hours": "35"}
    refused = _post(client, case_id, "record/offer", typed)
    assert refused.status_code == 422
    assert "n&#39;est pas un montant en euros" in _error_after(refused.text, "offer-offer-gross_monthly_pay-error")
    assert 'value="mille euros"' in refused.text
    assert 'value="2026-11-02"' in refused.text
    assert '<details class="record" id="form-offer" open>' in refused.text
    assert snapshot(site.app) == before
    saved = _post(client, case_id, "record/offer", {**typed, "offer.gross_monthly_pay": "1 400,50"})
    assert saved.status_code == 303
    offer = show(site.app, case_id).case.current_offer
    assert offer is not None
    assert offer.gross_monthly_pay == Decimal("1400.50")
    assert 'value="1\u202f400,50"' in client.get(f"/cases/{case_id}").text  # shown back as it is written
    english = _post(client, case_id, "record/offer", {**typed, "offer.gross_monthly_pay": "1400.50",
                                                       "offer.weekly_hours": "35,5"})
    assert english.status_code == 303
    offer = show(site.app, case_id).case.current_offer
    assert offer is not None
    assert (offer.gross_monthly_pay, offer.weekly_hours) == (Decimal("1400.50"), Decimal("35.50"))


def test_a_stale_form_is_refused_with_what_changed_and_what_was_typed(site: Site) -> None:
    case_id = site.world.one.neighbour_id
    client = site.as_("advisor")
    page = client.get(f"/cases/{case_id}").text
    lead = site.world.one.user("programme_lead").email
    set_facts(site.app, case_id, {"project.mobility_area": "Gard"}, actor_email=lead)  # someone else, meanwhile
    before = snapshot(site.app)
    answer = _post(client, case_id, "record/project", {"project.target_job": "technicienne",
                                                       "project.mobility_area": "Occitanie"}, page)
    assert answer.status_code == 409
    assert "Quelqu&#39;un d&#39;autre a modifié ce dossier" in answer.text
    changed = answer.text.split("Modifié depuis votre lecture", 1)[1][:800]
    assert lead in changed
    assert "project.mobility_area" in changed
    assert "Gard" in changed
    assert 'value="technicienne"' in answer.text
    assert 'value="Occitanie"' in answer.text
    assert snapshot(site.app) == before
    again = _post(client, case_id, "record/project", {"project.target_job": "technicienne",
                                                      "project.mobility_area": "Occitanie"}, answer.text)
    assert again.status_code == 303  # the form shown again carries the current version


def test_a_break_during_the_trial_is_given_with_who_ended_it_and_closes_the_applications(site: Site) -> None:
    case_id = site.world.one.case_id
    client = site.as_("advisor")
    page = client.get(f"/cases/{case_id}").text
    assert 'name="contract.ended_by"' in page  # break_trial's own field, in its form
    first = _post(client, case_id, "move", {"trigger": "break_trial", "contract.ended_by": "employer"}, page)
    assert first.status_code == 200  # the confirmation, carrying the field
    assert 'name="contract.ended_by" value="employer"' in first.text
    assert "l&#39;employeur" in first.text
    done = client.post(f"/cases/{case_id}/move", follow_redirects=False, data={
        "csrf_token": csrf_of(first.text), "version": _version(first.text), "trigger": "break_trial",
        "confirm": "yes", "contract.ended_by": "employer", "reason": "fin d'essai"})
    assert done.status_code == 303
    view = show(site.app, case_id).case
    assert (view.state.value, view.contract.ended_by) == ("ended_in_trial", "employer")
    assert {a.status.value for a in view.applications} == {"closed"}


def test_the_follow_up_form_records_the_medical_visit_with_a_date_input(site: Site) -> None:
    case_id = site.world.one.case_id
    client = site.as_("advisor")
    page = client.get(f"/cases/{case_id}").text
    assert 'id="followup-contract-medical_visit_on"' in page
    refused = _post(client, case_id, "record/followup", {"contract.medical_visit_on": "15/10/2026"}, page)
    assert refused.status_code == 422
    assert "n&#39;est pas une date" in _error_after(refused.text, "followup-contract-medical_visit_on-error")
    saved = _post(client, case_id, "record/followup", {"contract.medical_visit_on": "2026-10-15"})
    assert saved.status_code == 303
    assert show(site.app, case_id).case.contract.medical_visit_on.isoformat() == "2026-10-15"  # type: ignore[union-attr]


def test_no_key_value_text_area_is_left_on_the_case_page(site: Site) -> None:
    page = site.as_("advisor").get(f"/cases/{site.world.one.case_id}").text
    assert "<textarea" not in page.split('id="forms"', 1)[1].split("</section>", 1)[0]
    assert "clé=valeur" not in page
    assert f'href="/cases/{site.world.one.case_id}/dossier"' in page


def test_every_form_refuses_a_stale_version_keeping_what_was_typed_and_saving_nothing(site: Site) -> None:
    """Each form of the case page read, then the case changed by someone else: 409, the form again as typed."""
    case_id = site.world.one.case_id  # in its trial: the candidate, applications and follow-up forms are there
    client = site.as_("advisor")
    application = show(site.app, case_id).case.applications[0].id
    forms = (("record/candidate", {"candidate.first_name": "Léonie"}, 'value="Léonie"'),
             ("record/followup", {"contract.medical_visit_on": "2026-10-15"}, 'value="2026-10-15"'),
             ("applications", {"company": "Gamma SAS", "applied_on": "2026-10-01"}, 'value="Gamma SAS"'),
             (f"applications/{application}", {"company": "Industrie SA bis", "siret": VALID_SIRET,
                                               "applied_on": "2026-02-01", "action": "edit"},
              'value="Industrie SA bis"'))
    for action, typed, kept in forms:
        page = client.get(f"/cases/{case_id}").text
        set_facts(site.app, case_id, {"tutor": site.world.one.user("tutor").email, "derogation": "athlete"
                                      if "athlete" not in page else "rqth"},
                  actor_email=site.world.one.user("programme_lead").email)
        before = snapshot(site.app)
        answer = _post(client, case_id, action, typed, page)
        assert answer.status_code == 409, (action, answer.text[:300])
        assert "Quelqu&#39;un d&#39;autre a modifié ce dossier" in answer.text
        assert kept in answer.text
        assert snapshot(site.app) == before


def test_the_candidate_form_refuses_an_email_next_to_it(site: Site) -> None:
    case_id = site.world.one.neighbour_id
    client = site.as_("advisor")
    before = snapshot(site.app)
    answer = _post(client, case_id, "record/candidate", {"candidate.email": "nina@", "programme_year": "1"})
    assert answer.status_code == 422
    assert "n&#39;est pas une adresse électronique" in _error_after(answer.text, "candidate-candidate-email-error")
    assert 'value="nina@"' in answer.text
    assert '<details class="record" id="form-candidate" open>' in answer.text
    assert snapshot(site.app) == before


def test_the_forms_speak_english(site: Site) -> None:
    client = site.as_("advisor")
    page = client.get("/cases/new")
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf_of(page.text)})
    new = client.get("/cases/new").text
    assert "<h1>New case</h1>" in new
    assert "Open the case" in new
    case = client.get(f"/cases/{site.world.one.case_id}").text
    for words in ("Candidate and follow-up", "Professional project", "Applications (1)", "Contract follow-up",
                  "Medical visit done on", "At the request of", "the employer"):
        assert words in case, words
    assert "[caseforms." not in case
    assert "[caseforms." not in new


def test_the_forms_are_cfa_staffs_of_the_case_only(site: Site) -> None:
    """Another CFA's advisor gets «not found» (the case is not theirs to see), the case's tutor «forbidden»."""
    case_id = site.world.one.case_id
    application = show(site.app, case_id).case.applications[0].id
    before = snapshot(site.app)
    for role, cfa, status in (("advisor", 2, 404), ("tutor", 1, 403), ("mentor", 1, 403)):
        client = site.as_(role, cfa)
        token = csrf_of(client.get("/").text if role == "advisor" else client.get(f"/cases/{case_id}").text)
        for action, data in (("record/project", {"project.target_job": "x"}),
                             ("applications", {"company": "X"}),
                             (f"applications/{application}", {"action": "withdraw"}),
                             ("record/followup", {"contract.medical_visit_on": "2026-10-15"})):
            answer = client.post(f"/cases/{case_id}/{action}", data={**data, "csrf_token": token},
                                 follow_redirects=False)
            assert answer.status_code == status, (role, action, answer.status_code)
    assert snapshot(site.app) == before

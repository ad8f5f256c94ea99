"""The programme lead's page: the job projects waiting for validation, validated or sent back with a reason."""

from __future__ import annotations

from contract_flow.services.cases import show
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site, csrf_of
from tests.support.cases import open_candidate, walk


def two_in_decide(site: Site) -> tuple[int, int]:
    one = site.world.one
    advisor, lead = one.user("advisor").email, one.user("programme_lead").email
    first = one.neighbour_id
    second = open_candidate(site.app, first_name="Omar", last_name="Benali", email="omar.benali@example.org")
    for case_id in (first, second):
        walk(site.app, case_id, "decide", advisor=advisor, lead=lead)
    return first, second


def test_the_lead_sees_the_projects_waiting_validates_one_and_sends_one_back(site: Site) -> None:
    first, second = two_in_decide(site)
    client = site.as_("programme_lead")
    page = client.get("/lead")
    assert page.status_code == 200
    assert "2 projet(s) professionnel(s)" in page.text
    assert "Nina Voisin" in page.text
    assert "Omar Benali" in page.text
    assert "technicien mécatronique" in page.text
    assert "Industrie SA" in page.text
    assert "1\u202f400,00\u00a0€" in page.text
    assert "01/09/2026" in page.text
    assert f'<label for="reason-{first}">' in page.text
    token = csrf_of(page.text)
    validated = client.post(f"/cases/{first}/move", follow_redirects=False, data={
        "csrf_token": token, "trigger": "validate", "return_to": "/lead"})
    assert validated.status_code == 303
    assert validated.headers["location"] == "/lead"
    after = client.get("/lead")
    assert "Dossier passé à « Signer »." in after.text
    assert "Nina Voisin" not in after.text
    assert "1 projet(s)" in after.text
    assert show(site.app, first).case.state == "sign"

    before = snapshot(site.app)
    empty = client.post(f"/cases/{second}/move", data={
        "csrf_token": token, "trigger": "refuse", "return_to": "/lead", "reason": "  "})
    assert empty.status_code == 422
    assert f'id="e-reason-{second}"' in empty.text
    assert "Motif : obligatoire" in empty.text
    assert 'aria-invalid="true"' in empty.text
    assert snapshot(site.app) == before

    sent_back = client.post(f"/cases/{second}/move", follow_redirects=False, data={
        "csrf_token": token, "trigger": "refuse", "return_to": "/lead", "reason": "salaire sous le minimum"})
    assert sent_back.status_code == 303
    view = show(site.app, second)
    assert view.case.state == "position"
    assert view.history[-1].reason == "salaire sous le minimum"
    assert "Aucun projet n&#39;attend de validation." in client.get("/lead").text


def test_the_lead_page_is_the_programme_leads_and_the_move_is_theirs_too(site: Site) -> None:
    first, _ = two_in_decide(site)
    assert site.as_("advisor").get("/lead").status_code == 403
    assert site.as_("tutor").get("/lead").status_code == 403
    advisor = site.as_("advisor")
    page = advisor.get(f"/cases/{first}")
    assert "Valider le projet" in page.text
    assert "revient au responsable de formation" in page.text  # the role guard, in French
    before = snapshot(site.app)
    refused = advisor.post(f"/cases/{first}/move", data={"csrf_token": csrf_of(page.text), "trigger": "validate"})
    assert refused.status_code == 422
    assert "revient au responsable de formation" in refused.text
    assert snapshot(site.app) == before
    # CFA two's lead does not see CFA one's projects, and cannot move them.
    other = site.as_("programme_lead", 2)
    assert "Nina Voisin" not in other.get("/lead").text
    token = csrf_of(other.get("/lead").text)
    assert other.post(f"/cases/{first}/move", data={"csrf_token": token, "trigger": "validate",
                                                   "return_to": "/lead"}).status_code == 404


def test_a_move_never_sends_the_browser_to_another_site(site: Site) -> None:
    first, _ = two_in_decide(site)
    client = site.as_("programme_lead")
    token = csrf_of(client.get("/lead").text)
    answer = client.post(f"/cases/{first}/move", follow_redirects=False, data={
        "csrf_token": token, "trigger": "validate", "return_to": "//evil.example/"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/cases/{first}"

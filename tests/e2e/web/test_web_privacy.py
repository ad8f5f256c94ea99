"""A person's data on the pages (issue 16, item 6), on SQLite and PostgreSQL: staff find what is held about an
email, download it as JSON, and erase it once they tick the confirmation (refused, 409, with the reason next to the
field while the contract is live, nothing changed; refused, 422, without the box ticked); the log below; the board
links to the page; the apprentice downloads their own data from their page; other roles are refused."""

from __future__ import annotations

import json

import pytest

from contract_flow.bootstrap import App
from contract_flow.services.cases import advance
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site
from tests.support.retention import traces
from tests.support.world import paris

pytestmark = pytest.mark.postgres


def test_staff_find_download_and_erase_after_the_confirmation(site: Site, app: App) -> None:
    one = site.world.one
    apprentice = one.users["apprentice"].email
    lead = site.as_("programme_lead")
    assert 'href="/privacy"' in lead.get("/board").text
    found = lead.get("/privacy", params={"email": apprentice})
    assert found.status_code == 200, found.text
    assert "Données détenues sur" in found.text
    assert f'href="/cases/{one.case_id}"' in found.text
    download = lead.get("/privacy/export", params={"email": apprentice})
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    assert json.loads(download.text)["cases"][0]["case_id"] == one.case_id

    before = snapshot(app)
    unticked = site.post_form(lead, f"/privacy?email={apprentice}", "/privacy/erase", {"email": apprentice})
    assert unticked.status_code == 422  # type: ignore[attr-defined]
    assert "cochez la case pour confirmer" in unticked.text  # type: ignore[attr-defined]
    live = site.post_form(lead, f"/privacy?email={apprentice}", "/privacy/erase",
                          {"email": apprentice, "confirm": "yes"})
    assert live.status_code == 409  # type: ignore[attr-defined]
    assert f"le contrat du cas {one.case_id} est en cours" in live.text  # type: ignore[attr-defined]
    assert snapshot(app) == before

    app.clock.set(paris(2026, 10, 21, 10))  # type: ignore[attr-defined]
    advance(app, one.case_id, "break_trial", actor_email=one.users["advisor"].email,
            facts={"contract.ended_by": "employer"})
    done = site.post_form(lead, f"/privacy?email={apprentice}", "/privacy/erase",
                          {"email": apprentice, "confirm": "yes"})
    assert done.status_code == 200, done.text  # type: ignore[attr-defined]  # followed to /privacy
    assert f"{apprentice} effacé : 1 dossier(s) anonymisé(s)" in done.text  # type: ignore[attr-defined]
    assert "demande de la personne" in done.text  # type: ignore[attr-defined]  # the log
    assert traces(app, (apprentice, "Léa Martin")) == []
    case_page = lead.get(f"/cases/{one.case_id}")
    assert case_page.status_code == 200
    assert "[anonymisé]" in case_page.text


def test_the_apprentice_downloads_their_own_data_and_others_are_refused(site: Site) -> None:
    one = site.world.one
    apprentice = site.as_("apprentice")
    assert 'href="/me/data"' in apprentice.get("/me").text
    mine = apprentice.get("/me/data")
    assert mine.status_code == 200
    assert json.loads(mine.text)["email"] == one.users["apprentice"].email
    assert apprentice.get("/privacy").status_code == 403
    assert site.as_("tutor").get("/privacy").status_code == 403
    assert site.as_("mentor").get("/me/data").status_code == 403
    other = site.as_("advisor", 2).get("/privacy", params={"email": one.users["apprentice"].email})
    assert "Aucune donnée n&#39;est détenue" in other.text
    assert other.status_code == 200
    assert site.as_("advisor", 2).get("/privacy/export",
                                      params={"email": one.users["apprentice"].email}).status_code == 404
    bad = site.as_("advisor").get("/privacy", params={"email": "pas-une-adresse"})
    assert bad.status_code == 422

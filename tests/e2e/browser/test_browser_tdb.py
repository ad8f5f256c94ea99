"""The Tableau de bord's pushes in Chromium at a phone's width (375 px) (issue 16, item 1): the advisor opens «Envois
TDB» from the navigation, pushes now to a stand-in TDB (over HTTP), reads the push and the learner the TDB refused,
follows «corriger» to the contract dossier's employer section; the page fits the phone."""

from __future__ import annotations

from playwright.sync_api import ViewportSize, expect
from pydantic import SecretStr

from contract_flow.bootstrap import App
from tests.e2e.browser.conftest import PHONE, Visitor
from tests.e2e.browser.test_browser_pages import Shot, check
from tests.support.tdb_server import TdbStandIn
from tests.support.world import World


def test_an_advisor_pushes_now_and_follows_an_error_to_the_field_to_fix(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    case_id = world.one.case_id
    with TdbStandIn(keys={"imt-key"}, refuse={str(case_id): ("siret_employeur", "SIRET inconnu")}) as tdb:
        app.settings = app.settings.model_copy(update={"tdb_url": tdb.url,
                                                       "tdb_keys": {"imt-mines-ales": SecretStr("imt-key")}})
        page = visitor.page
        page.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
        visitor.log_in(world.one.user("advisor").email)
        page.get_by_role("navigation").get_by_role("link", name="Envois TDB").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Envois au Tableau de bord de l'apprentissage")
        expect(page.get_by_text("Aucun envoi au TDB pour l'instant.")).to_be_visible()
        page.get_by_role("button", name="Envoyer maintenant").click()
        push = page.get_by_role("region", name="Envoi n° 1", exact=False)
        expect(push.get_by_text("envoyé, avec des erreurs", exact=True)).to_be_visible()
        expect(push.get_by_role("cell", name="SIRET inconnu")).to_be_visible()
        assert len(tdb.batches) == 1
        check(page, shot, "tdb-pushes")
        push.get_by_role("link", name="corriger siret_employeur").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/cases/{case_id}/dossier#section-employer")

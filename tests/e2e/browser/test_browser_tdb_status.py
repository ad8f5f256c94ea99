"""The reconciliation and the TDB status in Chromium at a phone's width (375 px) (issue 16, items 3 and 4): the advisor
opens «Rapprochement» from the navigation, asks for 15 December 2026 by typing the day, reads the neighbour still at
the first step listed as ABANDON for the Tableau de bord, follows the link to the case and reads its block «Statut
au Tableau de bord» (today: still enrolled, dropped out from 30 November); each page fits the phone, every field
labelled."""

from __future__ import annotations

from playwright.sync_api import ViewportSize, expect

from tests.e2e.browser.conftest import PHONE, Visitor
from tests.e2e.browser.test_browser_pages import Shot, check
from tests.support.world import World


def test_an_advisor_finds_an_abandon_still_followed_and_reads_why_on_the_case_page(
        world: World, visitor: Visitor, shot: Shot) -> None:
    page = visitor.page
    page.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
    visitor.log_in(world.one.user("advisor").email)
    page.get_by_role("navigation").get_by_role("link", name="Rapprochement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapprochement avec les systèmes publics")
    expect(page.get_by_text("0 point(s) au 20/10/2026.")).to_be_visible()

    page.get_by_label("Situation au", exact=True).fill("2026-12-15")
    page.get_by_role("button", name="Afficher").click()
    section = page.get_by_role("region", name="Abandons pour le Tableau de bord que le moteur suit encore 1")
    expect(section.get_by_text("abandon depuis le 30/11/2026", exact=False)).to_be_visible()
    check(page, shot, "tdb-reconciliation")

    section.get_by_role("link").first.click()
    block = page.get_by_role("region", name="Statut au Tableau de bord")
    expect(block.get_by_text("Inscrit sans contrat", exact=True)).to_be_visible()
    expect(block.get_by_text("Devient « Abandon » le 30/11/2026 si rien de nouveau n'est envoyé.")).to_be_visible()
    block.get_by_text("Les dates envoyées au Tableau de bord").click()
    expect(block.get_by_text("Entrée en formation", exact=True)).to_be_visible()
    check(page, shot, "tdb-case-block")

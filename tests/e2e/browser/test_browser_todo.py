"""«Mes actions» (issue 15, items 2 and 10) in Chromium for every role, at a phone's width (375 px) and a desktop's:
reached from the navigation with the keyboard alone, the list fits the screen (the long names wrap), the overdue
items first and marked, each item's link leading to the form that does it; in English on request."""

from __future__ import annotations

from playwright.sync_api import Page, ViewportSize, expect

from contract_flow.bootstrap import App
from tests.e2e.browser.conftest import PHONE, Visitor
from tests.e2e.browser.test_browser_pages import Shot, check, waiting_for_the_lead
from tests.e2e.browser.test_browser_scenarios import tab_to
from tests.support.world import World


def my_actions(page: Page) -> Page:
    """From the page one is on, Tab to «Mes actions» in the navigation and follow it with Enter."""
    tab_to(page, page.get_by_role("navigation").get_by_role("link", name="Mes actions"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes actions")
    return page


def test_every_role_reaches_its_list_with_the_keyboard_and_it_fits_a_phone_and_a_desktop(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    lead_case = waiting_for_the_lead(app, world)  # a long composed name: the cards wrap it
    # Overdue first: the job project's dossier was due by its contract's start, 1 September.
    expected = {"advisor": "Compléter la partie « L'employeur » du dossier du contrat",
                "programme_lead": "Valider le projet (ou le renvoyer)",
                "tutor": "Lire et signer le compte rendu de l’entretien du 20/10/2026",
                "mentor": "Lire et signer le compte rendu de l’entretien du 20/10/2026",
                "apprentice": "Lire et signer le compte rendu de l’entretien du 20/10/2026"}
    for role, first in expected.items():
        visitor.page.context.clear_cookies()
        visitor.page.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
        page = my_actions(visitor.log_in(world.one.user(role).email))
        items = page.get_by_role("list", name="Ce que vous avez à faire, le plus urgent d'abord").locator(
            ":scope > li")
        expect(items.first.get_by_role("heading", level=2)).to_contain_text(first)
        if role == "programme_lead":
            expect(items.first.get_by_role("link", name="Zoé Projet-Avec-Un-Nom-Composé-Assez-Long",
                                                 exact=True)).to_be_visible()
            expect(items.first.get_by_role("link", name=first, exact=True)).to_have_attribute(
                "href", f"/cases/{lead_case}#moves")
        check(page, shot, f"todo-{role}")


def test_the_advisor_follows_an_overdue_item_to_its_form(world: World, visitor: Visitor, shot: Shot) -> None:
    page = visitor.page
    page.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
    my_actions(visitor.log_in(world.one.user("advisor").email))
    first = page.locator("#todo-1")  # the oldest overdue: the OPCO filing due 5 working days after the start
    expect(first.locator("h2")).to_have_text("Enregistrer le dépôt du contrat auprès de l’OPCO")
    expect(first.locator(".todo-due")).to_have_text("en retard : à faire pour le 07/09/2026")
    expect(first).to_have_class("card todo-item late")  # in red
    expect(first).to_contain_text("fin de l’essai : contrat en cours le")
    tab_to(page, first.get_by_role("link", name="Ouvrir : Enregistrer le dépôt du contrat auprès de l’OPCO "
                                                "(Léa Martin)"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{visitor.live.url}/cases/{world.one.case_id}#filing")
    expect(page.get_by_role("region", name="Dépôt auprès de l'OPCO et décision")).to_be_visible()


def test_the_list_in_english(world: World, visitor: Visitor, shot: Shot) -> None:
    page = visitor.page
    my_actions(visitor.log_in(world.one.user("tutor").email))
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    expect(page.locator("#todo-1 h2")).to_have_text("Read and acknowledge the report of the review of 20/10/2026")
    check(page, shot, "todo-tutor-en")

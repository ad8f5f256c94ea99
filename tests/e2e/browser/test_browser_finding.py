"""Finding cases in Chromium (issue 15, items 4 and 10), keyboard only, at a phone's width (375 px) and on a
desktop, in French and in English: an advisor searches the board for «ines» and finds Inès, narrows the list to a
state and to what waits for them; a tutor searches their apprentices. Every field of the form has its label,
nothing sticks out of the screen, the overdue deadline says «en retard» in words."""

from __future__ import annotations

import re

from playwright.sync_api import Page, ViewportSize, expect

from contract_flow.adapters.clock import FixedClock
from tests.e2e.browser.conftest import DESKTOP, PHONE, Visitor
from tests.e2e.browser.test_browser_pages import Shot
from tests.e2e.browser.test_browser_scenarios import tab_to
from tests.support.world import World, paris

#: The search form's elements sticking out of the window's right edge, and its fields without a label.
_FORM_PROBLEMS = """() => {
    const form = document.querySelector('form.find');
    const wide = [...form.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map(e => `${e.tagName} ${e.id} ${Math.round(e.getBoundingClientRect().right)}px`);
    const unlabelled = [...form.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && e.labels.length === 0).map(e => e.outerHTML.slice(0, 120));
    const page = document.documentElement.scrollWidth > window.innerWidth + 0.5 ? ['the page scrolls sideways'] : [];
    return [...wide, ...unlabelled, ...page];
}"""


def fits(page: Page) -> None:
    assert page.evaluate(_FORM_PROBLEMS) == []


def search_box(page: Page, label: str = "Nom ou e-mail") -> object:
    return page.get_by_role("search").get_by_label(label)


def test_an_advisor_searches_and_filters_the_board_with_the_keyboard_on_a_phone(
        world: World, visitor: Visitor, shot: Shot) -> None:
    page = visitor.page
    page.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
    visitor.log_in(world.two.user("advisor").email)
    expect(page).to_have_url(visitor.live.url + "/board")
    fits(page)
    shot(page, "board-375")

    field = page.get_by_role("search").get_by_label("Nom ou e-mail")
    tab_to(page, field)
    page.keyboard.type("ines")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Recherche dans les dossiers")).to_be_visible()
    expect(page.get_by_text("1 dossier(s) trouvé(s).")).to_be_visible()
    expect(page.get_by_role("link", name="Inès Leroy")).to_be_visible()
    expect(page.get_by_role("search").get_by_label("Nom ou e-mail")).to_have_value("ines")
    fits(page)
    shot(page, "search-375")

    # a state chosen by typing its name in the select, «waiting for me» ticked with the space bar, then search
    field = page.get_by_role("search").get_by_label("Nom ou e-mail")
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    state = page.get_by_role("search").get_by_label("État")
    tab_to(page, state, limit=6)
    page.keyboard.press("R")  # the first state starting with R
    expect(state).to_have_value("reflect")
    needs = page.get_by_role("search").get_by_label("Seulement ceux qui m'attendent")
    tab_to(page, needs, limit=4)
    page.keyboard.press("Space")
    expect(needs).to_be_checked()
    tab_to(page, page.get_by_role("search").get_by_role("button", name="Rechercher"), limit=4)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/board\?.*state=reflect.*needs_me=1"))
    expect(page.get_by_role("heading", name="Dossiers à l'étape « Réfléchir »")).to_be_visible()
    expect(page.get_by_role("link", name="Inès Leroy")).to_be_visible()  # nobody's case, at a step an advisor moves
    expect(page.get_by_role("link", name="Hugo Durand")).to_have_count(0)
    fits(page)
    shot(page, "filtered-375")

    # «Effacer les filtres» goes back to the whole board
    tab_to(page, page.get_by_role("link", name="Effacer les filtres"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(visitor.live.url + "/board")
    expect(page.get_by_role("region", name="Places par formation")).to_be_visible()


def test_a_search_on_a_desktop_in_english_and_the_overdue_deadline_in_words(
        world: World, visitor: Visitor, clock: FixedClock, shot: Shot) -> None:
    page = visitor.page
    page.set_viewport_size(ViewportSize(width=DESKTOP["width"], height=DESKTOP["height"]))
    clock.set(paris(2026, 12, 2, 10))  # Nina's search window ended on 30 November
    visitor.log_in(world.one.user("advisor").email)
    reflect = page.get_by_role("region", name=re.compile(r"1\. Réfléchir"))
    expect(reflect.get_by_text("en retard", exact=True)).to_be_visible()
    fits(page)
    shot(page, "board-desktop")

    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    field = page.get_by_role("search").get_by_label("Name or email")
    tab_to(page, field)
    page.keyboard.type("VOISIN")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Search the cases")).to_be_visible()
    expect(page.get_by_role("link", name="Nina Voisin")).to_be_visible()
    expect(page.get_by_text("overdue", exact=True)).to_be_visible()
    fits(page)
    shot(page, "search-desktop-en")


def test_a_tutor_searches_their_apprentices_with_the_keyboard(world: World, visitor: Visitor, shot: Shot) -> None:
    page = visitor.page
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(ViewportSize(width=size["width"], height=size["height"]))
        visitor.log_in(world.one.user("tutor").email)
        visitor.open("/tutor")
        field = page.get_by_role("search").get_by_label("Nom ou e-mail")
        tab_to(page, field)
        page.keyboard.type("lea")
        page.keyboard.press("Enter")
        expect(page.get_by_role("link", name="Léa Martin").first).to_be_visible()
        expect(page.get_by_text("Prochaine échéance").first).to_be_visible()
        fits(page)
        shot(page, f"tutor-{size['width']}")
        visitor.open("/tutor?q=nina")
        expect(page.get_by_text("Aucun dossier ne correspond à cette recherche.")).to_be_visible()
        page.context.clear_cookies()

"""The invoice pages in a real browser (issue 14, item 8): the board's block, the list page (a month, every line, a
bad month said next to its field) and the case page's money section fit a phone's 375 px and a desktop, every
field labelled; screenshots under tests/artifacts/."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from contract_flow.adapters.tables import programme_table
from contract_flow.bootstrap import App
from tests.e2e.browser.conftest import PHONE, Visitor
from tests.e2e.browser.test_browser_pages import SIZES, Shot, visit
from tests.support.cases import open_candidate, walk
from tests.support.world import World


def test_the_invoice_pages_fit_a_phone_and_a_desktop(app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    one = world.one
    with app.engine.begin() as connection:  # the brochure's diploma is of level 7: a participation is owed
        connection.execute(sa.update(programme_table).where(programme_table.c.code == one.programme).values(level=7))
    case_id = open_candidate(app, first_name="Zoé", last_name="Apprentie-Au-Nom-Composé-Assez-Long",
                             email="zoe.apprentie@example.org")
    # Signed in the world's October for 1 September: the contract goes straight into its trial.
    walk(app, case_id, "signed", advisor=one.user("advisor").email, lead=one.user("programme_lead").email)
    visitor.log_in(one.user("advisor").email)

    page = visit(visitor, shot, "invoices-board", "/board")
    expect(page.locator("#invoices")).to_contain_text("Participations employeur à facturer")
    page = visit(visitor, shot, "invoices-all", "/invoices")
    expect(page.locator("tbody")).to_contain_text("750,00")
    page.get_by_label("Mois d'échéance").fill("2027-13")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#e-month")).to_contain_text("n'est pas un mois écrit AAAA-MM")  # in French (issue 15, item 6)
    visit(visitor, shot, "invoices-bad-month", "/invoices?month=2027-13", status=422)
    # The case page as a whole is test_browser_pages' (its other panels are others'): here its money section.
    page = visitor.page
    page.set_viewport_size(SIZES[0][1])
    page.goto(f"{visitor.live.url}/cases/{case_id}")
    money = page.locator("#money")
    expect(money).to_contain_text("Aide à l'embauche")
    expect(money).to_contain_text("750,00")
    # how the amount was found and the article's entry, in French (kept as reasons at the signature)
    expect(money).to_contain_text("une seule fois, pour la première année")
    expect(money).to_contain_text("(entrée en vigueur le ")
    expect(money).not_to_contain_text("entry in force")
    box = money.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("""() => [...document.querySelectorAll('#money *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).length""") == 0
    shot(page, "invoices-case-phone")

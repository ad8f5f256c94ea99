"""The filing panel in Chromium at a phone's width (375 px), keyboard only (issue 14, item 6): the advisor records
the world's contract as filed with its OPCO (the day and the dossier's OPCO prefilled), then the OPCO's refusal with
its reason, choosing the answer with the arrow keys; the page says what to fix and offers to file again, nothing
sticks out of the screen and every field has its label."""

from __future__ import annotations

from playwright.sync_api import Page, ViewportSize, expect

from contract_flow.bootstrap import App
from contract_flow.services.cases import show
from tests.e2e.browser.conftest import PHONE, Visitor
from tests.e2e.browser.test_browser_pages import Shot
from tests.e2e.browser.test_browser_scenarios import flash, tab_to
from tests.support.world import World

#: The panel's elements sticking out of the window's right edge, and its fields without a label.
_PANEL_PROBLEMS = """() => {
    const panel = document.querySelector('#filing');
    const wide = [...panel.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map(e => `${e.tagName} ${e.id} ${Math.round(e.getBoundingClientRect().right)}px`);
    const unlabelled = [...panel.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && e.labels.length === 0).map(e => e.outerHTML.slice(0, 120));
    return [...wide, ...unlabelled];
}"""


def fits(page: Page) -> None:
    """The panel at the window's width, every field with its label (the pages' own test checks the whole page)."""
    assert page.evaluate(_PANEL_PROBLEMS) == []


def test_an_advisor_files_then_records_a_refusal_with_the_keyboard_alone_at_375_px(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    page = visitor.page
    page.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
    visitor.log_in(world.one.user("advisor").email)
    case_id = world.one.case_id
    visitor.open(f"/cases/{case_id}")
    panel = page.get_by_role("region", name="Dépôt auprès de l'OPCO et décision")
    expect(panel.get_by_text("Pas encore déposé auprès de l'OPCO")).to_be_visible()
    expect(panel.get_by_label("OPCO *")).to_have_value("OPCO 2i")
    fits(page)
    shot(page, "filing-375")

    # Today and the dossier's OPCO are prefilled: through the date's day, month and year, the OPCO, to the button.
    tab_to(page, panel.get_by_label("Date du dépôt (dossier complet reçu par l'OPCO) *"))
    tab_to(page, panel.get_by_label("OPCO *"), limit=4)
    tab_to(page, panel.get_by_role("button", name="Enregistrer le dépôt"), limit=2)
    page.keyboard.press("Enter")
    expect(flash(page)).to_have_text("Dépôt auprès de l'OPCO enregistré (le 20/10/2026).")
    panel = page.get_by_role("region", name="Dépôt auprès de l'OPCO et décision")
    expect(panel.get_by_text("Déposé, décision de l'OPCO attendue")).to_be_visible()

    tab_to(page, panel.get_by_role("radio", name="Accepté"))
    page.keyboard.press("ArrowDown")  # the other answer of the group
    expect(panel.get_by_role("radio", name="Refusé")).to_be_checked()
    tab_to(page, panel.get_by_label("Motif du refus (si refusé)"))
    page.keyboard.type("convention de formation manquante")
    tab_to(page, panel.get_by_role("button", name="Enregistrer la décision"))
    page.keyboard.press("Enter")
    expect(flash(page)).to_contain_text("Refus de l'OPCO enregistré")
    panel = page.get_by_role("region", name="Dépôt auprès de l'OPCO et décision")
    expect(panel.get_by_text("Refusé par l'OPCO", exact=True)).to_be_visible()
    expect(panel.get_by_text("convention de formation manquante")).to_be_visible()
    expect(panel.get_by_role("heading", name="Déposer à nouveau")).to_be_visible()
    fits(page)
    shot(page, "refused-375")
    terms = show(app, case_id).case.contract
    assert (terms.opco_decision, terms.opco_refusal_reason) == ("refused", "convention de formation manquante")


def test_a_refusal_is_read_next_to_its_field_at_375_px(app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    page = visitor.page
    page.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
    visitor.log_in(world.one.user("advisor").email)
    visitor.open(f"/cases/{world.one.case_id}")
    panel = page.get_by_role("region", name="Dépôt auprès de l'OPCO et décision")
    panel.get_by_role("button", name="Enregistrer le dépôt").click()
    panel = page.get_by_role("region", name="Dépôt auprès de l'OPCO et décision")
    panel.get_by_role("radio", name="Accepté").check()
    deca = panel.get_by_label("Numéro DECA (si accepté)")
    deca.fill("02B2022")
    panel.get_by_role("button", name="Enregistrer la décision").click()
    deca = page.get_by_label("Numéro DECA (si accepté)")
    expect(deca).to_have_attribute("aria-invalid", "true")
    expect(deca).to_have_value("02B2022")
    expect(deca).to_have_accessible_description(
        "15 caractères : département, année, mois, 2 caractères, numéro d'ordre (ex. 02B202212000000). "
        "«\u00a002B2022\u00a0» n'est pas un numéro de contrat DECA : département, année, mois, "
        "2 caractères et un numéro d'ordre de 4 chiffres (par ex. 02B202212000000)")
    fits(page)
    shot(page, "deca-refused-375")

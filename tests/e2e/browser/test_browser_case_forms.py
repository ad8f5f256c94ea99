"""The advisor's forms in Chromium (issue 15, items 1 and 10): a case opened from /cases/new and taken to «Décider»
with the forms alone (no key=value), the interview at the first company applied to, not the latest; the project's
form filled with the keyboard alone at 375 px; at a phone's width and a desktop's, the forms fit the screen and every
field has its label. Screenshots under tests/artifacts/."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, expect

from contract_flow.bootstrap import App
from contract_flow.services.cases import show
from tests.e2e.browser.conftest import DESKTOP, PHONE, Visitor
from tests.e2e.browser.test_browser_scenarios import flash, tab_to
from tests.support.cases import VALID_SIRET
from tests.support.world import World

Shot = Callable[[Page, str], Path]
#: The part's elements sticking out of the window's right edge, and its fields without a label.
_PROBLEMS = """(selector) => {
    const part = document.querySelector(selector);
    const wide = [...part.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map(e => `${e.tagName} ${e.id} ${Math.round(e.getBoundingClientRect().right)}px`);
    const unlabelled = [...part.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && e.labels.length === 0).map(e => e.outerHTML.slice(0, 120));
    return [...wide, ...unlabelled];
}"""


def fits(page: Page, selector: str) -> None:
    assert page.evaluate(_PROBLEMS, selector) == []


def _move(page: Page, name: str) -> None:
    page.locator("#moves").get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def test_an_advisor_opens_a_case_and_takes_it_to_decide_with_the_forms_alone(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    page = visitor.log_in(world.one.user("advisor").email)
    visitor.open("/board")
    page.get_by_role("link", name="Nouveau dossier").click()
    expect(page.get_by_role("heading", name="Nouveau dossier")).to_be_visible()
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label(re.compile(r"^Nom")).fill("Durand")
    page.get_by_label("E-mail").fill("ines.durand@example.org")
    page.get_by_role("button", name="Ouvrir le dossier").click()  # the birth date forgotten
    error = page.locator("#e-birth_date")
    expect(error).to_contain_text("obligatoire")
    expect(page.get_by_label("Date de naissance")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Prénom")).to_have_value("Inès")  # what was typed is kept
    fits(page, "main")
    shot(page, "new-refused")
    page.get_by_label("Date de naissance").fill("2005-04-01")
    page.get_by_label("Voie d'admission").select_option("excellence")
    page.get_by_role("button", name="Ouvrir le dossier").click()
    expect(flash(page)).to_contain_text("Inès Durand")
    case_id = int(page.url.rsplit("/", 1)[1])

    project = page.locator("#form-project")
    expect(project).to_have_attribute("open", "")  # the step's form is open at «Réfléchir»
    project.get_by_label("Métier visé").fill("technicienne mécatronique")
    project.get_by_label("Zone de mobilité").fill("Occitanie")
    project.get_by_role("button", name="Enregistrer le projet").click()
    expect(flash(page)).to_have_text("2 information(s) enregistrée(s).")
    _move(page, "Passer aux candidatures")

    applications = page.locator("#form-applications")
    for company, siret, day in (("Alpha Industrie", VALID_SIRET, "2026-10-01"), ("Beta SARL", "", "2026-10-12")):
        add = applications.locator("#form-add-application")
        add.get_by_label("Entreprise").fill(company)
        add.get_by_label("SIRET (facultatif)").fill(siret)
        add.get_by_label("Date de la candidature").fill(day)
        add.get_by_role("button", name="Ajouter la candidature").click()
        expect(flash(page)).to_contain_text(company)
        applications = page.locator("#form-applications")
    expect(applications.get_by_text("envoyée")).to_have_count(2)
    shot(page, "applications")
    # The interview is at Alpha, applied to first: the shortlist says which.
    chosen = page.locator("#moves").get_by_label("Candidature retenue par l'entreprise")
    chosen.select_option(label="Alpha Industrie (01/10/2026)")
    _move(page, "Présélectionner")
    expect(page.locator("#form-applications").get_by_text("présélectionnée")).to_be_visible()

    offer = page.locator("#form-offer")
    expect(offer).to_have_attribute("open", "")
    offer.get_by_label("Entreprise", exact=True).fill("Alpha Industrie")
    offer.get_by_label("SIRET de l'entreprise").fill(VALID_SIRET)
    offer.get_by_label("Salaire brut mensuel proposé").fill("mille")
    offer.get_by_role("button", name="Enregistrer l'offre").click()
    offer = page.locator("#form-offer")
    expect(offer.locator(".error")).to_contain_text("montant en euros")
    expect(offer.get_by_label("Salaire brut mensuel proposé")).to_have_value("mille")
    shot(page, "offer-refused")
    offer.get_by_label("Salaire brut mensuel proposé").fill("1 400,50")
    offer.get_by_label("Date de début proposée").fill("2026-11-02")
    offer.get_by_label("Heures par semaine").fill("35")
    offer.get_by_role("button", name="Enregistrer l'offre").click()
    expect(flash(page)).to_contain_text("enregistrée(s)")
    _move(page, "Enregistrer l'offre reçue")
    _move(page, "Choisir l'offre")
    expect(page.locator(".case-status .badge").first).to_have_text("Décider")
    shot(page, "decide")

    view = show(app, case_id)
    case = view.case
    assert case.state.value == "decide"
    assert {a.company: a.status.value for a in case.applications} == {"Alpha Industrie": "shortlisted",
                                                                      "Beta SARL": "sent"}
    assert case.current_offer is not None
    assert case.current_offer.gross_monthly_pay == Decimal("1400.50")
    assert not [e for e in view.history if any("=" in key for key in e.facts)]  # no key=value typed anywhere


def test_the_project_form_with_the_keyboard_alone_and_the_forms_fit_a_phone_and_a_desktop(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    page = visitor.page
    page.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
    visitor.log_in(world.one.user("advisor").email)
    visitor.open("/cases/new")
    fits(page, "main")
    shot(page, "new-375")
    case_id = world.one.neighbour_id
    visitor.open(f"/cases/{case_id}")
    project = page.locator("#form-project")
    tab_to(page, project.get_by_label("Métier visé"), limit=200)
    page.keyboard.type("technicien de maintenance")
    page.keyboard.press("Tab")
    page.keyboard.type("Gard")
    tab_to(page, project.get_by_role("button", name="Enregistrer le projet"), limit=4)
    page.keyboard.press("Enter")
    expect(flash(page)).to_have_text("2 information(s) enregistrée(s).")
    assert show(app, case_id).case.project.mobility_area == "Gard"
    for width, name in ((PHONE, "375"), (DESKTOP, "desktop")):
        page.set_viewport_size(ViewportSize(width=width["width"], height=width["height"]))
        for details in page.locator("#forms details").all():
            details.evaluate("element => element.open = true")
        fits(page, "#forms")
        fits(page, "#moves")
        shot(page, f"forms-{name}")
    # A trial's case: the follow-up form and the break's own field.
    visitor.open(f"/cases/{world.one.case_id}")
    for details in page.locator("#forms details").all():
        details.evaluate("element => element.open = true")
    expect(page.locator("#move-break_trial").get_by_label("À l'initiative de")).to_be_visible()
    fits(page, "#forms")
    fits(page, "#moves")
    shot(page, "trial-desktop")


def test_the_new_case_page_and_the_forms_in_english_at_a_phones_width(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    page = visitor.page
    page.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
    visitor.log_in(world.one.user("advisor").email)
    visitor.open("/cases/new")
    page.get_by_role("button", name="EN", exact=True).click()
    visitor.open("/cases/new")
    expect(page.get_by_role("heading", name="New case")).to_be_visible()
    page.get_by_label("Birth date").fill("2005-04-01")
    page.get_by_role("button", name="Open the case").click()  # names and email left out
    expect(page.locator("#e-first_name")).to_contain_text("required")
    expect(page.locator("#e-email")).to_contain_text("required")  # every field left empty, at once
    expect(page.get_by_label("Birth date")).to_have_value("2005-04-01")
    fits(page, "main")
    shot(page, "new-en-375")
    visitor.open(f"/cases/{world.one.case_id}")
    expect(page.locator("#form-followup summary")).to_have_text("Contract follow-up")
    for details in page.locator("#forms details").all():
        details.evaluate("element => element.open = true")
    expect(page.locator("#forms").get_by_label("Medical visit done on")).to_be_visible()
    fits(page, "#forms")
    shot(page, "forms-en-375")

"""The contract dossier in a real browser (issue 14, items 9 and 10): from a case whose offer was just chosen, the
advisor fills the dossier through its page, the mentor completes the employer's section with the keyboard alone and
their own section on a phone (375 px), the programme lead validates the job project, the advisor signs on the case
page and downloads the CERFA. Screenshots go to tests/artifacts/ and /tmp/helpers/shots/ when it exists."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from contract_flow.bootstrap import App
from contract_flow.services.cases import OpenCase, open_case, show
from contract_flow.services.dossier import show_dossier
from tests.e2e.browser.conftest import DESKTOP, PHONE, LiveServer, Visitor
from tests.e2e.browser.test_browser_pages import check
from tests.support.cases import walk
from tests.support.dossier import APPRENTICE, MENTOR, nir_of
from tests.support.world import World

Shot = Callable[[Page, str], Path]
BORN = date(2005, 3, 3)
#: Where the helpers of this project look at the screenshots (when the directory is there).
SHOTS = Path("/tmp/helpers/shots")

#: What the advisor types, section by section (the offer gave the employer's SIRET and name, the pay at hiring
#: and the hours; the programme the training; the rules the pay lines).
ADVISOR = {
    "contract": {"mode": "1", "contract_type": "11", "signature_date": "2026-10-20", "signature_place": "Alès",
                 "start_date": "2026-11-16", "practical_training_start": "2026-11-16", "end_date": "2029-08-31",
                 "risky_work": "no", "pension_fund": "Malakoff Humanis", "documents_attested": "yes"},
    "apprentice": {**APPRENTICE, "nir": nir_of(BORN)},
    "mentors": {"1.first_name": "Marie", "1.last_name": "Maître"},
    "training": {"exams_end": "2029-06-30"},
    "employer": {"email": "rh@industrie.example", "phone": "04 66 78 50 00"},
}
#: What the mentor types into the employer's form with the keyboard, field by field in the form's order: the
#: text typed (a select picks its option by its first characters: the code, or «Non»).
MENTOR_KEYS = {"public": "Non", "address.number": "12", "address.street": "rue de la Mine",
               "address.postcode": "30100", "address.town": "Alès", "employer_type": "12",
               "specific_employer": "0", "headcount": "250", "idcc_code": "3248",
               "idcc_name": "Convention collective nationale de la métallurgie", "naf_code": "28.99B",
               "opco": "OPCO 2i"}


def ident(section: str, key: str) -> str:
    return f"f-{section}-{key.replace('.', '-')}"


def save_shot(page: Page, shot: Shot, name: str, *, full: bool = True) -> None:
    """The page (`full`) or the window as it is now, the focused field in its middle."""
    if not full:
        page.evaluate("document.activeElement.scrollIntoView({block: 'center'})")
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"dossier-{name}.png"), full_page=full)
    shot(page, name)


def fill_section(page: Page, section: str, values: dict[str, str], label: str) -> None:
    """Type `values` into the section's form (a select picks its option) and save it; the page says so."""
    for key, value in values.items():
        field = page.locator(f"#{ident(section, key)}")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.get_by_role("button", name=f"Enregistrer : {label}").click()
    expect(page.locator("p.flash").first).to_contain_text(f"Section « {label} » enregistrée")


@pytest.fixture
def contexts(browser: Browser) -> Iterator[Callable[[dict[str, int]], BrowserContext]]:
    made: list[BrowserContext] = []

    def new(viewport: dict[str, int]) -> BrowserContext:
        context = browser.new_context(viewport=viewport, locale="fr-FR")  # type: ignore[arg-type]
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield new
    for context in made:
        context.close()


def visitor_in(contexts: Callable[[dict[str, int]], BrowserContext], live: LiveServer, viewport: dict[str, int],
               email: str) -> Visitor:
    someone = Visitor(contexts(viewport).new_page(), live)
    someone.log_in(email)
    return someone


def test_advisor_fills_mentor_completes_lead_validates_advisor_signs_and_downloads(
        app: App, world: World, visitor: Visitor, live: LiveServer, shot: Shot,
        contexts: Callable[[dict[str, int]], BrowserContext]) -> None:
    one = world.one
    case_id = open_case(app, OpenCase(one.programme, "Zoé", "Dossier", BORN, "zoe.dossier@example.org"))
    walk(app, case_id, "decide", advisor=one.user("advisor").email, lead=one.user("programme_lead").email)

    # The advisor: from the case page to the dossier, section by section.
    visitor.log_in(one.user("advisor").email)
    page = visitor.open(f"/cases/{case_id}")
    page.get_by_role("link", name="Dossier du contrat (CERFA)", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossier du contrat · Zoé Dossier")
    save_shot(page, shot, "advisor-empty")
    labels = {"contract": "Le contrat", "apprentice": "L'apprenti(e)", "mentors": "Le maître d'apprentissage",
              "training": "La formation", "employer": "L'employeur"}
    fill_section(page, "mentors", {**ADVISOR["mentors"], "1.email": one.user("mentor").email}, labels["mentors"])
    for section in ("contract", "apprentice", "training", "employer"):
        fill_section(page, section, ADVISOR[section], labels[section])
    expect(page.locator("#refusals-title")).to_be_visible()  # the mentor's part is still missing
    check(page, shot, "advisor-dossier")  # every field labelled, no wider than a phone (every section a form)
    save_shot(page, shot, "advisor-filled")
    page.locator("#f-employer-idcc_code").fill("ABCD")
    page.get_by_role("button", name="Enregistrer : L'employeur").click()
    error = page.locator("#e-f-employer-idcc_code")
    expect(error).to_contain_text("Valeur refusée (Code IDCC de la convention collective)")
    expect(page.locator("#f-employer-idcc_code")).to_have_value("ABCD")  # as typed, and nothing saved
    assert "idcc_code" not in show_dossier(app, case_id, actor_email="system").sections[  # type: ignore[index]
        "employer"].data
    page.set_viewport_size({"width": PHONE["width"], "height": PHONE["height"]})
    page.locator("#f-employer-idcc_code").focus()
    save_shot(page, shot, "advisor-refused-375", full=False)
    page.set_viewport_size({"width": DESKTOP["width"], "height": DESKTOP["height"]})

    # The mentor, keyboard only: from their page to the employer's form, each field in the tab order.
    mentor = visitor_in(contexts, live, PHONE, one.user("mentor").email)
    mine = mentor.open("/mentor")
    mine.get_by_role("link", name="Compléter le dossier du contrat : l'employeur et le maître d'apprentissage : "
                              "Zoé Dossier").focus()
    mine.keyboard.press("Enter")
    mine.wait_for_url(f"**/cases/{case_id}/dossier#section-employer")
    order = mine.locator("#section-employer form").evaluate(
        "form => [...form.elements].filter(e => e.type !== 'hidden').map(e => e.id || e.tagName)")
    mine.keyboard.press("Tab")  # from the section the link pointed at: its first field
    for step, expected in enumerate(order):
        focused = mine.evaluate("document.activeElement.id || document.activeElement.tagName")
        assert focused == expected, f"step {step}: the focus is on {focused}, not {expected}"
        outline = mine.evaluate("[getComputedStyle(document.activeElement).outlineStyle, "
                                "getComputedStyle(document.activeElement).outlineWidth]")
        assert outline == ["solid", "3px"], f"no visible focus on {focused}: {outline}"
        key = next((key for key in MENTOR_KEYS if ident("employer", key) == expected), None)
        if key is not None:
            mine.keyboard.type(MENTOR_KEYS[key])
        if key == "idcc_code":
            save_shot(mine, shot, "mentor-keyboard-focus-375", full=False)
        if expected != "BUTTON":
            mine.keyboard.press("Tab")
    mine.keyboard.press("Enter")  # on «Enregistrer : L'employeur»
    expect(mine.locator("p.flash").first).to_contain_text("Section « L'employeur » enregistrée")
    employer = show_dossier(app, case_id, actor_email="system").sections["employer"].data  # type: ignore[index]
    assert (employer["public"], employer["employer_type"], employer["specific_employer"], employer["idcc_code"]) == (
        "no", "12", "0", "3248")

    # The mentor's own section on the phone.
    fill_section(mine, "mentors", {f"1.{key}": value for key, value in MENTOR.items()}, labels["mentors"])
    check(mine, shot, "mentor-dossier")
    mine.set_viewport_size({"width": PHONE["width"], "height": PHONE["height"]})
    save_shot(mine, shot, "mentor-after-375")
    expect(mine.get_by_text("Le dossier est complet et conforme : il peut être signé.")).to_be_visible()

    # The programme lead validates the job project (their page).
    lead = visitor_in(contexts, live, DESKTOP, one.user("programme_lead").email)
    lead.open("/lead").get_by_role("button", name="Valider : Zoé Dossier").click()
    expect(lead.page.locator("p.flash").first).to_be_visible()
    assert show(app, case_id).case.state == "sign"

    # The advisor signs on the case page, then downloads the CERFA.
    page = visitor.open(f"/cases/{case_id}")
    page.get_by_role("button", name="Signer le contrat").click()
    expect(page.locator(".case-status .badge").first).to_have_text("Signé, pas encore commencé")
    save_shot(page, shot, "advisor-signed")
    panel = page.locator("#dossier-files")
    with page.expect_download() as started:
        panel.get_by_role("link", name="Télécharger le CERFA (PDF)").click()
    pdf = Path(started.value.path()).read_bytes()
    text = " ".join(sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Zoé" in text
    assert "Dossier" in text
    assert "3248" in text  # the IDCC the mentor typed
    assert "Ingénieure mécatronique" in text  # the mentor's job

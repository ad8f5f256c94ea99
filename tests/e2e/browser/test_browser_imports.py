"""The import in Chromium (issue 15, items 7 and 10): an advisor on a phone (375 px) chooses a French Excel CSV,
sends it and reads its preview (each row and what it would do, a refused one with its field and reason in French),
then imports it with the keyboard alone; the form, the preview and the report fit a phone and a desktop, every
field labelled, in French and in English."""

from __future__ import annotations

import codecs

from playwright.sync_api import FilePayload, Page, expect

from contract_flow.bootstrap import App
from tests.e2e.browser.conftest import DESKTOP, PHONE, Visitor
from tests.e2e.browser.test_browser_pages import _UNLABELLED, Shot
from tests.support.world import World

FRENCH_EXCEL = ("Formation;Prénom;Nom;Date de naissance;Courriel\r\n"
                "mecatronique;Zoé;Lambert-De-La-Fontaine;04/03/2005;zoe.lambert-de-la-fontaine@example.org\r\n"
                "mecatronique;Hugo;Bernard;31/02/2005;hugo@example.org\r\n")


def fits(page: Page, shot: Shot, name: str) -> None:
    """Every field labelled; no wider than a phone, nor a desktop (the wide table scrolls inside its box)."""
    assert page.evaluate(_UNLABELLED) == [], f"{name} has fields without a label"
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size({"width": size["width"], "height": size["height"]})
        width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= window, f"{name} is {width} px wide on a {window} px screen"
        shot(page, f"{name}-{label}")
    page.set_viewport_size({"width": PHONE["width"], "height": PHONE["height"]})


def test_an_advisor_previews_then_imports_a_french_excel_csv_with_the_keyboard_on_a_phone(
        app: App, world: World, page: Page, live: object, shot: Shot) -> None:
    visitor = Visitor(page, live)  # type: ignore[arg-type]
    visitor.log_in(world.one.user("advisor").email)
    page.set_viewport_size({"width": PHONE["width"], "height": PHONE["height"]})
    visitor.open("/import")
    field = page.get_by_label("Fichier CSV ou Excel (.xlsx)")
    expect(field).to_be_visible()
    fits(page, shot, "import-form")
    field.set_input_files(FilePayload(name="admis.csv", mimeType="text/csv",
                                      buffer=codecs.BOM_UTF8 + FRENCH_EXCEL.encode()))
    field.focus()
    page.keyboard.press("Tab")  # the hint is no stop: the next is the button
    expect(page.get_by_role("button", name="Voir l'aperçu")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ce que l'import ferait, ligne par ligne")).to_be_visible()
    expect(page.get_by_text("1 dossier(s) à ouvrir, 0 ligne(s) déjà là, 1 ligne(s) refusée(s)")).to_be_visible()
    expect(page.get_by_text("« 31/02/2005 » n'est pas un jour du calendrier")).to_be_visible()
    expect(page.get_by_role("cell", name="04/03/2005")).to_be_visible()
    fits(page, shot, "import-preview")
    confirm = page.get_by_role("button", name="Importer 1 dossier(s)")
    confirm.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Rapport ligne par ligne")).to_be_visible()
    expect(page.get_by_text("1 dossier(s) importé(s), 1 ligne(s) refusée(s).")).to_be_visible()
    fits(page, shot, "import-report")


def test_the_import_reads_in_english_too(app: App, world: World, page: Page, live: object, shot: Shot) -> None:
    visitor = Visitor(page, live)  # type: ignore[arg-type]
    visitor.log_in(world.one.user("advisor").email)
    visitor.open("/import")
    page.get_by_role("button", name="EN").click()  # the page's language switch
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of candidates (CSV or Excel)")
    page.get_by_label("CSV or Excel file (.xlsx)").set_input_files(
        FilePayload(name="admis.csv", mimeType="text/csv", buffer=FRENCH_EXCEL.encode()))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("«31/02/2005» is not a date: no such day")).to_be_visible()
    fits(page, shot, "import-preview-en")

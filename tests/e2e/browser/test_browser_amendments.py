"""The amendment form in Chromium at a phone's width (issue 14, item 7): the advisor reaches every field with Tab,
fills it with the keyboard alone, sends it with Enter; the panel fits 375 px, before and after; a refusal puts the
focus's reader on the error next to the field."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, expect

from contract_flow.bootstrap import App
from contract_flow.services.cases import show
from tests.e2e.browser.conftest import PHONE, Visitor
from tests.e2e.browser.test_browser_pages import _TOO_WIDE
from tests.e2e.browser.test_browser_scenarios import tab_to
from tests.support.world import World

Shot = Callable[[Page, str], Path]


def fits(page: Page) -> None:
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= window, f"the case page is {width} px wide on a {window} px screen: {page.evaluate(_TOO_WIDE)}"


def test_an_advisor_records_an_amendment_with_the_keyboard_on_a_phone(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    case_id = world.one.case_id
    page = visitor.log_in(world.one.user("advisor").email)
    page.set_viewport_size(ViewportSize(width=PHONE["width"], height=PHONE["height"]))
    visitor.open(f"/cases/{case_id}#amendments")
    panel = page.get_by_role("region", name="Avenants au contrat")
    expect(panel).to_be_visible()
    fits(page)

    kind = panel.get_by_label("Type d'avenant")
    tab_to(page, kind, limit=300)
    page.keyboard.type("36")  # a closed select takes the option its typed text starts
    expect(kind).to_have_value("36")
    page.keyboard.press("Tab")
    expect(panel.get_by_label("Date d'effet")).to_be_focused()
    tab_to(page, panel.get_by_label("Motif"), limit=5)  # past the date's day, month and year (today's, kept)
    page.keyboard.type("Marie Maître quitte l'atelier")
    page.keyboard.press("Tab")
    expect(panel.get_by_label("Champ 1", exact=True)).to_be_focused()
    page.keyboard.type("Dur")  # typeahead; no space (it opens the list), ASCII keys
    expect(panel.get_by_label("Champ 1", exact=True)).to_have_value("contract.weekly_hours")
    page.keyboard.press("Tab")
    expect(panel.get_by_label("Nouvelle valeur 1", exact=True)).to_be_focused()
    page.keyboard.type("20")
    shot(page, "amendment-form")
    button = panel.get_by_role("button", name="Enregistrer l'avenant")
    tab_to(page, button)
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    expect(page.locator("main p.flash[role=status]")).to_contain_text("Avenant n° 1 enregistré")
    expect(page.get_by_role("heading", name=re.compile(r"Avenant n° 1 · 36"))).to_be_visible()
    fits(page)
    shot(page, "amendment-recorded")
    assert show(app, case_id).case.contract.weekly_hours == 20

    panel = page.get_by_role("region", name="Avenants au contrat")
    panel.get_by_label("Type d'avenant").select_option("36")
    panel.get_by_label("Motif").fill("un taux trop bas")
    panel.get_by_label("Champ 1", exact=True).select_option("pay.1.rate")
    panel.get_by_label("Nouvelle valeur 1", exact=True).fill("20")
    panel.get_by_role("button", name="Enregistrer l'avenant").press("Enter")
    page.wait_for_load_state()
    value = page.get_by_role("region", name="Avenants au contrat").get_by_label("Nouvelle valeur 1", exact=True)
    expect(value).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#am-value_1-error")).to_contain_text("pay.1.rate")
    expect(value).to_have_value("20")
    fits(page)
    shot(page, "amendment-refused")

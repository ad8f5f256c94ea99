"""Reviews readable in Chromium at a phone's width (issue 15, items 3 and 10): the tutor, warned that the review
of 20 April 2027 has no report yet, logs it with the keyboard alone, choosing a level for skills of the programme's
list; the mentor then opens its report on their page, reads it, and acknowledges it from the button under it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App
from contract_flow.domain.reviews import Party
from contract_flow.services.reviews import get_review
from tests.e2e.browser.conftest import PHONE, LiveServer, Visitor
from tests.e2e.browser.test_browser_pages import _TOO_WIDE
from tests.e2e.browser.test_browser_scenarios import flash, tab_to
from tests.support.world import World, paris

Shot = Callable[[Page, str], Path]


def fits(page: Page) -> None:
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= window, f"the page is {width} px wide on a {window} px screen: {page.evaluate(_TOO_WIDE)}"


def test_the_tutor_logs_with_the_skill_list_by_keyboard_then_the_mentor_reads_and_acknowledges(
        app: App, world: World, clock: FixedClock, browser: Browser, live: LiveServer, shot: Shot) -> None:
    one = world.one
    clock.set(paris(2027, 4, 20, 17))  # the review planned for 14:00 took place; nobody logged it yet
    tutor_context = browser.new_context(viewport=PHONE, locale="fr-FR")
    tutor = Visitor(tutor_context.new_page(), live).log_in(one.user("tutor").email)
    card = tutor.locator(f"#case-{one.case_id}")
    expect(card.locator("li.late")).to_have_text(
        "En retard : l'entretien du 20/04/2027 14:00 (dû le 01/05/2027) n'a pas de compte rendu.")
    fits(tutor)
    shot(tutor, "tutor-late-375")

    tab_to(tutor, card.get_by_role("link", name="Compte rendu de l'entretien du 20/04/2027"), limit=120)
    tutor.keyboard.press("Enter")
    tutor.wait_for_load_state()
    expect(tutor).to_have_url(f"{live.url}/reviews/{one.planned_review_id}/log")
    skills = tutor.get_by_role("group", name="Compétences évaluées")
    for name in ("Modélisation", "Prototypage", "Stratégie d'entreprise"):  # the programme's list, each labelled
        expect(skills.get_by_label(name, exact=True)).to_have_value("")
    fits(tutor)
    tab_to(tutor, tutor.get_by_label("Maître d'apprentissage", exact=True))
    tutor.keyboard.press("Space")  # the mentor could not come
    tab_to(tutor, skills.get_by_label("Modélisation", exact=True))
    tutor.keyboard.type("E")  # a closed select takes the option its typed text starts: En cours d'acquisition
    tab_to(tutor, skills.get_by_label("Prototypage", exact=True))
    tutor.keyboard.type("M")  # Maîtrisé
    tab_to(tutor, tutor.get_by_label("Observations du tuteur"))
    tutor.keyboard.type("Prototype du bras livré, bien documenté.")
    tutor.keyboard.press("Tab")
    expect(tutor.get_by_label("Prochaines étapes")).to_be_focused()
    tutor.keyboard.type("Intégration sur la ligne en juin.")
    expect(skills.get_by_label("Modélisation", exact=True)).to_have_value("in_progress")
    expect(skills.get_by_label("Prototypage", exact=True)).to_have_value("mastered")
    fits(tutor)
    shot(tutor, "tutor-log-375")
    tab_to(tutor, tutor.get_by_role("button", name="Enregistrer le compte rendu"))
    tutor.keyboard.press("Enter")
    tutor.wait_for_load_state()

    expect(tutor).to_have_url(live.url + "/tutor")
    expect(flash(tutor)).to_have_text("Compte rendu enregistré (2 compétence(s)).")
    held = get_review(app, one.planned_review_id)
    assert held.skills == {"Modélisation": "in_progress", "Prototypage": "mastered"}
    assert held.attended == {Party.APPRENTICE: True, Party.MENTOR: False, Party.TUTOR: True}
    tutor_context.close()

    mentor_context = browser.new_context(viewport=PHONE, locale="fr-FR")
    mentor = Visitor(mentor_context.new_page(), live).log_in(one.user("mentor").email)
    card = mentor.locator(f"#case-{one.case_id}")
    button = card.get_by_role("button", name="Viser le compte rendu du 20/04/2027")
    expect(button).to_be_hidden()  # under the report, which is read first
    summary = card.get_by_text("Lire le compte rendu de l'entretien du 20/04/2027 (Salle B12) puis le viser")
    tab_to(mentor, summary, limit=120)
    mentor.keyboard.press("Enter")
    report = card.locator(f"#review-{one.planned_review_id}")
    for shown in ("Prototype du bras livré, bien documenté.", "Intégration sur la ligne en juin.", "Maîtrisé",
                  "En cours d'acquisition", "Maître d'apprentissage"):
        expect(report).to_contain_text(shown)
    expect(button).to_be_visible()
    fits(mentor)
    shot(mentor, "mentor-reads-375")
    tab_to(mentor, button, limit=20)
    mentor.keyboard.press("Enter")
    mentor.wait_for_load_state()

    expect(flash(mentor)).to_have_text("Compte rendu du 20/04/2027 visé.")
    expect(mentor.get_by_role("button", name="Viser le compte rendu du 20/04/2027")).to_have_count(0)
    assert Party.MENTOR in get_review(app, one.planned_review_id).acknowledged
    fits(mentor)
    mentor_context.close()


_UNLABELLED = """(form) => [...form.querySelectorAll("input, select, textarea")]
    .filter((field) => field.type !== "hidden" && field.labels.length === 0).map((field) => field.name)"""


def test_an_advisor_records_a_review_already_held_in_english_on_a_desktop_by_keyboard(
        app: App, world: World, browser: Browser, live: LiveServer, shot: Shot) -> None:
    one = world.one
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = Visitor(context.new_page(), live).log_in(one.user("advisor").email)
    tab_to(page, page.get_by_role("button", name="EN", exact=True), limit=40)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="EN", exact=True)).to_have_attribute("aria-pressed", "true")
    page.goto(f"{live.url}/cases/{one.case_id}#reviews")
    section = page.get_by_role("region", name="Reviews")
    expect(section).to_contain_text("Report of the review of 20/10/2026")
    link = section.get_by_role("link", name="Record a review already held")
    tab_to(page, link, limit=200)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a review already held")
    form = page.locator("form.log-form")
    assert form.evaluate(_UNLABELLED) == []
    when = page.get_by_label("Date and time of the review (Paris time)")
    tab_to(page, when)
    # Headless Chromium's date-time segments take no typed digits (tried: «19102026», arrows, Tab between them):
    # the field reached with Tab is filled as a whole, as the other browser tests fill theirs.
    when.fill("2026-10-19T10:00")
    expect(when).to_be_focused()
    tab_to(page, page.get_by_label("Place or video link"), limit=8)  # past the date-time's segments
    page.keyboard.type("Atelier 3")
    expect(page.get_by_label("Place or video link")).to_have_value("Atelier 3")
    tab_to(page, page.get_by_label("Systèmes mécatroniques", exact=True))
    page.keyboard.type("A")  # Acquired
    expect(page.get_by_label("Systèmes mécatroniques", exact=True)).to_have_value("acquired")
    tab_to(page, page.get_by_label("Next steps"))
    page.keyboard.type("Commissioning in June.")
    shot(page, "record-en-desktop")
    tab_to(page, page.get_by_role("button", name="Record the review and its report"))
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    expect(page).to_have_url(f"{live.url}/cases/{one.case_id}")
    expect(flash(page)).to_have_text("Review of 19/10/2026 recorded with its report (1 skill(s)): it covers the "
                                     "review due by 01/11/2027.")
    expect(page.get_by_role("region", name="Reviews")).to_contain_text("Commissioning in June.")
    context.close()

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

"""Issue 6's scenarios in Chromium, through the pages as a person uses them: labelled fields filled, buttons
clicked (or reached with Tab and pressed with Enter), what the page then says checked, a screenshot of each page.

The data each scenario needs is set up with the services on the test's app before the browser opens a page; the
server runs on that same app and its clock (the `clock` fixture), so moving the clock between steps moves it for
the pages too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App
from contract_flow.services.cases import advance, set_facts, show
from contract_flow.services.inbox import inbox
from contract_flow.services.reviews import list_reviews
from tests.e2e.browser.conftest import Visitor
from tests.support.cases import PATH
from tests.support.world import World, paris

Shot = Callable[[Page, str], Path]
PROJECT = PATH[0][1]
APPLICATION = PATH[1][1]


def at_apply(app: App, world: World) -> int:
    """CFA one's neighbour (Nina Voisin, opened at reflect) moved to apply, with an application recorded."""
    case_id = world.one.neighbour_id
    advisor = world.one.user("advisor").email
    set_facts(app, case_id, PROJECT, actor_email=advisor)
    advance(app, case_id, "start_applying", actor_email=advisor)
    set_facts(app, case_id, APPLICATION, actor_email=advisor)
    return case_id


def trial_end(app: App, case_id: int) -> date:
    end: date | None = show(app, case_id).case.contract.trial_end
    assert end is not None
    return end


def french(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def flash(page: Page) -> Locator:
    """The status message a page shows once after a form was sent."""
    return page.locator("main p.flash[role=status]")


def tab_to(page: Page, target: Locator, *, limit: int = 80) -> None:
    """Press Tab until `target` has the focus, as someone without a mouse would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reachable with Tab in {limit} presses")


# -- 1. an advisor moves a case ----------------------------------------------------------------------------------

def test_an_advisor_moves_a_case_from_apply_to_convince_and_sees_it_in_the_timeline(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    case_id = at_apply(app, world)
    page = visitor.log_in(world.one.user("advisor").email)
    expect(page).to_have_url(visitor.live.url + "/board")
    apply_column = page.get_by_role("region", name=re.compile(r"2\. Candidater"))
    expect(apply_column.get_by_role("link", name=re.compile("Nina Voisin"))).to_be_visible()
    shot(page, "board")

    apply_column.get_by_role("link", name=re.compile("Nina Voisin")).click()
    expect(page).to_have_url(f"{visitor.live.url}/cases/{case_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossier de Nina Voisin")
    expect(page.locator(".states li[aria-current=step]")).to_contain_text("2. Candidater")
    shot(page, "case-at-apply")

    page.get_by_label("Motif pour « Présélectionner »").fill("entretien le 3")
    page.get_by_role("button", name="Présélectionner", exact=True).click()

    expect(flash(page)).to_have_text("Dossier passé à « Convaincre ».")
    expect(page.locator(".states li[aria-current=step]")).to_contain_text("3. Convaincre")
    expect(page.locator(".case-status .badge")).to_have_text("Convaincre")
    timeline = page.get_by_role("region", name="Historique")
    move = timeline.locator("li").filter(has_text="Candidater → Convaincre")
    expect(move).to_have_count(1)
    expect(move).to_contain_text("Présélectionner")
    expect(move).to_contain_text("Motif : entretien le 3")
    expect(move).to_contain_text(world.one.user("advisor").email)
    shot(page, "case-at-convince")
    assert show(app, case_id).case.state == "convince"


# -- 2. a guard's refusal, with its reason -----------------------------------------------------------------------

def test_a_blocked_move_shows_why_and_a_refused_move_says_why_and_changes_nothing(
        app: App, world: World, clock: FixedClock, visitor: Visitor, shot: Shot) -> None:
    one = world.one
    page = visitor.log_in(one.user("advisor").email)

    # A case at reflect with no project: "Passer aux candidatures" is blocked, and the page says why.
    visitor.open(f"/cases/{one.neighbour_id}")
    blocked = page.locator("ul.blocked > li").filter(has_text="Passer aux candidatures")
    expect(blocked).to_contain_text("il faut un projet professionnel")
    expect(blocked).to_contain_text("project.target_job")
    expect(page.get_by_role("button", name="Passer aux candidatures")).to_have_count(0)
    # the form that unblocks it is open at this step, its fields labelled
    expect(page.get_by_label("Métier visé")).to_be_visible()
    expect(page.get_by_label("Zone de mobilité")).to_be_visible()
    shot(page, "blocked-move")

    # The page was loaded once the trial was over; by the time the button is pressed, the guard says no.
    end = trial_end(app, one.case_id)
    after_end = paris(end.year, end.month, end.day) + timedelta(days=1)
    clock.set(after_end)
    visitor.open(f"/cases/{one.case_id}")
    button = page.get_by_role("button", name="Clore la période d'essai")
    expect(button).to_be_visible()
    shot(page, "trial-over")
    clock.set(paris(end.year, end.month, end.day) - timedelta(days=1))
    version = show(app, one.case_id).case.version
    button.click()

    refusal = page.get_by_role("alert").filter(has_text="refusé")
    expect(refusal).to_contain_text("« Clore la période d'essai » refusé :")
    expect(refusal).to_contain_text(f"l'essai court jusqu'au {end.strftime('%d/%m/%Y')} inclus")
    expect(page.locator(".case-status .badge")).to_have_text("Période d'essai")
    shot(page, "refused-move")
    assert show(app, one.case_id).case.state == "trial"
    assert show(app, one.case_id).case.version == version


# -- 3. a tutor plans a review and logs one ----------------------------------------------------------------------

def test_a_tutor_plans_a_review_then_logs_one_with_skills_and_levels(
        app: App, world: World, clock: FixedClock, visitor: Visitor, shot: Shot) -> None:
    one = world.one
    page = visitor.log_in(one.user("tutor").email)
    expect(page).to_have_url(visitor.live.url + "/tutor")
    apprentice = page.locator(f"#case-{one.case_id}")
    expect(apprentice).to_contain_text("20/04/2027 14:00 · Salle B12")
    shot(page, "tutor")

    apprentice.get_by_role("link", name="Planifier un entretien").click()
    expect(page).to_have_url(f"{visitor.live.url}/cases/{one.case_id}/reviews/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Planifier un entretien tripartite")
    expect(page.get_by_text("marie.maitre@industrie.example")).to_be_visible()
    shot(page, "plan-form")
    page.get_by_label("Date et heure (heure de Paris)").fill("2027-10-20T14:00")
    page.get_by_label("Lieu ou lien de visio").fill("https://visio.example/b12")
    page.get_by_role("button", name="Planifier l'entretien").click()

    expect(page).to_have_url(visitor.live.url + "/tutor")
    expect(flash(page)).to_contain_text("Entretien planifié le 20/10/2027 14:00 (https://visio.example/b12)")
    shot(page, "planned")
    planned = [review for review in list_reviews(app, one.case_id)
               if review.id not in (one.held_review_id, one.planned_review_id)]
    assert [(review.planned_at, review.place) for review in planned] == [
        (paris(2027, 10, 20, 14), "https://visio.example/b12")]

    # April 2027: the review planned in the world took place; the tutor records it.
    clock.set(paris(2027, 4, 20, 17))
    page.reload()
    page.get_by_role("link", name="Compte rendu de l'entretien du 20/04/2027").click()
    expect(page).to_have_url(f"{visitor.live.url}/reviews/{one.planned_review_id}/log")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compte rendu d'entretien")
    for party in ("Apprenti·e", "Maître d'apprentissage", "Tuteur·rice"):
        expect(page.get_by_label(party, exact=True)).to_be_checked()
    shot(page, "log-form")
    page.get_by_label("Maître d'apprentissage", exact=True).uncheck()
    # The programme's skill list (configs/programmes/mecatronique.toml), each skill with its level select.
    page.get_by_label("Prototypage", exact=True).select_option(label="Maîtrisé")
    page.get_by_label("Modélisation", exact=True).select_option(label="En cours d'acquisition")
    page.get_by_label("Observations du tuteur").fill("Progrès nets.")
    page.get_by_label("Intégration", exact=True).select_option(label="Acquis")
    page.get_by_label("Prochaines étapes").fill("Autonomie sur la cellule.")
    shot(page, "log-filled")
    page.get_by_role("button", name="Enregistrer le compte rendu").click()

    expect(page).to_have_url(visitor.live.url + "/tutor")
    expect(flash(page)).to_have_text("Compte rendu enregistré (3 compétence(s)).")
    expect(page.locator(f"#case-{one.case_id}")).to_contain_text("20/04/2027 · tenu")
    shot(page, "logged")
    held = next(review for review in list_reviews(app, one.case_id) if review.id == one.planned_review_id)
    assert held.state == "held"
    assert held.skills == {"Prototypage": "mastered", "Modélisation": "in_progress", "Intégration": "acquired"}
    assert held.attended == {"apprentice": True, "mentor": False, "tutor": True}
    assert (held.tutor_observations, held.next_steps) == ("Progrès nets.", "Autonomie sur la cellule.")


# -- 4. a mentor records an absence ------------------------------------------------------------------------------

def test_a_mentor_records_an_absence_and_the_trial_end_moves(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    one = world.one
    before = trial_end(app, one.case_id)
    page = visitor.log_in(one.user("mentor").email)
    expect(page).to_have_url(visitor.live.url + "/mentor")
    apprentice = page.locator(f"#case-{one.case_id}")
    expect(apprentice.locator(".trial-end")).to_have_text(french(before))
    shot(page, "mentor")

    apprentice.get_by_role("link", name="Déclarer une absence").click()
    expect(page).to_have_url(f"{visitor.live.url}/cases/{one.case_id}/absences/new")
    expect(page.get_by_text(f"fin de l'essai actuelle : {french(before)}")).to_be_visible()
    shot(page, "absence-form")
    page.get_by_label("Premier jour d'absence").fill("2026-10-12")
    page.get_by_label("Dernier jour d'absence").fill("2026-10-14")
    page.get_by_label("Motif").fill("arrêt maladie")
    page.get_by_role("button", name="Enregistrer l'absence").click()

    expect(page).to_have_url(visitor.live.url + "/mentor")
    after = trial_end(app, one.case_id)
    assert after > before
    expect(flash(page)).to_have_text(f"Absence du 12/10/2026 au 14/10/2026 enregistrée : la période d'essai se "
                                     f"termine désormais le {french(after)}.")
    expect(page.locator(f"#case-{one.case_id} .trial-end")).to_have_text(french(after))
    shot(page, "absence-recorded")

    page.locator(f"#case-{one.case_id}").get_by_role("link", name="Voir le dossier").click()
    facts = page.get_by_role("region", name="Faits du dossier")
    expect(facts.locator("dt", has_text="Fin de la période d'essai").locator("+ dd")).to_have_text(french(after))
    expect(page.get_by_role("region", name="Historique")).to_contain_text("Absence enregistrée")
    shot(page, "case")


# -- 5. an apprentice reads a reminder ---------------------------------------------------------------------------

def test_an_apprentice_reads_a_reminder_in_the_inbox_and_marks_it_read(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    one = world.one
    email = one.user("apprentice").email
    [message] = [item for item in inbox(app, email) if item.id == one.message_id]
    page = visitor.log_in(email)
    expect(page).to_have_url(visitor.live.url + "/me")
    shot(page, "me")

    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Messages").click()
    expect(page).to_have_url(visitor.live.url + "/inbox")
    item = page.locator(f"#m-{one.message_id}")
    expect(item).to_have_class(re.compile(r"\bunread\b"))
    expect(item.locator(".badge")).to_have_text("nouveau")
    expect(item.locator(".body")).to_be_hidden()  # folded until opened
    shot(page, "inbox")

    item.get_by_text(message.subject).click()
    expect(item.locator(".body")).to_be_visible()
    expect(item.locator(".body")).to_contain_text(message.body.strip().splitlines()[0].strip())
    shot(page, "message-open")
    item.get_by_role("button", name="Marquer comme lu").click()

    expect(page).to_have_url(re.compile(r"/inbox"))
    item = page.locator(f"#m-{one.message_id}")
    expect(item).not_to_have_class(re.compile(r"\bunread\b"))
    expect(item.locator(".badge")).to_have_count(0)
    expect(item.locator(".body")).to_be_visible()  # the message stays open where it was read
    expect(item).to_contain_text("Lu le")
    expect(item.get_by_role("button", name="Marquer comme lu")).to_have_count(0)
    shot(page, "message-read")
    assert next(m for m in inbox(app, email) if m.id == one.message_id).read_at is not None


# -- 6. an apprentice cannot open another's case -----------------------------------------------------------------

def test_an_apprentice_cannot_open_anothers_case_by_url(
        world: World, visitor: Visitor, shot: Shot) -> None:
    page = visitor.log_in(world.one.user("apprentice").email)
    for name, other in (("other-cfa", world.two.case_id), ("neighbour", world.one.neighbour_id)):
        answer = page.goto(f"{visitor.live.url}/cases/{other}")
        assert answer is not None
        assert answer.status == 404, name
        expect(page.get_by_role("heading", level=1)).to_have_text("Introuvable")
        expect(page.get_by_role("alert")).to_be_visible()
        expect(page.get_by_text("Nina")).to_have_count(0)
        expect(page.get_by_text("Hugo")).to_have_count(0)
        shot(page, f"not-found-{name}")
    own = page.goto(f"{visitor.live.url}/cases/{world.one.case_id}")
    assert own is not None
    assert own.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossier de Léa Martin")
    shot(page, "own-case")


# -- 8. the keyboard alone ---------------------------------------------------------------------------------------

def test_an_advisor_moves_a_case_with_the_keyboard_alone(
        app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    case_id = at_apply(app, world)
    page = visitor.log_in(world.one.user("advisor").email)
    visitor.open(f"/cases/{case_id}")
    reason = page.get_by_label("Motif pour « Présélectionner »")
    button = page.get_by_role("button", name="Présélectionner", exact=True)

    tab_to(page, reason)
    page.keyboard.type("appel de l'entreprise")
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    outline = button.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"  # the focus can be seen
    shot(page, "button-focused")
    page.keyboard.press("Enter")

    expect(flash(page)).to_have_text("Dossier passé à « Convaincre ».")
    expect(page.get_by_role("region", name="Historique").locator("li").filter(
        has_text="Candidater → Convaincre")).to_contain_text("Motif : appel de l'entreprise")
    shot(page, "moved")
    assert show(app, case_id).case.state == "convince"

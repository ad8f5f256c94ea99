"""Every page of every role at a phone's width (375 px) and a desktop's: nothing wider than the screen (a wide table
scrolls inside its .table-wrap, the page itself does not), and a screenshot of each page at both widths under
tests/artifacts/ (test_every_page_of_<role>...-<page>-phone.png / -desktop.png)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, ViewportSize, expect

from contract_flow.bootstrap import App
from tests.e2e.browser.conftest import DESKTOP, PHONE, Visitor
from tests.support.cases import open_candidate, walk
from tests.support.world import World

Shot = Callable[[Page, str], Path]
SIZES = (("phone", ViewportSize(width=PHONE["width"], height=PHONE["height"])),
         ("desktop", ViewportSize(width=DESKTOP["width"], height=DESKTOP["height"])))

#: The elements and texts sticking out of the window's right edge (those scrolling inside a .table-wrap aside),
#: for the failure message: a long word overflows its box without widening it, so text nodes are measured too.
_TOO_WIDE = """() => {
    const wide = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node && wide.length < 8; node = walker.nextNode()) {
        const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
        if (element.parentElement && element.parentElement.closest(".table-wrap")) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const box = node.nodeType === Node.TEXT_NODE ? range.getBoundingClientRect() : node.getBoundingClientRect();
        if (box.right > window.innerWidth + 0.5)
            wide.push(`${element.tagName.toLowerCase()}.${element.className} `
                      + `${JSON.stringify((node.textContent || "").trim().slice(0, 40))} ${Math.round(box.right)}px`);
    }
    return wide;
}"""

CSV = ("programme,first_name,last_name,birth_date,email\n"
       "mecatronique,Alice,Dupont,2005-03-04,alice.dupont-avec-une-adresse-tres-longue@example.org\n"
       "mecatronique,Bob,Durand,04/03/2005,bob.durand@example.org\n"
       "autre,Chloé,Martin,2005-03-04,chloe.martin@example.org\n")


def waiting_for_the_lead(app: App, world: World) -> int:
    """A case of CFA one at step 5 (decide): the programme lead's page then has a project to validate."""
    case_id = open_candidate(app, first_name="Zoé", last_name="Projet-Avec-Un-Nom-Composé-Assez-Long",
                             email="zoe.projet@example.org")
    walk(app, case_id, "decide", advisor=world.one.user("advisor").email,
         lead=world.one.user("programme_lead").email)
    return case_id


#: Every field a person fills has a name a screen reader reads: a <label>, or aria-label(ledby) for a field whose
#: label is elsewhere by design. Hidden inputs (CSRF token, version) are not fields.
_UNLABELLED = """[...document.querySelectorAll('input, select, textarea')]
    .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label')
                 && !e.getAttribute('aria-labelledby'))
    .map(e => e.outerHTML.slice(0, 120))"""


def check(page: Page, shot: Shot, name: str) -> None:
    """The page as it is now has a label on every field and fits a phone's width and a desktop's; a screenshot
    at each."""
    assert page.evaluate(_UNLABELLED) == [], f"{name} has fields without a label"
    for label, size in SIZES:
        page.set_viewport_size(size)
        width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= window, f"{name} is {width} px wide on a {window} px screen: {page.evaluate(_TOO_WIDE)}"
        shot(page, f"{name}-{label}")


def visit(visitor: Visitor, shot: Shot, name: str, path: str, *, status: int = 200) -> Page:
    visitor.page.set_viewport_size(SIZES[0][1])
    answer = visitor.page.goto(visitor.live.url + path)
    assert answer is not None
    assert answer.status == status, (path, answer.status)
    expect(visitor.page.locator("main")).to_be_visible()
    check(visitor.page, shot, name)
    return visitor.page


def _advisor(app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    one = world.one
    visitor.log_in(one.user("advisor").email)
    visit(visitor, shot, "board", "/board")
    visit(visitor, shot, "board-reflect", "/board?state=reflect")
    visit(visitor, shot, "board-trial", "/board?state=trial")
    visit(visitor, shot, "risk", "/risk")
    visit(visitor, shot, "inbox", "/inbox")
    visit(visitor, shot, "case-in-trial", f"/cases/{one.case_id}")
    visit(visitor, shot, "absence", f"/cases/{one.case_id}/absences/new")
    page = visit(visitor, shot, "case-at-reflect", f"/cases/{one.neighbour_id}")
    page.get_by_label("Motif pour « Abandonner »").fill("a trouvé une autre formation")
    page.get_by_role("button", name="Abandonner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer : Abandonner")
    check(page, shot, "confirm")
    page = visit(visitor, shot, "import", "/import")
    page.get_by_label("Fichier CSV ou Excel (.xlsx)").set_input_files(
        FilePayload(name="cases.csv", mimeType="text/csv", buffer=CSV.encode()))
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_role("heading", name="Ce que l'import ferait, ligne par ligne")).to_be_visible()
    check(page, shot, "import-preview")
    page.get_by_role("button", name="Importer 2 dossier(s)").click()
    expect(page.get_by_role("heading", name="Rapport ligne par ligne")).to_be_visible()
    check(page, shot, "import-report")


def _programme_lead(app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    case_id = waiting_for_the_lead(app, world)
    visitor.log_in(world.one.user("programme_lead").email)
    page = visit(visitor, shot, "lead", "/lead")
    expect(page.locator(f"#case-{case_id}")).to_be_visible()
    visit(visitor, shot, "board", "/board")
    visit(visitor, shot, "risk", "/risk")
    visit(visitor, shot, "inbox", "/inbox")
    visit(visitor, shot, "case-at-decide", f"/cases/{case_id}")


def _tutor(app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    one = world.one
    visitor.log_in(one.user("tutor").email)
    visit(visitor, shot, "tutor", "/tutor")
    visit(visitor, shot, "inbox", "/inbox")
    visit(visitor, shot, "case", f"/cases/{one.case_id}")
    visit(visitor, shot, "plan-review", f"/cases/{one.case_id}/reviews/new")
    visit(visitor, shot, "log-review-early", f"/reviews/{one.planned_review_id}/log")
    visit(visitor, shot, "log-review-held", f"/reviews/{one.held_review_id}/log")


def _mentor(app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    one = world.one
    visitor.log_in(one.user("mentor").email)
    visit(visitor, shot, "mentor", "/mentor")
    visit(visitor, shot, "inbox", "/inbox")
    visit(visitor, shot, "case", f"/cases/{one.case_id}")
    visit(visitor, shot, "absence", f"/cases/{one.case_id}/absences/new")


def _apprentice(app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    one = world.one
    visit(visitor, shot, "login", "/login")
    visitor.log_in(one.user("apprentice").email)
    visit(visitor, shot, "me", "/me")
    visit(visitor, shot, "inbox", f"/inbox?open={one.message_id}")
    visit(visitor, shot, "case", f"/cases/{one.case_id}")
    visit(visitor, shot, "not-found", f"/cases/{world.two.case_id}", status=404)
    visit(visitor, shot, "forbidden", "/board", status=403)


ROLES: dict[str, Callable[[App, World, Visitor, Shot], None]] = {
    "advisor": _advisor, "programme_lead": _programme_lead, "tutor": _tutor, "mentor": _mentor,
    "apprentice": _apprentice}


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_a_role_fits_a_phone_and_a_desktop(
        role: str, app: App, world: World, visitor: Visitor, shot: Shot) -> None:
    ROLES[role](app, world, visitor, shot)

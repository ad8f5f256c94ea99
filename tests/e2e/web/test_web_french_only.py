"""No English on a French page (issue 15, items 6 and 10): every page of every role, read in French, shows none of
the English catalogue's words (web/locales/en/*.toml, labels/en.toml, the engine's reasons in English) where the
French say something else. Text marked lang="en" (what only exists in English, such as a rule set's own sentence)
and code (fact keys, article numbers) are set aside: a screen reader says them in English on purpose."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from fastapi.testclient import TestClient

from contract_flow import labels
from contract_flow.domain.reason_texts import TEXTS
from contract_flow.web.i18n import catalogue
from tests.e2e.web.conftest import Site

#: The elements whose text is no page's words.
_SKIPPED = {"script", "style", "code", "template", "title"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _VisibleText(HTMLParser):
    """The text a person reads in French: outside scripts, code and anything marked lang="en"."""

    def __init__(self, aside: str = "en") -> None:
        super().__init__(convert_charrefs=True)
        self.aside = aside  # the other language: text marked in it is said in it on purpose
        self.stack: list[bool] = []  # for each open element: is its text set aside?
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        inside = bool(self.stack) and self.stack[-1]
        marked = tag != "html" and dict(attrs).get("lang") == self.aside  # the page's own language is no mark
        self.stack.append(inside or tag in _SKIPPED or marked)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str, aside: str = "en") -> str:
    reader = _VisibleText(aside)
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())


def _fragments(english: str) -> list[str]:
    """The words of an English text between its placeholders, those long enough to be English and not a name."""
    return [part for part in (" ".join(piece.split()) for piece in re.split(r"\{[^}]*\}", english))
            if " " in part and len(part) >= 12]


@cache
def english_only() -> frozenset[str]:
    """Every fragment of the English catalogues whose French differs, and which no French text also contains."""
    french_pages, english_pages = catalogue("fr"), catalogue("en")
    pairs = [(english_pages[key], french_pages.get(key, "")) for key in english_pages]
    pairs += [(words.en, words.fr) for words in TEXTS.values()]
    french_all = " ".join([*french_pages.values(), *labels.catalogue("fr").values(),
                           *(words.fr for words in TEXTS.values())])
    return frozenset(fragment for english, french in pairs if english != french
                     for fragment in _fragments(english) if fragment not in french_all)


def english_on(client: TestClient, path: str) -> list[str]:
    answer = client.get(path)
    assert answer.status_code < 500, (path, answer.status_code)
    text = visible_text(answer.text)
    return sorted(fragment for fragment in english_only() if fragment in text)


@cache
def french_only() -> frozenset[str]:
    """Every fragment of the French catalogues whose English differs, and which no English text also contains."""
    french_pages, english_pages = catalogue("fr"), catalogue("en")
    pairs = [(french_pages[key], english_pages.get(key, "")) for key in french_pages]
    pairs += [(words.fr, words.en) for words in TEXTS.values()]
    english_all = " ".join([*english_pages.values(), *labels.catalogue("en").values(),
                            *(words.en for words in TEXTS.values())])
    return frozenset(fragment for french, english in pairs if french != english
                     for fragment in _fragments(french) if fragment not in english_all)


def french_on(client: TestClient, path: str) -> list[str]:
    answer = client.get(path)
    assert answer.status_code < 500, (path, answer.status_code)
    text = visible_text(answer.text, aside="fr")
    return sorted(fragment for fragment in french_only() if fragment in text)


def test_the_english_catalogue_is_long_enough_to_catch_a_page_left_in_english() -> None:
    """The test is not vacuous: the catalogue yields hundreds of fragments, a guard's reason among them."""
    assert len(english_only()) > 200
    assert "may only be done by a programme lead" in " ".join(english_only())


def test_the_same_scan_finds_english_on_a_page_read_in_english(site: Site) -> None:
    """The scan reads the pages' words: a case page whose moves are blocked, switched to English, is caught."""
    client = site.as_("advisor")
    path = f"/cases/{site.world.one.neighbour_id}"
    assert english_on(client, path) == []
    site.post_form(client, path, "/language", {"lang": "en", "next": path})
    assert english_on(client, path) != []


def _pages(site: Site) -> dict[str, list[str]]:
    """Every page of every role of the test world."""
    one, two = site.world.one, site.world.two
    return {
        "advisor": ["/board", "/board?state=reflect", "/board?state=trial", "/risk", "/inbox", "/me/todo",
                    f"/cases/{one.case_id}", f"/cases/{one.neighbour_id}", f"/cases/{one.case_id}/absences/new",
                    f"/cases/{one.case_id}/dossier", "/cases/new", "/import", "/invoices", "/admin/users",
                    "/admin/programmes", f"/reviews/{one.held_review_id}", f"/cases/{two.case_id}"],
        "programme_lead": ["/lead", "/board", "/risk", "/inbox", "/me/todo", f"/cases/{one.case_id}"],
        "tutor": ["/tutor", "/inbox", "/me/todo", f"/cases/{one.case_id}", f"/cases/{one.case_id}/reviews/new",
                  f"/reviews/{one.planned_review_id}/log", f"/reviews/{one.held_review_id}/log",
                  f"/reviews/{one.held_review_id}"],
        "mentor": ["/mentor", "/inbox", "/me/todo", f"/cases/{one.case_id}", f"/cases/{one.case_id}/absences/new",
                   f"/cases/{one.case_id}/dossier", f"/reviews/{one.held_review_id}"],
        "apprentice": ["/me", "/inbox", f"/inbox?open={one.message_id}", "/me/todo", f"/cases/{one.case_id}",
                       f"/cases/{two.case_id}", "/board"],
    }


def test_no_page_of_any_role_shows_english_in_french(site: Site) -> None:
    found: dict[str, list[str]] = {}
    for role, paths in _pages(site).items():
        client = site.as_(role)
        for path in paths:
            english = english_on(client, path)
            if english:
                found[f"{role} {path}"] = english
    login = english_on(site.anonymous(), "/login")
    if login:
        found["/login"] = login
    assert found == {}, "\n".join(f"{page}: {english}" for page, english in found.items())


def test_no_page_of_any_role_shows_french_when_english_is_asked_for(site: Site) -> None:
    """The same pages, each role having chosen English: none of the French catalogues' words are left. The inbox is
    set aside: its messages are kept as they were written when sent (in the recipient's language then, French in
    the test world), and a message row does not record its language for the page to mark it."""
    assert french_on(site.as_("advisor"), "/board") != []  # the scan is not vacuous: it reads French where it is
    found: dict[str, list[str]] = {}
    for role, paths in _pages(site).items():
        client = site.as_(role)
        site.post_form(client, paths[0], "/language", {"lang": "en", "next": paths[0]})
        for path in (path for path in paths if not path.startswith("/inbox")):
            french = french_on(client, path)
            if french:
                found[f"{role} {path}"] = french
    assert found == {}, "\n".join(f"{page}: {french}" for page, french in found.items())


def _refused_forms(site: Site) -> list[tuple[str, str, str, dict[str, str | list[str]]]]:
    """Forms sent wrong, each as its user would (role, the page holding the form, its action, what was typed)."""
    one = site.world.one
    case, dossier = f"/cases/{one.case_id}", f"/cases/{one.case_id}/dossier"
    return [
        ("advisor", "/cases/new", "/cases/new", {"first_name": "", "last_name": "", "email": "pas-une-adresse",
                                                 "birth_date": "31/02/2004"}),
        ("advisor", f"{case}/absences/new", f"{case}/absences", {"first_day": "2026-10-09", "last_day": "2026-10-05"}),
        ("advisor", case, f"{case}/amendments", {"effective_on": "demain", "reason": ""}),
        ("advisor", case, f"{case}/filing", {"filed_on": "hier", "opco_name": ""}),
        ("advisor", case, f"{case}/opco-decision", {"decision": "peut-être", "decided_on": ""}),
        ("advisor", dossier, f"{dossier}/apprentice", {"nir": "123", "birth_date": "32/01/2004"}),
        ("advisor", "/admin/users/new", "/admin/users/new", {"email": "pas-une-adresse", "name": "",
                                                             "role": "pape", "password": "court"}),
        ("advisor", "/admin/programmes/new", "/admin/programmes/new", {"code": "é é", "name": "",
                                                                       "start_date": "bientôt"}),
        ("tutor", f"{case}/reviews/new", f"{case}/reviews", {"planned_at": "jamais", "place": ""}),
        ("tutor", f"/reviews/{one.planned_review_id}/log", f"/reviews/{one.planned_review_id}/log",
         {"held_at": "", "summary": ""}),
        ("mentor", f"{case}/absences/new", f"{case}/absences", {"first_day": "", "last_day": ""}),
    ]


def test_no_refused_form_says_its_errors_in_english(site: Site) -> None:
    """Each form sent wrong comes back with its errors, every one of them in French (issue 15, item 10)."""
    found: dict[str, list[str]] = {}
    for role, page, action, typed in _refused_forms(site):
        client = site.as_(role)
        answer = site.post_form(client, page, action, typed)
        assert answer.status_code < 500, (action, answer.status_code)  # type: ignore[attr-defined]
        html = answer.text  # type: ignore[attr-defined]
        assert 'class="error"' in html or 'role="alert"' in html, (role, action, answer.status_code)  # type: ignore[attr-defined]
        text = visible_text(html)
        english = sorted(fragment for fragment in english_only() if fragment in text)
        if english:
            found[f"{role} POST {action}"] = english
    assert found == {}, "\n".join(f"{form}: {english}" for form, english in found.items())

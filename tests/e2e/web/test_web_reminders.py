"""Reminders readable on the pages: the case page's ledger names kinds and statuses in the page's language, with
the cancelled and expired rows (and why) behind a toggle; the inbox groups messages by case and marks all read."""

from __future__ import annotations

import re
from dataclasses import replace

import sqlalchemy as sa

from contract_flow.adapters.ledger import CANCELLED, EXPIRED, PLANNED, SENT, SUPERSEDED_REASON
from contract_flow.adapters.tables import reminder_table
from contract_flow.labels import label
from contract_flow.services.inbox import inbox
from contract_flow.services.reminders import ledger
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site, csrf_of

#: A code as the ledger stores it ("search_window", "review_invitation"): never shown in a cell of the page.
_CODE_IN_CELL = re.compile(r"<td>[a-z]+(?:_[a-z]+)+</td>|>(?:planned|sending|sent|failed|cancelled|expired)</span>")


def _set_aside_two_rows(site: Site, case_id: int) -> tuple[int, int]:
    """One of the case's planned rows cancelled, another expired as superseded: (cancelled id, expired id)."""
    planned = [row.id for row in ledger(site.app, case_id) if row.status == PLANNED]
    assert len(planned) >= 2, "the case needs two planned reminders"
    cancelled, expired = planned[:2]
    with site.app.uow() as uow:
        uow.execute(sa.update(reminder_table).where(reminder_table.c.id == cancelled).values(status=CANCELLED))
        uow.execute(sa.update(reminder_table).where(reminder_table.c.id == expired)
                    .values(status=EXPIRED, reason=SUPERSEDED_REASON))
        uow.commit()
    return cancelled, expired


def _ledger_parts(html: str) -> tuple[str, str]:
    """The ledger section split at its toggle: (the rows shown, the rows behind the toggle)."""
    section = html[html.index('aria-labelledby="ledger-title"'):]
    section = section[:section.index("</section>")]
    shown, _, toggled = section.partition('<details class="set-aside">')
    return shown, toggled


def test_the_french_case_page_names_kinds_and_statuses_and_hides_cancelled_and_expired_rows(site: Site) -> None:
    case_id = site.world.one.case_id
    _set_aside_two_rows(site, case_id)
    rows = ledger(site.app, case_id)
    set_aside = [row for row in rows if row.status in (CANCELLED, EXPIRED)]
    kept = [row for row in rows if row.status not in (CANCELLED, EXPIRED)]
    assert kept
    assert any(row.status == SENT for row in kept)
    html = site.as_("advisor").get(f"/cases/{case_id}").text
    shown, toggled = _ledger_parts(html)
    assert toggled, "no toggle for the cancelled and expired rows"
    assert f"<summary>Annulées et expirées ({len(set_aside)})</summary>" in toggled
    assert shown.count("<tr") == len(kept) + 1  # and its heading
    assert toggled.count("<tr") == len(set_aside) + 1
    for row in kept:
        assert f"<td>{label('reminder_kind', row.kind, 'fr')}</td>" in shown.replace("&#39;", "'")
    assert "envoyée" in shown
    assert "prévue" in shown
    assert "annulée" not in shown
    assert "expirée" not in shown
    assert ">annulée</span>" in toggled
    assert ">expirée</span>" in toggled
    assert "remplacée par une étape plus récente de la même série" in toggled  # why the expired row was not sent
    assert "Les faits qui la motivaient ont changé." in toggled
    for row in rows:
        assert f"({label('role', row.recipient_role, 'fr')})" in (shown + toggled).replace("&#39;", "'")
    assert _CODE_IN_CELL.findall(shown + toggled) == []


def test_the_english_case_page_names_them_in_english(site: Site) -> None:
    case_id = site.world.one.case_id
    _set_aside_two_rows(site, case_id)
    client = site.as_("advisor")
    page = client.get(f"/cases/{case_id}")
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf_of(page.text)})
    shown, toggled = _ledger_parts(client.get(f"/cases/{case_id}").text)
    assert "Three-party review invitation" in shown
    assert ">sent</span>" in shown
    assert "<summary>Cancelled and expired (" in toggled
    assert "replaced by a later step of the same series" in toggled
    assert "Invitation à l" not in shown + toggled


def test_a_case_with_nothing_set_aside_has_no_toggle(site: Site) -> None:
    case_id = site.world.one.neighbour_id
    assert all(row.status not in (CANCELLED, EXPIRED) for row in ledger(site.app, case_id))
    shown, toggled = _ledger_parts(site.as_("advisor").get(f"/cases/{case_id}").text)
    assert toggled == ""
    assert "Recherche sans évolution" in shown


def _message_about_the_neighbour(site: Site, email: str) -> int:
    """A message to `email` about CFA one's neighbour case, which they may not open (as a mentor keeps the
    messages of a contract broken since)."""
    row = next(row for row in ledger(site.app, site.world.one.neighbour_id) if row.status == PLANNED)
    with site.app.uow() as uow:
        uow.ledger.add_inbox_message(replace(row, recipient=email), "Dossier de Nina Voisin", "Un message.",
                                     site.app.clock.now())
        uow.commit()
    return next(item.id for item in inbox(site.app, email) if item.case_id == site.world.one.neighbour_id)


def test_the_inbox_groups_messages_by_case_linking_only_the_cases_one_may_open(site: Site) -> None:
    one = site.world.one
    apprentice = one.user("apprentice").email
    other = _message_about_the_neighbour(site, apprentice)
    html = site.as_("apprentice").get("/inbox").text
    sections = re.findall(r'<section class="inbox-case".*?</section>', html, re.S)
    assert len(sections) == 2
    [own] = [section for section in sections if f'id="m-{one.message_id}"' in section]
    [neighbour] = [section for section in sections if f'id="m-{other}"' in section]
    assert f'<a href="/cases/{one.case_id}">Léa Martin</a>' in own
    assert "Nina Voisin" in neighbour
    assert "/cases/" not in neighbour  # no link to a case they would get a 404 for
    assert "Invitation à l&#39;entretien tripartite" in own  # the kind, named
    assert "review_invitation" not in html
    assert "Tout marquer comme lu" in html


def test_mark_all_as_read_reads_only_the_persons_own_messages(site: Site) -> None:
    one = site.world.one
    apprentice, tutor = one.user("apprentice").email, one.user("tutor").email
    _message_about_the_neighbour(site, apprentice)
    unread_before = [item.id for item in inbox(site.app, apprentice, unread_only=True)]
    assert len(unread_before) >= 2
    tutors_unread = {item.id for item in inbox(site.app, tutor, unread_only=True)}
    assert tutors_unread
    client = site.as_("apprentice")
    page = client.get("/inbox")
    assert 'action="/inbox/read-all"' in page.text
    answer = client.post("/inbox/read-all", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert answer.status_code == 303
    after = client.get(answer.headers["location"]).text
    assert f"{len(unread_before)} message(s) marqué(s) comme lu(s)." in after
    assert "Tout marquer comme lu" not in after  # nothing left unread
    assert 'class="card message unread"' not in after
    assert inbox(site.app, apprentice, unread_only=True) == []
    assert {item.id for item in inbox(site.app, tutor, unread_only=True)} == tutors_unread


def test_mark_all_as_read_needs_the_forms_csrf_token(site: Site) -> None:
    client = site.as_("apprentice")
    before = snapshot(site.app)
    assert client.post("/inbox/read-all", data={"csrf_token": "forged"}).status_code == 403
    assert client.post("/inbox/read-all").status_code == 403
    assert snapshot(site.app) == before

"""Signed, then started on the pages (issue 14, item 5): a contract signed for a later start reads «signé, démarre le
…» on its case page and on the board (not in trial), its start waits for the engine, and it is cancelled before the
start from the page, with who and why recorded first and a confirmation."""

from __future__ import annotations

import re

from contract_flow.services.cases import advance, set_facts, show
from contract_flow.services.directory import add_user
from tests.e2e.web.conftest import Site, csrf_of, log_in
from tests.e2e.web.test_web_case_page import post, version_of
from tests.support.cases import PATH, walk
from tests.support.dossier import fill_dossier
from tests.support.world import PASSWORD


def signed_for_november(site: Site) -> int:
    """CFA one's neighbour, signed on the world's day (20 October 2026) for a start on 16 November."""
    case_id = site.world.one.neighbour_id
    advisor = site.world.one.user("advisor").email
    walk(site.app, case_id, "sign", advisor=advisor, lead=site.world.one.user("programme_lead").email)
    set_facts(site.app, case_id, {**dict(PATH)["sign"], "contract.signature_date": "2026-10-20",
                                  "contract.start_date": "2026-11-16"}, actor_email=advisor)
    fill_dossier(site.app, case_id, advisor=advisor)
    advance(site.app, case_id, "sign", actor_email=advisor)
    assert show(site.app, case_id).case.state == "signed"
    return case_id


def test_a_contract_signed_for_a_later_start_says_when_it_starts_and_is_not_counted_in_trial(site: Site) -> None:
    case_id = signed_for_november(site)
    client = site.as_("advisor")
    page = client.get(f"/cases/{case_id}").text
    assert '<span class="badge">Signé, pas encore commencé</span>' in page
    assert "démarre le 16/11/2026" in page
    assert re.search(r'<li class="current" aria-current="step">\s*Signé, pas encore commencé', page)
    # The engine's move, blocked until the day, in the page's words and the guard's.
    assert "<strong>Commencer le contrat</strong>" in page
    assert "Le contrat n&#39;a pas encore commencé : la période d&#39;essai débutera à sa date de début." in page
    assert "le contrat commence le 16/11/2026 : sa période d" in page  # the guard's reason in French
    assert "Il faut indiquer qui demande l&#39;annulation du contrat avant son début." in page
    assert "<dt>Lieu de signature</dt><dd>Alès</dd>" in page
    board = client.get("/board").text
    assert re.search(r'Signé, pas encore commencé</a> <span class="badge">1</span>', board)
    assert re.search(r'Période d&#39;essai</a> <span class="badge">1</span>', board)  # the world's own case only


def test_the_apprentice_reads_that_her_contract_is_signed_and_starts_on_its_day(site: Site) -> None:
    case_id = signed_for_november(site)
    nina = show(site.app, case_id).case.candidate.email
    add_user(site.app, nina, name="Nina Voisin", role="apprentice", cfa_code=site.world.one.code, case_id=case_id,
             password=PASSWORD)
    client = site.anonymous()
    log_in(client, nina)
    page = client.get("/me").text
    assert "Contrat : Signé, pas encore commencé" in page
    assert "Votre contrat est signé ; il commence le 16/11/2026, avec sa période d&#39;essai." in page
    assert "Votre contrat commence le 16/11/2026 : votre période d&#39;essai débutera ce jour-là." in page
    assert re.search(r"<dt>Début du contrat</dt>\s*<dd>16/11/2026", page)


def test_a_contract_is_cancelled_before_its_start_from_the_page_with_who_and_why_in_its_form(site: Site) -> None:
    case_id = signed_for_november(site)
    client = site.as_("advisor")
    # Who asked and why are the move's own fields (its form), carried by the confirmation.
    why = {"contract.ended_by": "apprentice", "contract.cancellation_reason": "une place en école d'ingénieurs"}
    first = post(client, case_id, "move", {"trigger": "cancel_before_start", **why})
    confirm = first.text  # type: ignore[attr-defined]
    assert "Confirmer : Annuler avant le début" in confirm
    assert 'name="contract.ended_by" value="apprentice"' in confirm
    assert show(site.app, case_id).case.state == "signed"  # nothing moved yet
    done = client.post(f"/cases/{case_id}/move", follow_redirects=False, data={
        "csrf_token": csrf_of(confirm), "version": version_of(confirm), "trigger": "cancel_before_start",
        "confirm": "yes", **why})
    assert done.status_code == 303
    case = show(site.app, case_id).case
    assert (case.state, case.contract.ended_by, case.contract.cancellation_reason) == (
        "cancelled", "apprentice", "une place en école d'ingénieurs")
    page = client.get(f"/cases/{case_id}").text
    assert '<span class="badge">Annulé avant le début</span>' in page
    assert ">Reprendre la recherche</button>" in page

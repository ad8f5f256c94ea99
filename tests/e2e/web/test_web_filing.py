"""The filing with the OPCO and the OPCO's answer on the case page (issue 14, item 6), on SQLite and PostgreSQL: the
world's contract (signed on 20 August 2026, in its trial on 20 October) filed from the page's form, refused, its
reason and what to fix shown with the form to file it again, then accepted; each refusal shown next to its field
with what was typed kept and nothing saved; the board counts the contracts per programme."""

from __future__ import annotations

import re

import pytest

from contract_flow.services.cases import show
from contract_flow.services.dossier import set_section
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site, csrf_of
from tests.e2e.web.test_web_case_page import post

pytestmark = pytest.mark.postgres

DECA = "030202609000123"


def test_the_panel_has_a_labelled_field_for_each_value_and_the_dossier_s_opco(site: Site) -> None:
    page = site.as_("advisor").get(f"/cases/{site.world.one.case_id}").text
    assert '<h2 id="filing-title">Dépôt auprès de l&#39;OPCO et décision</h2>' in page
    assert "Pas encore déposé auprès de l&#39;OPCO" in page
    for field in ("filing-filed_on", "filing-opco"):
        assert f'<label for="{field}">' in page
        assert f'id="{field}"' in page
    assert re.search(r'id="filing-opco" name="opco" type="text" value="OPCO 2i"', page)
    assert 'type="date"' in page
    assert "Enregistrer la décision de l&#39;OPCO" not in page  # nothing to answer before a filing
    mentor = site.as_("mentor").get(f"/cases/{site.world.one.case_id}").text
    assert "filing-title" not in mentor  # the forms are the CFA staff's


def test_filed_refused_shown_with_what_to_fix_filed_again_then_accepted(site: Site) -> None:
    case_id, client = site.world.one.case_id, site.as_("advisor")
    done = post(client, case_id, "filing", {"filed_on": "2026-10-15", "opco": "OPCO 2i"})
    assert done.status_code == 303  # type: ignore[attr-defined]
    page = client.get(f"/cases/{case_id}").text
    assert "Dépôt auprès de l&#39;OPCO enregistré (le 15/10/2026)." in page
    assert "Déposé, décision de l&#39;OPCO attendue" in page
    assert "<dt>Décision attendue au plus tard le</dt><dd>04/11/2026</dd>" in page
    for field in ("decide-decided_on", "decide-deca_number", "decide-reason"):
        assert f'<label for="{field}">' in page
    assert '<legend>Décision <span aria-hidden="true">*</span></legend>' in page

    refused = post(client, case_id, "opco-decision", {"decision": "refused", "decided_on": "2026-10-19",
                                                      "reason": "convention de formation manquante"})
    assert refused.status_code == 303  # type: ignore[attr-defined]
    page = client.get(f"/cases/{case_id}").text
    assert "Refusé par l&#39;OPCO" in page
    assert "<strong>Motif du refus :</strong> convention de formation manquante" in page
    assert "le contrat peut être déposé à nouveau" in page
    assert "<h3 id=\"filing-file-title\">Déposer à nouveau</h3>" in page
    board = client.get("/board").text
    assert "Contrats et OPCO" in board
    assert re.search(r'<th scope="row">mecatronique</th><td>1</td><td>1</td><td>0</td>\s*<td><span class="badge '
                     r'danger">1</span></td><td>0</td>', board)
    risk = client.get("/risk").text
    assert "Contrat refusé par l&#39;OPCO (D6224-2) : à corriger et déposer à nouveau" in risk

    assert post(client, case_id, "filing", {"filed_on": "2026-10-20", "opco": "OPCO 2i"}).status_code == 303  # type: ignore[attr-defined]
    accepted = post(client, case_id, "opco-decision", {"decision": "accepted", "decided_on": "2026-10-20",
                                                       "deca_number": DECA, "reason": "texte resté du refus"})
    assert accepted.status_code == 303  # type: ignore[attr-defined]
    page = client.get(f"/cases/{case_id}").text
    assert "Accepté par l&#39;OPCO" in page
    assert f"<dt>Numéro DECA</dt><dd>{DECA}</dd>" in page
    assert 'action="/cases/' + str(case_id) + '/filing"' not in page  # an accepted contract is not filed again
    terms = show(site.app, case_id).case.contract
    assert (terms.opco_decision, terms.deca_number, terms.opco_refusal_reason) == ("accepted", DECA, None)


@pytest.mark.parametrize(("action", "data", "field", "message", "status"), [
    pytest.param("filing", {"filed_on": "2026-10-21", "opco": "OPCO 2i"}, "filing-filed_on",
                 "le 21/10/2026 est dans le futur", 422, id="filed in the future"),
    pytest.param("filing", {"filed_on": "2026-10-15", "opco": "O" * 101}, "filing-opco",
                 "dépasse 100 caractères", 422, id="an OPCO name too long"),
    pytest.param("filing", {"filed_on": "31/02/2026", "opco": "OPCO 2i"}, "filing-filed_on",
                 "«\u00a031/02/2026\u00a0» n&#39;est pas une date (attendu : JJ/MM/AAAA ou AAAA-MM-JJ",
                 422, id="no such day as people write it"),
    pytest.param("opco-decision", {"decision": "accepted", "decided_on": "2026-10-19", "deca_number": "02B2022"},
                 "decide-deca_number",
                 "«\u00a002B2022\u00a0» n&#39;est pas un numéro de contrat DECA", 422,
                 id="a DECA number of the wrong format"),
    pytest.param("opco-decision", {"decision": "refused", "decided_on": "2026-10-19", "reason": ""},
                 "decide-reason", "un refus vient avec son motif", 422, id="refused without a reason"),
    pytest.param("opco-decision", {"decided_on": "2026-10-19"}, "decide-decision",
                 "choisissez « Accepté » ou « Refusé »", 422, id="no decision chosen"),
])
def test_a_refusal_is_shown_next_to_its_field_with_what_was_typed_and_nothing_saved(
        site: Site, action: str, data: dict[str, str], field: str, message: str, status: int) -> None:
    case_id, client = site.world.one.case_id, site.as_("advisor")
    if action == "opco-decision":
        assert post(client, case_id, "filing", {"filed_on": "2026-10-15", "opco": "OPCO 2i"}).status_code == 303  # type: ignore[attr-defined]
    before = snapshot(site.app)
    answer = post(client, case_id, action, data)
    assert answer.status_code == status, answer.text  # type: ignore[attr-defined]
    page = answer.text  # type: ignore[attr-defined]
    found = re.search(rf'<p class="error" id="{field}-error" role="alert">([^<]*)</p>', page)
    assert found is not None, page[page.find('id="filing"'):][:3000]
    assert found.group(1).startswith(message)  # the field's label names it: not its code again (filed_on : ...)
    if field != "decide-decision":
        assert re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error"', page, re.S)
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', page, re.S)
    for value in data.values():
        if value.strip() and field.startswith("filing"):
            assert f'value="{value}"' in page
    assert snapshot(site.app) == before


def test_a_decision_on_a_contract_not_filed_is_409_next_to_the_decision(site: Site) -> None:
    case_id, client = site.world.one.case_id, site.as_("advisor")
    # The panel shows no decision form before a filing; a stale page or a crafted post is refused all the same.
    before = snapshot(site.app)
    answer = post(client, case_id, "opco-decision", {"decision": "accepted", "decided_on": "2026-10-19",
                                                     "deca_number": DECA})
    assert answer.status_code == 409  # type: ignore[attr-defined]
    assert snapshot(site.app) == before
    mentor = site.as_("mentor")
    page = mentor.get(f"/cases/{case_id}").text
    refused = mentor.post(f"/cases/{case_id}/filing", follow_redirects=False, data={
        "csrf_token": csrf_of(page), "filed_on": "2026-10-15", "opco": "OPCO 2i"})
    assert refused.status_code == 403
    assert snapshot(site.app) == before


def test_the_filing_date_is_read_as_french_people_write_it(site: Site) -> None:
    """15/10/2026 is the 15th of October, as the ISO 2026-10-15 the browser's date field sends."""
    case_id, client = site.world.one.case_id, site.as_("advisor")
    assert post(client, case_id, "filing", {"filed_on": "15/10/2026", "opco": "OPCO 2i"}).status_code == 303  # type: ignore[attr-defined]
    assert show(site.app, case_id).case.contract.opco_filed_on.isoformat() == "2026-10-15"  # type: ignore[union-attr]


def test_what_to_fix_is_worded_in_the_page_s_language_with_each_field_s_label(site: Site) -> None:
    """The dossier's refusals under «what to fix» name the field by its label and give the rule in French (no
    English span marked lang="en" on a French page when the rule has French words)."""
    case_id, client = site.world.one.case_id, site.as_("advisor")
    advisor = site.world.cfa(1).user("advisor").email
    # The employer's phone went missing after the signature: the OPCO refuses the file for it.
    set_section(site.app, case_id, "employer", {"phone": ""}, actor_email=advisor)
    assert post(client, case_id, "filing", {"filed_on": "2026-10-15", "opco": "OPCO 2i"}).status_code == 303  # type: ignore[attr-defined]
    assert post(client, case_id, "opco-decision", {"decision": "refused", "decided_on": "2026-10-19",
                                                   "reason": "téléphone manquant"}).status_code == 303  # type: ignore[attr-defined]
    page = client.get(f"/cases/{case_id}").text
    listed = re.search(r"à corriger avant un nouveau dépôt\) :</p>\s*<ul>(.*?)</ul>", page, re.S)
    assert listed is not None, page
    items = re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)
    # a field to fill is named in the words themselves; its source in French too
    assert "<span>Téléphone : champ à remplir</span> (CERFA FA13 n° 10103*14 : un champ que l&#39;outil de " \
           "l&#39;État exige)" in items
    assert "employer.phone" not in listed.group(1)
    assert 'lang="en"' not in listed.group(1)
    assert "missing" not in listed.group(1)

"""Amendments on the case page (issue 14, item 7), on SQLite and PostgreSQL: CFA staff read the contract's
amendments and record one with a form (a type among 31-38 with its label, an effective date, a reason, rows of a
field chosen among those an amendment changes and its new value), every field labelled; a refusal shows the page
again with what was typed and the error next to its field, nothing saved; the PDF of the version it produced is a
link away. The mentor sees no panel and may not post it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from contract_flow.services.cases import show
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site

pytestmark = pytest.mark.postgres

MENTOR = {"field_1": "mentors.1.first_name", "value_1": "Jean", "field_2": "mentors.1.last_name",
          "value_2": "Dupont", "field_3": "mentors.1.email", "value_3": "jean.dupont@industrie.example"}


def form(**given: str) -> dict[str, str | list[str]]:
    return {"type_code": "36", "effective_on": "2026-11-02", "reason": "Marie Maître quitte l'atelier", **MENTOR,
            **given}


def test_staff_record_an_amendment_from_the_case_page_and_find_its_dossier_version(site: Site) -> None:
    case_id = site.world.one.case_id
    client = site.as_("advisor")
    page = client.get(f"/cases/{case_id}").text
    assert '<h2 id="amendments-title">Avenants au contrat</h2>' in page
    assert "Aucun avenant : le contrat est tel qu&#39;il a été signé." in page
    assert '<label for="am-type_code">Type d&#39;avenant <span aria-hidden="true">*</span></label>' in page
    assert re.search(r'<option value="36">36 — Avenant : autres changements', page)
    assert '<option value="11"' not in page  # a first contract is no amendment
    assert '<optgroup label="Le maître d&#39;apprentissage">' in page
    assert '<option value="mentors.1.last_name">Maître d&#39;apprentissage 1 : Nom de naissance</option>' in page
    assert '<option value="contract.start_date"' not in page  # the contract's start is as signed
    for row in range(1, 5):
        assert f'<label for="am-field_{row}">Champ {row}</label>' in page
        assert f'<label for="am-value_{row}">Nouvelle valeur {row}</label>' in page

    answer: Any = site.post_form(client, f"/cases/{case_id}", f"/cases/{case_id}/amendments", form(),
                                 follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/cases/{case_id}#amendments"
    page = client.get(f"/cases/{case_id}").text
    assert "Avenant n° 1 enregistré ; la version 2 du dossier est conservée." in page
    assert "Avenant n° 1 · 36 — Avenant : autres changements" in page
    assert "Prend effet le 02/11/2026" in page
    assert "Motif : Marie Maître quitte l&#39;atelier" in page
    assert re.search(r"Nom de naissance <span class=\"muted\">\(<code>mentors.1.last_name</code>\)</span> : "
                     r"Maître → <strong>Dupont</strong>", page)
    link = f'href="/cases/{case_id}/dossier.pdf?version=2"'
    assert link in page
    pdf = client.get(f"/cases/{case_id}/dossier.pdf?version=2")
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    assert show(site.app, case_id).case.contract.mentor_name == "Jean Dupont"


@pytest.mark.parametrize(("given", "where", "said"), [
    ({"field_1": "pay.1.rate", "value_1": "20", "field_2": "", "value_2": "", "field_3": "", "value_3": ""},
     "value_1", "pay.1.rate"),
    ({"value_3": "pas une adresse"}, "value_3", "mentors.1.email"),
    ({"reason": ""}, "reason", "reason"),
    ({"type_code": ""}, "type_code", "type_code"),
    ({"effective_on": "2026-08-01"}, "effective_on", "est hors du contrat (du 01/09/2026 au "),
    ({"field_4": "", "value_4": "orpheline"}, "field_4", "choisissez le champ de cette valeur"),
    ({"field_1": "", "value_1": "", "field_2": "", "value_2": "", "field_3": "", "value_3": ""}, "field_1",
     "choisissez au moins un champ à modifier, avec sa nouvelle valeur"),
])
def test_a_refused_amendment_shows_the_error_next_to_its_field_keeps_what_was_typed_and_saves_nothing(
        site: Site, given: dict[str, str], where: str, said: str) -> None:
    case_id = site.world.one.case_id
    client = site.as_("advisor")
    before = snapshot(site.app)
    answer: Any = site.post_form(client, f"/cases/{case_id}", f"/cases/{case_id}/amendments", form(**given))
    assert answer.status_code == 422, answer.text
    error = re.search(rf'<p class="error" id="am-{where}-error" role="alert">([^<]*)</p>', answer.text)
    assert error is not None, answer.text
    assert said in error.group(1)
    assert re.search(rf'id="am-{where}"[^>]*aria-describedby="[^"]*am-{where}-error"[^>]*aria-invalid="true"',
                     answer.text)
    if given.get("reason") != "":
        assert "Marie Maître quitte l&#39;atelier</textarea>" in answer.text
    assert snapshot(site.app) == before


def test_the_mentor_sees_no_amendment_panel_and_may_not_post_one(site: Site) -> None:
    case_id = site.world.one.case_id
    client = site.as_("mentor")
    assert "amendments-title" not in client.get(f"/cases/{case_id}").text
    before = snapshot(site.app)
    answer: Any = site.post_form(client, f"/cases/{case_id}", f"/cases/{case_id}/amendments", form())
    assert answer.status_code == 403
    assert snapshot(site.app) == before

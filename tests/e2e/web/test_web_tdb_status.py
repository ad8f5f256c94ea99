"""The TDB's status and the reconciliation on the pages (issue 16, items 3 and 4), on SQLite and PostgreSQL: the case
page's block «Statut au Tableau de bord» (CFA staff) with its reason, what it becomes and the dates used; the
board's counts per TDB status; the advisor's reconciliation page, in the navigation, listing the neighbour still at
the first step on 15 December 2026 as ABANDON for the TDB; a malformed date refused next to its field, a tutor
refused."""

from __future__ import annotations

import re

import pytest

from tests.e2e.web.conftest import Site

pytestmark = pytest.mark.postgres


def test_the_case_page_says_the_status_in_the_tdb_and_why(site: Site) -> None:
    client = site.as_("advisor")
    page = client.get(f"/cases/{site.world.one.case_id}").text
    assert '<h2 id="tdb-title">Statut au Tableau de bord</h2>' in page
    assert ">Apprenti</span>" in page
    assert "sous contrat du 01/09/2026 au 31/08/2029" in page
    assert re.search(r"le moteur \(« [^»]+ »\) et le Tableau de bord \(« Apprenti »\) disent la même chose", page)
    neighbour = client.get(f"/cases/{site.world.one.neighbour_id}").text
    assert ">Inscrit sans contrat</span>" in neighbour
    assert "Devient « Abandon » le 30/11/2026 si rien de nouveau n&#39;est envoyé." in neighbour
    assert "<dt>Entrée en formation</dt><dd>01/09/2026</dd>" in neighbour
    mentor = site.as_("mentor").get(f"/cases/{site.world.one.case_id}").text
    assert "tdb-title" not in mentor  # the CFA staff's


def test_the_board_counts_per_tdb_status_and_links_the_reconciliation(site: Site) -> None:
    board = site.as_("advisor").get("/board").text
    assert "Statuts au Tableau de bord" in board
    assert re.search(r'<th scope="row">mecatronique</th>\s*<td>1</td><td>1</td><td>0</td><td>0</td><td>0</td>', board)
    assert 'href="/tdb/reconciliation"' in board


def test_the_reconciliation_page_lists_an_abandon_still_followed(site: Site) -> None:
    client = site.as_("advisor")
    today = client.get("/tdb/reconciliation")
    assert today.status_code == 200
    assert "Rapprochement avec les systèmes publics" in today.text
    assert "0 point(s) au 20/10/2026." in today.text
    later = client.get("/tdb/reconciliation?on=2026-12-15").text
    assert "1 point(s) au 15/12/2026." in later
    assert f'<a href="/cases/{site.world.one.neighbour_id}">' in later
    assert "le Tableau de bord le compte en abandon depuis le 30/11/2026" in later
    lead = site.as_("programme_lead").get("/tdb/reconciliation?on=2026-12-15").text
    assert f'<a href="/cases/{site.world.one.neighbour_id}">' in lead
    other = site.as_("advisor", 2).get("/tdb/reconciliation?on=2026-12-15").text
    assert f'<a href="/cases/{site.world.one.neighbour_id}">' not in other


def test_a_malformed_date_is_refused_next_to_its_field_and_a_tutor_is_refused(site: Site) -> None:
    refused = site.as_("advisor").get("/tdb/reconciliation?on=15-12-2026")
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    assert 'value="15-12-2026"' in refused.text
    assert site.as_("tutor").get("/tdb/reconciliation").status_code == 403

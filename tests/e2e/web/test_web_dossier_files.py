"""The CERFA on the case page (issue 14, item 4), on SQLite and PostgreSQL: the people who may read the dossier
(staff, the case's mentor and apprentice) see «Télécharger le CERFA (PDF)» and each kept version (signature, an
amendment with its number, when, who) and download them with their session; a tutor sees neither, another CFA's
people get 404, as for the case itself."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pypdf
import sqlalchemy as sa

from contract_flow.adapters.tables import amendment_table
from contract_flow.domain.case import Part
from contract_flow.services.dossier_downloads import dossier_pdf
from contract_flow.services.dossier_versions import keep_version
from tests.e2e.web.conftest import Site

AMENDED_AT = datetime(2026, 11, 5, 14, 30, tzinfo=UTC)


def amended(site: Site, case_id: int) -> None:
    """An amendment kept as version 2 (what services/amendments does), recorded as amendment n° 1."""
    by = site.world.one.user("advisor").email
    with site.app.uow() as uow:
        case = uow.cases.get(case_id, (Part.CONTRACT,))
        version = keep_version(uow, case, site.app.rules, kind="amendment", by=by, at=AMENDED_AT)
        uow.execute(sa.insert(amendment_table).values(
            case_id=case_id, number=1, type_code="33", effective_on=AMENDED_AT.date(), reason="Horaires",
            changes=[], created_at=AMENDED_AT, created_by=by, dossier_version=version))
        uow.commit()


def test_the_case_page_offers_the_cerfa_and_each_kept_version_to_those_who_read_the_dossier(site: Site) -> None:
    one = site.world.one
    amended(site, one.case_id)
    for role in ("advisor", "programme_lead", "mentor", "apprentice"):
        client = site.as_(role)
        page = client.get(f"/cases/{one.case_id}").text
        assert f'<a class="button" href="/cases/{one.case_id}/dossier.pdf" download>Télécharger le CERFA (PDF)</a>' \
            in page, role
        assert f'href="/cases/{one.case_id}/dossier.pdf?version=1" download>Version 1 (PDF)</a>' in page
        assert re.search(r"Version 2 \(PDF\)</a>\s*· avenant n° 1\s*· <time [^>]+>05/11/2026 15:30</time>"
                         rf"\s*· <span class=\"muted\">par {re.escape(one.user('advisor').email)}</span>", page)
        assert re.search(r"Version 1 \(PDF\)</a>\s*· signature", page)
        kept = client.get(f"/cases/{one.case_id}/dossier.pdf?version=1")
        assert kept.status_code == 200
        assert kept.headers["content-type"] == "application/pdf"
        assert kept.headers["content-disposition"] == f'attachment; filename="dossier-{one.case_id}-v1.pdf"'
        assert kept.content == dossier_pdf(site.app, one.case_id, actor_email="system", version=1)[0]
    now = site.as_("advisor").get(f"/cases/{one.case_id}/dossier.pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(now.content)).pages)
    assert "Léa Martin" in text
    assert "Contrat d'apprentissage — CERFA FA13" in text


def test_the_page_in_english_offers_the_cerfa_in_english_and_kept_versions_as_filed(site: Site) -> None:
    one = site.world.one
    client = site.as_("mentor")
    page = client.get(f"/cases/{one.case_id}")
    site.post_form(client, f"/cases/{one.case_id}", "/language", {"lang": "en", "next": "/"})
    page = client.get(f"/cases/{one.case_id}").text
    assert "Download the CERFA (PDF)" in page
    assert re.search(r"Version 1 \(PDF\)</a>\s*· signature", page)
    assert "Each version is kept as it was signed or amended, in French." in page
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(
        client.get(f"/cases/{one.case_id}/dossier.pdf").content)).pages)
    assert "Apprenticeship contract — CERFA FA13 no. 10103*14" in text
    kept = client.get(f"/cases/{one.case_id}/dossier.pdf?version=1").content
    assert kept == dossier_pdf(site.app, one.case_id, actor_email="system", version=1)[0]


def test_a_tutor_sees_no_cerfa_and_another_cfa_gets_not_found(site: Site) -> None:
    one = site.world.one
    tutor = site.as_("tutor")
    page = tutor.get(f"/cases/{one.case_id}")
    assert page.status_code == 200
    assert "CERFA" not in page.text
    assert tutor.get(f"/cases/{one.case_id}/dossier.pdf?version=1").status_code == 403
    for role in ("advisor", "mentor", "apprentice"):
        other = site.as_(role, 2)
        assert other.get(f"/cases/{one.case_id}/dossier.pdf").status_code == 404
        assert other.get(f"/cases/{one.case_id}/dossier.pdf?version=1").status_code == 404
    advisor = site.as_("advisor")
    missing = advisor.get(f"/cases/{one.case_id}/dossier.pdf?version=2")
    assert missing.status_code == 404
    assert advisor.get(f"/cases/{one.case_id}/dossier.pdf?version=0").status_code == 422
    assert advisor.get(f"/cases/{2**40}/dossier.pdf").status_code == 404
    assert site.anonymous().get(f"/cases/{one.case_id}/dossier.pdf", follow_redirects=False).status_code in (
        303, 401)

"""The CERFA as documents over HTTP (issue 14, item 4), on SQLite and PostgreSQL: GET /api/v1/cases/{id}/dossier.pdf
(application/pdf, an attachment named dossier-<case>[-v<N>].pdf), dossier.json (DossierOut, its schema in the
OpenAPI document), dossier/versions; a kept version is the stored bytes, the dossier as it stands rendered fresh;
a version never kept 404 naming it, out of range 422; another CFA's case 404, a role that may not read the dossier
403."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest
from fastapi.testclient import TestClient

from contract_flow.api.dossier_schemas import DossierOut
from contract_flow.bootstrap import App
from contract_flow.services.dossier_downloads import dossier_json_of, dossier_pdf
from tests.e2e.api.test_schemathesis import DOCUMENT
from tests.support.world import World

pytestmark = pytest.mark.postgres


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_a_kept_version_downloads_as_stored_and_the_dossier_as_it_stands_fresh(
        app: App, world: World, client: TestClient, as_: Any) -> None:
    case_id = world.one.case_id
    base = f"/api/v1/cases/{case_id}/dossier"
    answer = client.get(f"{base}.pdf?version=1", headers=as_("advisor"))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == f'attachment; filename="dossier-{case_id}-v1.pdf"'
    assert answer.content == dossier_pdf(app, case_id, actor_email="system", version=1)[0]
    assert f"Léa Martin — dossier n° {case_id} — version 1, signée le" in text_of(answer.content)

    now = client.get(f"{base}.pdf", headers=as_("mentor"))
    assert (now.status_code, now.headers["content-disposition"]) == (
        200, f'attachment; filename="dossier-{case_id}.pdf"')
    assert "Contrat d'apprentissage — CERFA FA13 n° 10103*14" in text_of(now.content)
    english = client.get(f"{base}.pdf?lang=en", headers=as_("apprentice"))
    assert "Apprenticeship contract — CERFA FA13 no. 10103*14" in text_of(english.content)
    refused = client.get(f"{base}.pdf?version=1&lang=en", headers=as_("advisor"))
    assert (refused.status_code, refused.json()["field"]) == (422, "language")
    assert client.get(f"{base}.pdf?lang=de", headers=as_("advisor")).status_code == 422

    kept = client.get(f"{base}.json?version=1", headers=as_("programme_lead"))
    assert kept.status_code == 200
    assert kept.json() == dossier_json_of(app, case_id, actor_email="system", version=1)
    assert DossierOut.model_validate(kept.json()).version == 1
    current = client.get(f"{base}.json", headers=as_("apprentice")).json()
    assert (current["version"], current["case_id"]) == (None, case_id)

    [listed] = client.get(f"{base}/versions", headers=as_("advisor")).json()
    assert {key: listed[key] for key in ("version", "kind", "created_by", "pdf", "json")} == {
        "version": 1, "kind": "signed", "created_by": world.one.user("advisor").email,
        "pdf": f"{base}.pdf?version=1", "json": f"{base}.json?version=1"}
    assert client.get(listed["pdf"], headers=as_("mentor")).content == answer.content


def test_the_openapi_document_types_the_json_and_the_pdf() -> None:
    paths = DOCUMENT["paths"]
    json_answer = paths["/api/v1/cases/{case_id}/dossier.json"]["get"]["responses"]
    assert json_answer["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DossierOut"}
    assert "404" in json_answer
    assert {"form", "case_id", "version", "sections"} <= set(DOCUMENT["components"]["schemas"]["DossierOut"][
        "properties"])
    pdf_answer = paths["/api/v1/cases/{case_id}/dossier.pdf"]["get"]
    assert "application/pdf" in pdf_answer["responses"]["200"]["content"]
    assert [parameter["name"] for parameter in pdf_answer["parameters"]] == ["case_id", "version", "lang"]
    versions = paths["/api/v1/cases/{case_id}/dossier/versions"]["get"]["responses"]["200"]
    assert versions["content"]["application/json"]["schema"]["items"] == {
        "$ref": "#/components/schemas/DossierVersionOut"}


def test_a_version_never_kept_is_404_and_one_out_of_range_422(world: World, client: TestClient, as_: Any) -> None:
    base = f"/api/v1/cases/{world.one.case_id}/dossier"
    for path in (f"{base}.pdf?version=2", f"{base}.json?version=2"):
        answer = client.get(path, headers=as_("advisor"))
        assert answer.status_code == 404
        assert answer.json()["message"] == f"dossier version 2 of case {world.one.case_id} not found"
    for version in ("0", "-1", str(2**31), "9" * 40, "un"):
        for path in (f"{base}.pdf?version={version}", f"{base}.json?version={version}"):
            answer = client.get(path, headers=as_("advisor"))
            assert answer.status_code == 422, (path, answer.text)
    for case in ("0", str(2**31), "9" * 40):
        for suffix in (".pdf", ".json", "/versions"):
            answer = client.get(f"/api/v1/cases/{case}/dossier{suffix}", headers=as_("advisor"))
            assert answer.status_code == 404, (case, suffix, answer.text)


def test_another_cfas_case_is_not_found_and_a_tutor_may_not_read_the_dossier(
        world: World, client: TestClient, as_: Any) -> None:
    base = f"/api/v1/cases/{world.one.case_id}/dossier"
    for suffix in (".pdf", ".pdf?version=1", ".json", ".json?version=1", "/versions"):
        for role in ("advisor", "programme_lead", "mentor", "apprentice", "tutor"):
            answer = client.get(f"{base}{suffix}", headers=as_(role, 2))
            assert answer.status_code == 404, (suffix, role, answer.text)
        answer = client.get(f"{base}{suffix}", headers=as_("tutor"))
        assert answer.status_code == 403, (suffix, answer.text)
        assert "reading the contract dossier" in answer.json()["message"]
        assert client.get(f"{base}{suffix}").status_code == 401
    neighbour = f"/api/v1/cases/{world.one.neighbour_id}/dossier.pdf"
    assert client.get(neighbour, headers=as_("mentor")).status_code == 404
    assert client.get(neighbour, headers=as_("advisor")).status_code == 200

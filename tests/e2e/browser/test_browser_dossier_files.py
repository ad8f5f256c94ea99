"""The CERFA downloaded in a real browser (issue 14, item 4): the advisor opens the case page, clicks «Télécharger le
CERFA (PDF)» and gets a PDF whose text names the apprentice; the version kept at signature downloads as the stored
bytes."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pypdf
from playwright.sync_api import Page

from contract_flow.bootstrap import App
from contract_flow.services.dossier_downloads import dossier_pdf
from tests.e2e.browser.conftest import Visitor
from tests.support.world import World


def test_the_advisor_downloads_the_cerfa_from_the_case_page(
        app: App, world: World, visitor: Visitor, shot: Callable[[Page, str], Path]) -> None:
    case_id = world.one.case_id
    visitor.log_in(world.one.user("advisor").email)
    page = visitor.open(f"/cases/{case_id}")
    panel = page.locator("#dossier-files")
    panel.scroll_into_view_if_needed()
    shot(page, "case-cerfa")

    with page.expect_download() as started:
        panel.get_by_role("link", name="Télécharger le CERFA (PDF)").click()
    download = started.value
    assert download.suggested_filename == f"dossier-{case_id}.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Léa Martin" in text
    assert "Contrat d'apprentissage — CERFA FA13 n° 10103*14" in text

    with page.expect_download() as started:
        panel.get_by_role("link", name="Version 1 (PDF)").click()
    kept = started.value
    assert kept.suggested_filename == f"dossier-{case_id}-v1.pdf"
    assert Path(kept.path()).read_bytes() == dossier_pdf(app, case_id, actor_email="system", version=1)[0]

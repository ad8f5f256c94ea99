"""The CERFA as documents (issue 14, item 4) on SQLite and PostgreSQL: the dossier signed is kept as version 1 (its
JSON and its French PDF, who signed and when); the PDF reads back section by section in the form's order with its
labels and values; whatever changes after (a section saved, an amendment kept as version 2), version 1 downloads
again as the same bytes and the same JSON; the dossier as it stands is rendered fresh; who may read the dossier
may download it, the others not; a version never kept is not found, naming it."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pypdf
import pytest
import sqlalchemy as sa

from contract_flow.adapters.tables import amendment_table
from contract_flow.api.dossier_schemas import DossierOut
from contract_flow.bootstrap import App
from contract_flow.documents import render_pdf
from contract_flow.domain.case import Part
from contract_flow.domain.dossier import FORM, SECTION_LABELS, Section
from contract_flow.domain.errors import Forbidden, InvalidInput, NotFound, OutOfScope
from contract_flow.dossier_document import dossier_document
from contract_flow.services.cases import set_facts, show
from contract_flow.services.directory import add_user
from contract_flow.services.dossier import set_section, show_dossier
from contract_flow.services.dossier_downloads import dossier_json_of, dossier_pdf, list_dossier_versions
from contract_flow.services.dossier_versions import keep_version
from tests.conftest import People, snapshot
from tests.support.cases import open_candidate, walk
from tests.unit.documents.test_dossier_document import found_pages, rows_in_order

pytestmark = pytest.mark.postgres

AMENDED_AT = datetime(2026, 11, 5, 14, 30, tzinfo=UTC)


def signed_case(app: App, people: People) -> int:
    """Léa's case, its dossier filled and signed by the advisor on 20 August 2026 (tests/support/cases.PATH)."""
    case_id = open_candidate(app)
    walk(app, case_id, "signed", advisor=people.advisor, lead=people.lead)
    return case_id


def text_of(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def amend(app: App, case_id: int, by: str) -> int:
    """What an amendment does to the kept versions: the dossier as it stands kept as the next one."""
    with app.uow() as uow:
        case = uow.cases.get(case_id, (Part.CONTRACT,))
        version = keep_version(uow, case, app.rules, kind="amendment", by=by, at=AMENDED_AT)
        uow.commit()
    return version


def test_the_dossier_signed_is_kept_as_version_1_and_its_pdf_reads_as_the_form(app: App, people: People) -> None:
    case_id = signed_case(app, people)
    [kept] = list_dossier_versions(app, case_id, actor_email=people.lead)
    signed = next(event for event in show(app, case_id).history if event.trigger == "sign")
    assert (kept.version, kept.kind, kept.created_by, kept.created_at, kept.amendment) == (
        1, "signed", people.advisor, signed.at, None)

    pdf, filename = dossier_pdf(app, case_id, actor_email=people.advisor, version=1)
    assert filename == f"dossier-{case_id}-v1.pdf"
    assert pdf.startswith(b"%PDF-")
    # the stored bytes are the dossier as signed, rendered in French as version 1 of a contract signed on its day
    dossier = show_dossier(app, case_id, actor_email=people.advisor).dossier
    document = dossier_document(dossier, case_id=case_id, candidate="Léa Martin", version=1,
                                signed_on=show(app, case_id).case.contract.signature_date, language="fr")
    assert render_pdf(document) == pdf
    pages = found_pages(pdf, rows_in_order(document))  # every title, label and value, in the form's order
    assert list(pages) == [section.title for section in document.sections]
    text = text_of(pdf)
    assert f"Léa Martin — dossier n° {case_id} — version 1, signée le 20 août 2026" in text
    for section in Section:
        if section not in (Section.MENTORS, Section.PAY):
            assert SECTION_LABELS[section].fr in text
        assert all(spec.label.fr.split()[0] in text for spec in FORM[section])
    assert "Maître d'apprentissage 1" in text
    assert "Rémunération, ligne 1 : année 1, du 1er septembre 2026 au 31 août 2027" in text
    for value in ("Industrie SA", "732 829 320 00074", "Martin", "Léa", "Alès", "1er septembre 2026",
                  "31 août 2029", "RNCP37412", "0300063F"):
        assert value in text, value

    data = dossier_json_of(app, case_id, actor_email=people.advisor, version=1)
    assert DossierOut.model_validate(data).version == 1
    assert (data["case_id"], [part["section"] for part in data["sections"]]) == (
        case_id, [section.value for section in Section])


def test_version_1_downloads_the_same_after_a_section_is_saved_and_an_amendment_kept(
        app: App, people: People) -> None:
    case_id = signed_case(app, people)
    pdf_1, _ = dossier_pdf(app, case_id, actor_email=people.advisor, version=1)
    json_1 = dossier_json_of(app, case_id, actor_email=people.advisor, version=1)
    assert "06 12 34 56 78" in text_of(pdf_1)

    set_section(app, case_id, "apprentice", {"phone": "06 98 76 54 32"}, actor_email=people.apprentice)
    assert amend(app, case_id, people.advisor) == 2
    with app.uow() as uow:
        uow.execute(sa.insert(amendment_table).values(
            case_id=case_id, number=1, type_code="33", effective_on=AMENDED_AT.date(), reason="Téléphone",
            changes=[], created_at=AMENDED_AT, created_by=people.advisor, dossier_version=2))
        uow.commit()
    set_section(app, case_id, "apprentice", {"phone": "06 11 11 11 11"}, actor_email=people.apprentice)

    assert dossier_pdf(app, case_id, actor_email=people.mentor, version=1) == (pdf_1, f"dossier-{case_id}-v1.pdf")
    assert dossier_json_of(app, case_id, actor_email=people.apprentice, version=1) == json_1
    pdf_2, filename = dossier_pdf(app, case_id, actor_email=people.advisor, version=2)
    assert filename == f"dossier-{case_id}-v2.pdf"
    assert "06 98 76 54 32" in text_of(pdf_2)
    assert "06 98 76 54 32" not in text_of(pdf_1)
    assert f"dossier n° {case_id} — version 2, signée le 20 août 2026" in text_of(pdf_2)
    phones = [field["value"] for part in dossier_json_of(app, case_id, actor_email=people.advisor, version=2)[
        "sections"] if part["section"] == "apprentice" for field in part["items"][0]["fields"]
        if field["key"] == "phone"]
    assert phones == ["+33698765432"]
    versions = list_dossier_versions(app, case_id, actor_email=people.advisor)
    assert [(kept.version, kept.kind, kept.amendment, kept.created_at) for kept in versions] == [
        (1, "signed", None, versions[0].created_at), (2, "amendment", 1, AMENDED_AT)]

    # the dossier as it stands: rendered now, in the reader's language, with the last phone number
    now, filename = dossier_pdf(app, case_id, actor_email=people.advisor)
    assert filename == f"dossier-{case_id}.pdf"
    assert "06 11 11 11 11" in text_of(now)
    english, _ = dossier_pdf(app, case_id, actor_email=people.advisor, language="en")
    assert f"Léa Martin — case no. {case_id} — signed on 20 August 2026" in text_of(english)
    current = dossier_json_of(app, case_id, actor_email=people.advisor)
    assert current["version"] is None
    assert DossierOut.model_validate(current).case_id == case_id


def test_a_case_not_signed_has_no_kept_version_and_its_dossier_is_a_draft(app: App, people: People) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "sign", advisor=people.advisor, lead=people.lead)
    assert list_dossier_versions(app, case_id, actor_email=people.advisor) == []
    pdf, filename = dossier_pdf(app, case_id, actor_email=people.advisor)
    assert filename == f"dossier-{case_id}.pdf"
    assert f"Léa Martin — dossier n° {case_id} — brouillon" in text_of(pdf)
    assert "non renseigné" in text_of(pdf)
    with pytest.raises(NotFound, match=f"dossier version 1 of case {case_id} not found"):
        dossier_pdf(app, case_id, actor_email=people.advisor, version=1)


def test_a_version_never_kept_is_not_found_naming_it(app: App, people: People) -> None:
    case_id = signed_case(app, people)
    for version in (2, 0, -1, 2**31, 10**30):
        with pytest.raises(NotFound, match=rf"dossier version {version} of case {case_id} not found"):
            dossier_pdf(app, case_id, actor_email=people.advisor, version=version)
        with pytest.raises(NotFound, match=rf"dossier version {version} of case {case_id}"):
            dossier_json_of(app, case_id, actor_email=people.advisor, version=version)
    with pytest.raises(InvalidInput, match="language: 'de' is not one of fr, en"):
        dossier_pdf(app, case_id, actor_email=people.advisor, language="de")
    with pytest.raises(InvalidInput, match="language: a kept version is given as it was kept, in fr"):
        dossier_pdf(app, case_id, actor_email=people.advisor, version=1, language="en")


def test_who_may_read_the_dossier_may_download_it_and_no_one_else(app: App, people: People) -> None:
    case_id = signed_case(app, people)
    pdf, _ = dossier_pdf(app, case_id, actor_email=people.advisor, version=1)
    for reader in (people.lead, people.mentor, people.apprentice, "system"):
        assert dossier_pdf(app, case_id, actor_email=reader, version=1)[0] == pdf
        assert [kept.version for kept in list_dossier_versions(app, case_id, actor_email=reader)] == [1]
    add_user(app, "conseil@autre-cfa.example", name="Autre Conseil", role="advisor", cfa_code="autre-cfa")
    set_facts(app, case_id, {"tutor": people.tutor}, actor_email=people.advisor)
    before = snapshot(app)
    with pytest.raises(Forbidden, match="reading the contract dossier is for"):
        dossier_pdf(app, case_id, actor_email=people.tutor, version=1)
    with pytest.raises(Forbidden):
        list_dossier_versions(app, case_id, actor_email=people.tutor)
    for call in (lambda: dossier_pdf(app, case_id, actor_email="conseil@autre-cfa.example", version=1),
                 lambda: dossier_json_of(app, case_id, actor_email="conseil@autre-cfa.example"),
                 lambda: list_dossier_versions(app, case_id, actor_email="conseil@autre-cfa.example")):
        with pytest.raises(OutOfScope):
            call()
    assert snapshot(app) == before


def test_versions_are_numbered_per_case_from_1(app: App, people: People) -> None:
    """Each case counts its own versions: a second case signed after another's amendment is at version 1."""
    first = signed_case(app, people)
    assert amend(app, first, people.lead) == 2
    second = open_candidate(app, first_name="Hugo", last_name="Petit", email="hugo.petit@example.org")
    walk(app, second, "signed", advisor=people.advisor, lead=people.lead)
    with app.uow(write=False) as uow:
        assert [kept.version for kept in uow.dossier_versions.list(second)] == [1]
        assert (uow.dossier_versions.next_version(first), uow.dossier_versions.next_version(second)) == (3, 2)
        latest = uow.dossier_versions.latest(first)
        assert latest is not None
        assert (latest.version, latest.kind, latest.created_by, latest.created_at) == (
            2, "amendment", people.lead, AMENDED_AT)
        assert uow.dossier_versions.get(first, 3) is None
        assert uow.dossier_versions.latest(10**6) is None
    assert "Hugo Petit" in text_of(dossier_pdf(app, second, actor_email=people.advisor, version=1)[0])

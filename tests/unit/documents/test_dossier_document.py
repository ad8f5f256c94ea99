"""The CERFA FA13 of a dossier as a PDF and as JSON: the brochure's complete dossier rendered and read back with
pypdf, section by section in the form's order with every label of the form and its values written for people, in
French and in English, the same bytes each time; an empty dossier shows every field "non renseigné"; the JSON is
the same data, checked by its pydantic model and read back by the domain's parser."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from typing import Any

import pypdf
import pytest

from contract_flow.api.dossier_schemas import DossierOut
from contract_flow.documents import Document, render_pdf
from contract_flow.documents.layout import NOT_FILLED
from contract_flow.domain.dossier import FORM, SECTION_LABELS, Dossier, Section, parse_dossier
from contract_flow.dossier_document import dossier_document, dossier_json
from tests.unit.dossier.conftest import MENTOR, complete_dossier

NBSP, NNBSP = "\u00a0", "\u202f"
SECOND_MENTOR = {"2.last_name": "Lefèvre", "2.first_name": "Jérôme", "2.birth_date": "1975-11-30",
                 "2.job": "Technicien de maintenance", "2.diploma": "BTS Maintenance des systèmes",
                 "2.diploma_level": "5", "2.diploma_in_field": "yes", "2.experience_years": "20",
                 "2.email": "jerome.lefevre@industrie.example", "2.eligibility_attested": "yes"}


def two_mentors() -> Dossier:
    """Léa's complete dossier (the brochure's mechatronics programme) with a second mentor."""
    return complete_dossier(mentors={f"1.{key}": value for key, value in MENTOR.items()} | SECOND_MENTOR)


def signed_document(dossier: Dossier, language: str = "fr") -> Document:
    return dossier_document(dossier, case_id=7, candidate="Léa Martin", version=2, signed_on=date(2026, 9, 3),
                            language=language)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Spaces of any kind and line breaks as one space: a label or value wrapped over lines reads as one."""
    return re.sub(r"\s+", " ", text)


def rows_in_order(document: Document) -> list[tuple[str, str]]:
    """Each section's title, then each row as its label followed by its value, what the PDF must read in turn."""
    expected = []
    for section in document.sections:
        expected.append((section.title, flat(section.title)))
        for item in section.fields:
            value = document.not_filled if item.is_empty else item.value or ""
            expected.append((section.title, flat(f"{item.label} {value}")))
    return expected


def found_pages(pdf: bytes, expected: list[tuple[str, str]]) -> dict[str, list[int]]:
    """The pages (from 1) each section's title and rows were read on, reading the pages in turn: every piece after
    the one before, on the same page or a later one."""
    pages = [flat(text) for text in pages_text(pdf)]
    page, position = 0, 0
    seen: dict[str, list[int]] = {}
    for section, piece in expected:
        found = pages[page].find(piece, position)
        while found < 0 and page + 1 < len(pages):
            page, position = page + 1, 0
            found = pages[page].find(piece, position)
        assert found >= 0, f"{piece!r} of {section!r} missing or out of order"
        position = found + len(piece)
        seen.setdefault(section, []).append(page + 1)
    return seen


def test_every_section_title_label_and_value_reads_back_page_by_page_in_the_form_order() -> None:
    document = signed_document(two_mentors())
    pdf = render_pdf(document)
    seen = found_pages(pdf, rows_in_order(document))
    assert list(seen) == [
        "L'employeur", "L'apprenti(e)", "Maître d'apprentissage 1", "Maître d'apprentissage 2", "Le contrat",
        "Rémunération, ligne 1 : année 1, du 1er septembre 2026 au 31 août 2027",
        "Rémunération, ligne 2 : année 2, du 1er septembre 2027 au 31 août 2028",
        "Rémunération, ligne 3 : année 3, du 1er septembre 2028 au 31 août 2029",
        "La formation",
    ]
    pages = pages_text(pdf)
    assert len(pages) > 3, "the whole form does not fit on a few pages: the test would not check the page breaks"
    for number, text in enumerate(pages, start=1):
        assert "version 2, signée le 3 septembre 2026" in text
        assert f"Page {number} sur {len(pages)}" in text
        assert "établi par contract-flow à partir du dossier n° 7" in flat(text)
    # a section going on over a page says so under its heading there
    for title, on in seen.items():
        for page in sorted(set(on))[1:]:
            assert flat(f"{title} (suite)") in flat(pages[page - 1])


def test_every_field_of_the_form_is_in_the_document_with_its_label() -> None:
    document = signed_document(two_mentors())
    rows = {section.title: [item.label for item in section.fields] for section in document.sections}
    for section in (Section.EMPLOYER, Section.APPRENTICE, Section.CONTRACT, Section.TRAINING):
        assert rows[SECTION_LABELS[section].fr] == [spec.label.fr for spec in FORM[section]]
    mentor_labels = [spec.label.fr for spec in FORM[Section.MENTORS]]
    assert rows["Maître d'apprentissage 1"] == rows["Maître d'apprentissage 2"] == mentor_labels
    pay_blocks = [title for title in rows if title.startswith("Rémunération, ligne")]
    assert len(pay_blocks) == 3
    assert all(rows[title] == [spec.label.fr for spec in FORM[Section.PAY]] for title in pay_blocks)
    # no two rows of a section read the same: the apprentice's address is not mistaken for her representative's
    for labels in rows.values():
        assert len(set(labels)) == len(labels)


def test_values_are_written_as_people_read_them() -> None:
    text = "\n".join(pages_text(render_pdf(signed_document(two_mentors()))))
    for written in (
        "Date de début d'exécution du contrat\n1er septembre 2026",
        f"Salaire brut mensuel à l'embauche\n1{NNBSP}900,00 €",
        f"Durée de la formation (heures)\n1{NNBSP}800",
        "Taux minimal légal (%)\n53 %",
        "Type d'employeur\n12 — Entreprise inscrite uniquement au registre du commerce et des\nsociétés",
        "Niveau de ce diplôme ou titre\n5 — DEUG, BTS, DUT, DEUST",
        "Du SMIC ou du SMC\nSMIC\n",  # a code that is its own label is not said twice
        "Employeur public\nNon",
        "Né(e) en France\nOui",
        "732 829 320 00074",  # SIRET and NIR grouped as printed
        "2 04 05 30 007 123 96",
        "Téléphone\n04 66 78 50 00",
        "Adresse : commune\nAlès",  # accents
        "Commune de naissance\nAlès",
        "Jérôme",
        "Maître",
    ):
        assert written.replace(NBSP, " ") in text.replace(NBSP, " "), written


def test_the_english_document_has_the_english_labels_and_formats() -> None:
    document = signed_document(two_mentors(), language="en")
    pdf = render_pdf(document)
    found_pages(pdf, rows_in_order(document))
    text = flat("\n".join(pages_text(pdf)))
    assert document.title == "Apprenticeship contract — CERFA FA13 no. 10103*14"
    assert document.subtitle == "Léa Martin — case no. 7 — version 2, signed on 3 September 2026"
    titles = [section.title for section in document.sections]
    assert titles[:5] == ["The employer", "The apprentice", "Mentor 1", "Mentor 2", "The contract"]
    assert titles[5] == "Pay, line 1: year 1, 1 September 2026 to 31 August 2027"
    for section in Section:
        for spec in FORM[section]:
            assert flat(spec.label.en) in text
    for written in ("Contract start 1 September 2026", "Gross monthly pay at hiring €1,900.00",
                    "Employer type 12 — Business in the trade and companies register only", "Public employer No",
                    "Born in France Yes", "Phone +33 4 66 78 50 00", "Legal minimum rate (%) 53%"):
        assert written in text, written


def test_the_same_dossier_gives_the_same_bytes() -> None:
    first = render_pdf(signed_document(two_mentors()))
    render_pdf(signed_document(complete_dossier(), language="en"))  # another document in between changes nothing
    assert render_pdf(signed_document(two_mentors())) == first


def test_an_empty_dossier_shows_every_field_of_the_form_not_filled() -> None:
    document = dossier_document(Dossier(), case_id=12, candidate="Noé Çelik", version=None, signed_on=None)
    assert document.subtitle == "Noé Çelik — dossier n° 12 — brouillon"
    # one mentor and one pay line, empty: the blank form still shows their fields
    assert [section.title for section in document.sections] == [
        "L'employeur", "L'apprenti(e)", "Maître d'apprentissage 1", "Le contrat", "Rémunération, ligne 1",
        "La formation"]
    pdf = render_pdf(document)
    found_pages(pdf, rows_in_order(document))
    fields = sum(len(specs) for specs in FORM.values())
    assert flat(" ".join(pages_text(pdf))).count(NOT_FILLED) == fields
    english = dossier_document(Dossier(), case_id=12, candidate="Noé Çelik", version=None, signed_on=None,
                               language="en")
    text = flat(" ".join(pages_text(render_pdf(english))))
    assert (text.count("not filled in"), text.count(NOT_FILLED)) == (fields, 0)


def test_a_draft_version_and_an_unknown_language() -> None:
    draft = dossier_document(complete_dossier(), case_id=7, candidate="Léa Martin", version=3, signed_on=None)
    assert draft.subtitle == "Léa Martin — dossier n° 7 — version 3, brouillon"
    assert draft.footer.startswith("Formulaire CERFA FA13 n° 10103*14")
    with pytest.raises(ValueError, match="'de'"):
        dossier_document(complete_dossier(), case_id=7, candidate="Léa Martin", version=None, signed_on=None,
                         language="de")


def fields_of(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
    [found] = [item for item in data["sections"] if item["section"] == section]
    return [field for item in found["items"] for field in item["fields"]]


def test_the_json_is_the_same_data_with_machine_values_and_labels() -> None:
    dossier = two_mentors()
    data = dossier_json(dossier, case_id=7, version=2)
    assert [section["section"] for section in data["sections"]] == [section.value for section in Section]
    employer = {field["key"]: field for field in fields_of(data, "employer")}
    assert list(employer) == [spec.key for spec in FORM[Section.EMPLOYER]]
    assert employer["employer_type"]["value"] == "12"
    assert employer["employer_type"]["codes"] == "employer_types"
    assert employer["employer_type"]["code_label"]["fr"] == "Entreprise inscrite uniquement au registre du commerce " \
                                                            "et des sociétés"
    assert employer["public"]["value"] is False
    assert employer["headcount"]["value"] == 250
    assert employer["opco"]["required"] is False
    assert employer["address.complement"] == {
        "name": "employer.address.complement", "key": "address.complement",
        "label": {"fr": "Adresse : complément", "en": "Address: complement"}, "required": False, "codes": None,
        "value": None, "code_label": None}
    contract = {field["key"]: field["value"] for field in fields_of(data, "contract")}
    assert contract["start_date"] == "2026-09-01"
    assert contract["hiring_pay"] == "1900.00"
    [mentors] = [section for section in data["sections"] if section["section"] == "mentors"]
    assert [item["number"] for item in mentors["items"]] == [1, 2]
    assert mentors["items"][1]["fields"][0]["name"] == "mentors.2.last_name"
    assert mentors["label"] == {"fr": "Le maître d'apprentissage", "en": "The mentor"}

    # the values read back by the domain's parser give the same dossier
    sent = {section["section"]: {field["name"].split(".", 1)[1]: field["value"] for item in section["items"]
                                 for field in item["fields"] if field["value"] is not None}
            for section in data["sections"]}
    assert parse_dossier(sent) == dossier


def test_the_json_round_trips_through_its_pydantic_model_and_has_a_schema() -> None:
    for dossier, version in ((two_mentors(), 2), (Dossier(), None)):
        data = dossier_json(dossier, case_id=7, version=version)
        model = DossierOut.model_validate_json(json.dumps(data))
        assert model.model_dump(mode="json") == data
    schema = DossierOut.model_json_schema()
    assert {"DossierSectionOut", "DossierItemOut", "DossierFieldOut", "LabelsOut", "Section"} <= set(schema["$defs"])
    with pytest.raises(ValueError, match="extra"):
        DossierOut.model_validate({**data, "signed": True})

"""The PDF of a document, read back with pypdf: every section, label and value in the form's order, French
typography intact, nothing cut when a value is long or the fields many, the same bytes each time."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest

from contract_flow.documents import Document, DocumentField, DocumentSection, render_pdf
from contract_flow.documents.fonts import text_width
from contract_flow.documents.layout import (
    BAND,
    FIELD,
    INSET,
    LABEL_WIDTH,
    NOT_FILLED,
    RULE,
    VALUE_WIDTH,
    VALUE_X,
    paginate,
)

ROOT = Path(__file__).resolve().parents[3]
NBSP, NNBSP = "\u00a0", "\u202f"

EMPLOYER = DocumentSection("L’employeur", [
    DocumentField("Dénomination", "Boulangerie Lefèvre & Cœur SARL"),
    DocumentField("N° SIRET de l’établissement d’exécution du contrat", "732 829 320 00074"),
    DocumentField("Adresse", "12 rue de l’Église\r\n69003\tLyon"),
    DocumentField("Convention collective applicable (code IDCC)", "0843 — « Boulangerie-pâtisserie artisanale »"),
    DocumentField("Effectif salarié de l’entreprise", None),
    DocumentField("OPCO", "   "),
])
APPRENTICE = DocumentSection("L’apprenti(e)", [
    DocumentField("Nom de naissance", "Wąsik-Nguyễn"),
    DocumentField("Prénom", "Łucja Șerban"),
    DocumentField("Commune de naissance", "Saint-Étienne"),
    DocumentField("Nationalité", "1 — Française"),
    DocumentField("Projet de création ou de reprise d’entreprise", "Non"),
])
PAY = DocumentSection("La rémunération", [
    DocumentField("1re année, du 01/09/2026 au 31/08/2027", f"43{NBSP}% du SMIC, soit 774,30{NBSP}€ brut par mois"),
    DocumentField("Salaire brut mensuel à l’embauche", f"1{NNBSP}801,80{NBSP}€"),
])
DOSSIER = Document(
    title="Contrat d’apprentissage — CERFA FA13 n° 10103*14",
    subtitle="Dossier n° 1042 · version 3",
    sections=[EMPLOYER, APPRENTICE, PAY],
    footer="Version signée le 12 septembre 2026 à Lyon ; document établi par le CFA Métiers de bouche",
)


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text, the no-break space (drawn with the space glyph) read as the space it looks like."""
    return [page.extract_text().replace(NBSP, " ") for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(NBSP, " "))


def test_every_section_title_label_and_value_reads_back_in_the_form_order() -> None:
    [text] = pages_text(render_pdf(DOSSIER))
    expected = []
    for section in DOSSIER.sections:
        expected.append(section.title)
        for item in section.fields:
            expected += [flat(item.label), NOT_FILLED if item.is_empty else flat(item.value or "")]
    position = 0
    for piece in expected:
        found = flat(text).find(piece, position)
        assert found >= 0, f"{piece!r} missing or out of order"
        position = found + len(piece)


def test_french_typography_survives_the_round_trip() -> None:
    text = pages_text(render_pdf(DOSSIER))[0]
    assert "12 rue de l’Église\n69003 Lyon" in text
    for piece in ("é", "ç", "œ", "Cœur", "« Boulangerie-pâtisserie artisanale »", "774,30 €", "43 % du SMIC",
                  f"1{NNBSP}801,80 €", "l’Église", "Wąsik-Nguyễn", "Łucja Șerban", "1re année"):
        assert piece in text, piece


def test_an_empty_or_blank_value_shows_as_not_filled_never_as_nothing() -> None:
    text = pages_text(render_pdf(DOSSIER))[0]
    assert text.count(NOT_FILLED) == 2  # the headcount (None) and the OPCO (blanks)
    assert "Effectif salarié de l’entreprise\nnon renseigné" in text


def test_every_page_is_a4_and_says_the_case_the_version_and_its_number() -> None:
    many = Document(DOSSIER.title, DOSSIER.subtitle, [DocumentSection("Pièces", [
        DocumentField(f"Pièce justificative n° {n}", f"fournie le {n % 28 + 1:02d}/03/2026") for n in range(90)])],
        DOSSIER.footer)
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(many)))
    assert len(reader.pages) >= 3
    for number, page in enumerate(reader.pages, start=1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        text = page.extract_text()
        assert "Dossier n° 1042 · version 3" in text
        assert f"Page {number} sur {len(reader.pages)}" in text
        assert "Version signée le 12 septembre 2026 à Lyon" in text


def test_metadata_say_the_document_and_a_fixed_date() -> None:
    metadata = pypdf.PdfReader(io.BytesIO(render_pdf(DOSSIER))).metadata
    assert metadata is not None
    assert metadata.title == DOSSIER.title
    assert metadata.subject == DOSSIER.subtitle
    assert metadata.creation_date == datetime(2000, 1, 1, tzinfo=UTC)


def test_the_same_document_gives_the_same_bytes_even_after_others() -> None:
    first = render_pdf(DOSSIER)
    render_pdf(Document("Autre", "Dossier n° 7 · version 1", [APPRENTICE, EMPLOYER]))
    assert render_pdf(DOSSIER) == first


def test_the_same_document_gives_the_same_bytes_in_another_process() -> None:
    """A signed version downloads again unchanged, whatever the server rendered before and whenever."""
    script = ("import sys\nfrom tests.unit.documents.test_pdf_rendering import DOSSIER\n"
              "from contract_flow.documents import render_pdf\nsys.stdout.buffer.write(render_pdf(DOSSIER))")
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, timeout=120,
                           cwd=ROOT).stdout
    assert other == render_pdf(DOSSIER)


def test_threads_rendering_at_once_each_get_the_same_bytes() -> None:
    """The web server renders in threads; reportlab's font objects are shared and read with a file position."""
    small = Document(DOSSIER.title, DOSSIER.subtitle, [APPRENTICE])  # little to draw: the saves overlap most
    expected = render_pdf(small)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often, as under load
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda _: render_pdf(small), range(300)))
    finally:
        sys.setswitchinterval(interval)
    assert all(result == expected for result in results)


def test_a_very_long_value_wraps_inside_its_box_without_losing_a_word() -> None:
    words = [f"clause{n}-{'é' * (n % 5)}ç" for n in range(600)]
    unbroken = "IBAN:" + "FR7630006000011234567890189" * 6  # no space to break at: cut between characters
    document = Document("Titre", "Dossier n° 1 · version 1", [DocumentSection("Clauses", [
        DocumentField("Clauses particulières", " ".join(words)), DocumentField("Référence", unbroken)])])
    text = flat(" ".join(pages_text(render_pdf(document))))
    position = 0
    for word in words:
        position = text.index(word, position) + len(word)
    assert unbroken in text.replace(" ", "")
    for page in paginate(document):
        for block in page.texts:
            if block.style is FIELD:
                width = (LABEL_WIDTH if block.x < VALUE_X else VALUE_WIDTH) - 2 * INSET
                assert all(text_width(line, FIELD.font, FIELD.size) <= width for line in block.lines)


def test_many_fields_go_on_over_pages_under_their_repeated_heading() -> None:
    fields = [DocumentField(f"Période de formation n° {n}", f"du {n:03d} au {n + 1:03d}") for n in range(160)]
    document = Document("Titre", "Dossier n° 5 · version 2", [
        DocumentSection("Le contrat", fields[:3]), DocumentSection("La formation", fields)])
    pages = pages_text(render_pdf(document))
    assert len(pages) >= 5
    for text in pages[1:]:
        assert "La formation (suite)" in text
    everything = "\n".join(pages)
    for item in fields:
        assert f"{item.label}\n{item.value}" in everything


@pytest.mark.parametrize("before", range(0, 40, 3))
def test_a_heading_is_never_left_alone_at_the_bottom_of_a_page(before: int) -> None:
    """Wherever the previous section ends, the next heading stands on the page of its first field."""
    document = Document("Titre", "Dossier n° 3 · version 1", [
        DocumentSection("Avant", [DocumentField(f"Champ {n}", "x\ny" if n % 4 == 0 else "x") for n in range(before)]),
        DocumentSection("La formation", [DocumentField("Diplôme visé", "\n".join(["ligne"] * 4))]),
        DocumentSection("Signatures", [DocumentField("Fait à", "Lyon")])])
    for page in paginate(document):
        body = [box for box in page.boxes if box.style is not RULE]
        assert body[-1].style is not BAND


def test_a_value_taller_than_a_page_goes_on_over_the_next_one() -> None:
    lines = "\n".join(f"ligne {n:03d} de l’annexe" for n in range(130))
    document = Document("Titre", "Dossier n° 9 · version 1", [DocumentSection("Annexe", [
        DocumentField("Avant", "a"), DocumentField("Texte de l’annexe", lines), DocumentField("Après", "z")])])
    pages = pages_text(render_pdf(document))
    assert len(pages) >= 3
    assert "Texte de l’annexe (suite)" in pages[1]
    everything = "\n".join(pages)
    position = 0
    for n in range(130):
        position = everything.index(f"ligne {n:03d} de l’annexe", position)
    assert "Après\nz" in pages[-1]


@pytest.mark.parametrize("footer", ["", "Une note de bas de page " * 12])
def test_a_footer_absent_or_on_several_lines_leaves_the_page_numbers(footer: str) -> None:
    document = Document(DOSSIER.title, DOSSIER.subtitle, DOSSIER.sections, footer)
    [text] = pages_text(render_pdf(document))
    assert "Page 1 sur 1" in text
    assert flat(footer).strip() in flat(text)

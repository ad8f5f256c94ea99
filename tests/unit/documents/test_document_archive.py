"""An intake's PDFs streamed into one ZIP: every file there and readable, in the memory of one PDF however many."""

from __future__ import annotations

import io
import tempfile
import tracemalloc
import zipfile
from collections.abc import Iterator

import pypdf
import pytest

from contract_flow.documents import Document, DocumentField, DocumentSection, render_pdf, write_zip


def dossier(number: int, sections: int = 6, fields: int = 20) -> Document:
    return Document(
        title="Contrat d’apprentissage — CERFA FA13 n° 10103*14",
        subtitle=f"Dossier n° {number} · version 1",
        sections=[DocumentSection(f"Section {s}", [
            DocumentField(f"Champ {s}.{f} de l’apprenti(e)", f"valeur {number}-{s}-{f} — « réglée » " * (f % 3))
            for f in range(fields)]) for s in range(sections)],
        footer="Promotion 2026 — CFA Métiers de bouche",
    )


def intake(count: int, sections: int = 6, fields: int = 20) -> Iterator[tuple[str, Document]]:
    """Made one at a time, as a query over an intake's cases would give them."""
    for number in range(1, count + 1):
        yield f"dossier-{number:04d}.pdf", dossier(number, sections, fields)


def test_the_zip_holds_every_dossier_as_the_pdf_rendered_alone() -> None:
    out = io.BytesIO()
    write_zip(intake(12), out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [f"dossier-{n:04d}.pdf" for n in range(1, 13)]
        for number in (1, 7, 12):
            pdf = archive.read(f"dossier-{number:04d}.pdf")
            assert pdf == render_pdf(dossier(number))
            assert f"Dossier n° {number} · version 1" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_same_intake_gives_the_same_zip() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    write_zip(intake(3), first)
    write_zip(intake(3), second)
    assert first.getvalue() == second.getvalue()


def peak_memory_writing(count: int) -> int:
    """Small dossiers (tracemalloc slows rendering tenfold), each value different, as in an intake."""
    with tempfile.TemporaryFile() as out:
        write_zip(intake(1, sections=1, fields=3), out)  # fonts read and caches filled before measuring
        out.seek(0)
        out.truncate()
        tracemalloc.start()
        try:
            write_zip(intake(count, sections=1, fields=3), out)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_memory_stays_that_of_one_pdf_however_many_dossiers() -> None:
    small, large = peak_memory_writing(20), peak_memory_writing(200)
    # ten times the dossiers: the peak grows only by the archive's table of contents (a few hundred bytes an entry)
    assert large < small * 1.3, (small, large)


def test_a_write_only_stream_is_enough() -> None:
    """An HTTP response body cannot seek back: zipfile then writes each entry's sizes after it."""

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, chunk: bytes) -> int:  # type: ignore[override]
            self.data += chunk
            return len(chunk)

    out = Unseekable()
    write_zip(intake(2), out)  # type: ignore[arg-type]
    with zipfile.ZipFile(io.BytesIO(bytes(out.data))) as archive:
        assert archive.read("dossier-0002.pdf") == render_pdf(dossier(2))


@pytest.mark.parametrize("name", ["../dossier.pdf", "/etc/dossier.pdf", "a/../../b.pdf", "a\\b.pdf", "", "dir/"])
def test_a_name_that_could_write_outside_the_folder_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="relative path"):
        write_zip([(name, dossier(1))], io.BytesIO())


def test_two_dossiers_under_one_name_are_refused() -> None:
    with pytest.raises(ValueError, match="already has an entry"):
        write_zip([("dossier.pdf", dossier(1)), ("dossier.pdf", dossier(2))], io.BytesIO())

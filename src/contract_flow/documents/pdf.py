"""The laid-out pages drawn as a PDF with reportlab: A4, the Lato font embedded, the same bytes for the same document.

Deterministic on purpose: a signed version of the dossier must download again unchanged, byte for byte. reportlab's
invariant mode fixes the creation date and derives the file's ID from the content; nothing else in the file depends
on the time, the machine or what was rendered before. The date is 2000-01-01, unless the environment sets
SOURCE_DATE_EPOCH (reportlab then takes that one): a server must keep the setting its signed versions were made
with, or keep their bytes.
"""

from __future__ import annotations

import io
import threading

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from contract_flow.documents.fonts import fonts
from contract_flow.documents.layout import PAGE_HEIGHT, PAGE_WIDTH, Box, BoxStyle, Page, TextStyle, paginate
from contract_flow.documents.model import Document

# reportlab keeps a font's glyph numbering per document inside the shared font object and says one font object
# must not serve two documents at once; the web server renders in threads, so one document at a time (rendering
# holds the GIL anyway: the lock costs no throughput).
_RENDERING = threading.Lock()

# Streams as raw deflated bytes, not also ASCII85-encoded: a quarter smaller and several milliseconds faster per
# dossier (ASCII85 is for 7-bit channels, which a download is not). reportlab reads this setting when it writes.
rl_config.useA85 = 0


def render_pdf(document: Document) -> bytes:
    """The document as an A4 PDF, its pages numbered, every field with its label in the document's order."""
    fonts()
    return draw(paginate(document), title=document.title, subject=document.subtitle)


def draw(pages: list[Page], *, title: str, subject: str, text: bool = True) -> bytes:
    """The pages as a PDF. Without `text`, the same boxes and rules alone: the blank layout the benchmark compares
    with."""
    with _RENDERING:
        return _draw(pages, title=title, subject=subject, text=text)


def _draw(pages: list[Page], *, title: str, subject: str, text: bool) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=True, pageCompression=True,
                    lang="fr-FR")
    canvas.setTitle(title)
    canvas.setSubject(subject)
    canvas.setAuthor("contract-flow")
    canvas.setCreator("contract-flow")
    for page in pages:
        _draw_boxes(canvas, page)
        if text:
            _draw_texts(canvas, page)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_boxes(canvas: Canvas, page: Page) -> None:
    """The page's boxes grouped by style (none overlaps another), so each colour and dash is said once."""
    by_style: dict[BoxStyle, list[Box]] = {}
    for box in page.boxes:
        by_style.setdefault(box.style, []).append(box)
    canvas.setLineWidth(0.6)
    for style, boxes in by_style.items():
        if style.fill is not None:
            canvas.setFillColorRGB(*style.fill)
        if style.stroke is not None:
            canvas.setStrokeColorRGB(*style.stroke)
        canvas.setDash([2, 2] if style.dashed else [])
        stroke, fill = style.stroke is not None, style.fill is not None
        for box in boxes:
            canvas.rect(box.x, box.y, box.width, box.height, stroke=stroke, fill=fill)


def _draw_texts(canvas: Canvas, page: Page) -> None:
    """All the page's text in one text object, in reading order, saying the font and colour only when they
    change; the lines of a block follow each other by the font's leading (T*), only its first is placed."""
    text = canvas.beginText()
    current: TextStyle | None = None
    for block in page.texts:
        if block.style is not current:
            current = block.style
            text.setFont(current.font, current.size, current.leading)
            text.setFillColorRGB(*current.color)
        text.setTextOrigin(block.x, block.y)
        for line in block.lines:
            text.textLine(line)  # not textOut: it measures the text to move a cursor that textLine resets
    canvas.drawText(text)

"""Where everything goes: a document laid out on A4 pages as boxes and lines of text, before anything is drawn.

One column, in the document's order, so that a phone showing the page at its width reads it top to bottom
without panning: each field is a row, its label in a shaded cell on the left, its value in a box on the right,
both in the same 10-point type; an empty value is a dashed box saying "non renseigné", so a missing field is
seen, not guessed. A section's heading is repeated,
"(suite)", at the top of each page it continues on; a value too long for the rest of the page goes on over the
next one, its label repeated "(suite)": nothing is cut. Every page has the document's title and subtitle on top,
its footer and "Page n sur N" at the bottom, which is why the layout is done whole before drawing.

Lines are wrapped at spaces only (never at U+00A0 nor U+202F, which French typography puts where a line must not
break), a word longer than its box is broken between characters. Wrapping measures with the embedded font's
widths; labels repeat from one dossier to the next, so wrapped texts are remembered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from reportlab.lib.pagesizes import A4

from contract_flow.documents.fonts import BOLD, REGULAR, text_width, widest
from contract_flow.documents.model import Document, DocumentField, DocumentSection

NOT_FILLED = "non renseigné"
CONTINUED = " (suite)"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 36.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LABEL_WIDTH = 190.0  # the label cell; the value box takes the rest of the line
VALUE_X = MARGIN + LABEL_WIDTH + 4
VALUE_WIDTH = PAGE_WIDTH - MARGIN - VALUE_X
PADDING = 5.0  # inside a cell, above and below its text
INSET = 6.0  # inside a cell or a heading band, left of its text
ROW_GAP = 4.0
SECTION_GAP = 10.0

Color = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class TextStyle:
    font: str
    size: float
    leading: float
    color: Color

    @property
    def drop(self) -> float:
        """From the top of a line to its baseline: the text's ascent centred in the leading."""
        return (self.leading - self.size) / 2 + self.size * 0.86


@dataclass(frozen=True, slots=True)
class BoxStyle:
    fill: Color | None
    stroke: Color | None
    dashed: bool = False


TITLE = TextStyle(BOLD, 11.5, 14.0, (0.08, 0.16, 0.32))
SUBTITLE = TextStyle(REGULAR, 9.5, 12.0, (0.25, 0.25, 0.25))
HEADING = TextStyle(BOLD, 11.0, 14.0, (0.08, 0.16, 0.32))
# Labels and values share one style: a PDF says the font and colour again at every change, which costs a third
# of the text's drawing time when labels and values alternate; the cells tell them apart.
FIELD = TextStyle(REGULAR, 10.0, 12.5, (0.05, 0.05, 0.05))
EMPTY = TextStyle(REGULAR, 9.0, 12.5, (0.42, 0.42, 0.42))
FOOTER = TextStyle(REGULAR, 8.0, 10.0, (0.3, 0.3, 0.3))

BAND = BoxStyle(fill=(0.85, 0.89, 0.95), stroke=None)
LABEL_CELL = BoxStyle(fill=(0.95, 0.95, 0.95), stroke=None)
FILLED_BOX = BoxStyle(fill=None, stroke=(0.35, 0.35, 0.35))
EMPTY_BOX = BoxStyle(fill=(0.97, 0.97, 0.97), stroke=(0.55, 0.55, 0.55), dashed=True)
RULE = BoxStyle(fill=(0.5, 0.5, 0.5), stroke=None)
RULE_THICKNESS = 0.6


class Box(NamedTuple):
    x: float
    y: float
    width: float
    height: float
    style: BoxStyle


class Text(NamedTuple):
    """Lines of text one under the other, the first one's baseline at y, the next ones a leading lower."""

    x: float
    y: float
    lines: tuple[str, ...]
    style: TextStyle


@dataclass(slots=True)
class Page:
    boxes: list[Box] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)


def wrap(text: str, style: TextStyle, width: float, *, remember: bool = True) -> tuple[str, ...]:
    """`text` in lines no wider than `width`; its own line breaks kept. Labels and headings, the same in every
    dossier, are remembered; values (`remember=False`) are not, or the memory would grow with an intake."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if "\n" not in text and len(text) * style.size * widest(style.font) <= width:
        return (text,)
    if remember:
        return _wrap_remembered(text, style.font, style.size, width)
    return _wrap_measured(text, style.font, style.size, width)


@lru_cache(maxsize=1024)
def _wrap_remembered(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    return _wrap_measured(text, font, size, width)


def _wrap_measured(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    lines: list[str] = []
    space = text_width(" ", font, size)
    for paragraph in text.split("\n"):
        line, line_width = "", 0.0
        for word in paragraph.rstrip().split(" "):
            word_width = text_width(word, font, size)
            if line and line_width + space + word_width <= width:
                line, line_width = f"{line} {word}", line_width + space + word_width
                continue
            if line:
                lines.append(line)
            line, line_width = word, word_width
            while line_width > width:  # a word wider than the box: cut between characters
                head = _longest_head(line, font, size, width)
                lines.append(head)
                line = line[len(head):]
                line_width = text_width(line, font, size)
        lines.append(line)
    return tuple(lines)


def _longest_head(word: str, font: str, size: float, width: float) -> str:
    """The longest start of `word` that fits in `width`, at least one character."""
    total = 0.0
    for count, character in enumerate(word):
        total += text_width(character, font, size)
        if total > width:
            return word[:max(count, 1)]
    return word


class _Row(NamedTuple):
    label: tuple[str, ...]
    value: tuple[str, ...]
    empty: bool

    @property
    def height(self) -> float:
        return _height(len(self.label), len(self.value))


def _height(label_lines: int, value_lines: int) -> float:
    return max(label_lines, value_lines) * FIELD.leading + 2 * PADDING


def _row(item: DocumentField, not_filled: str = NOT_FILLED) -> _Row:
    label = wrap(item.label, FIELD, LABEL_WIDTH - 2 * INSET)
    if item.is_empty:
        return _Row(label, (not_filled,), empty=True)
    return _Row(label, wrap(item.value or "", FIELD, VALUE_WIDTH - 2 * INSET, remember=False), empty=False)


class _Paginator:
    """Places headings and rows from the top of the body down, opening a page when the next one does not fit."""

    def __init__(self, top: float, bottom: float) -> None:
        self.top, self.bottom = top, bottom
        self.pages: list[Page] = [Page()]
        self.y = top
        self.fresh = True  # nothing but a heading on this page yet: a row that does not fit must be split here

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def room(self) -> float:
        return self.y - self.bottom

    def body(self, section: str) -> float:
        """The room for rows on a page that continues `section`."""
        return self.top - self.bottom - _heading_height(section + CONTINUED) - ROW_GAP

    def new_page(self, continued: str) -> None:
        self.pages.append(Page())
        self.y = self.top
        if continued:
            self.heading(continued + CONTINUED)
        self.fresh = True

    def heading(self, title: str) -> None:
        lines = wrap(title, HEADING, CONTENT_WIDTH - 2 * INSET)
        height = _heading_height(title)
        self.page.boxes.append(Box(MARGIN, self.y - height, CONTENT_WIDTH, height, BAND))
        self._text(MARGIN + INSET, self.y - PADDING, lines, HEADING)
        self.y -= height + ROW_GAP

    def section(self, section: DocumentSection, not_filled: str = NOT_FILLED) -> None:
        rows = [_row(item, not_filled) for item in section.fields]
        # a heading is never left alone at the bottom of a page: its first row goes with it (its first line, when
        # that row is taller than a page and will be split anyway)
        first = 0.0
        if rows:
            first = rows[0].height
            if first > self.body(section.title):
                first = _height(len(rows[0].label), 1)
        if not self.fresh and _heading_height(section.title) + ROW_GAP + first > self.room():
            self.new_page("")
        self.heading(section.title)
        self.fresh = self.y >= self.top - _heading_height(section.title) - ROW_GAP
        for row in rows:
            self.place(row, section.title)
        self.y -= SECTION_GAP - ROW_GAP

    def place(self, row: _Row, section: str) -> None:
        while row.height > self.room():
            if not self.fresh and row.height <= self.body(section):
                self.new_page(section)  # it fits whole on the next page
                continue
            # taller than a page, or than the rest of this one: as many of its lines as fit here, then the rest
            fitting = int((self.room() - 2 * PADDING) // FIELD.leading)
            if fitting < 1:
                if self.fresh:
                    raise ValueError("the header and footer leave no room for a line on the page")
                self.new_page(section)
                continue
            self._draw(_Row(row.label[:fitting], row.value[:fitting], row.empty))
            rest = row.label[fitting:] or wrap(" ".join(row.label) + CONTINUED, FIELD, LABEL_WIDTH - 2 * INSET)
            row = _Row(rest, row.value[fitting:], row.empty)
            self.new_page(section)
        self._draw(row)

    def _draw(self, row: _Row) -> None:
        height = row.height
        boxes = self.page.boxes
        boxes.append(Box(MARGIN, self.y - height, LABEL_WIDTH, height, LABEL_CELL))
        boxes.append(Box(VALUE_X, self.y - height, VALUE_WIDTH, height, EMPTY_BOX if row.empty else FILLED_BOX))
        self._text(MARGIN + INSET, self.y - PADDING, row.label, FIELD)
        self._text(VALUE_X + INSET, self.y - PADDING, row.value, EMPTY if row.empty else FIELD)
        self.y -= height + ROW_GAP
        self.fresh = False

    def _text(self, x: float, top: float, lines: tuple[str, ...], style: TextStyle) -> None:
        if lines:
            self.page.texts.append(Text(x, top - style.drop, lines, style))


def _heading_height(title: str) -> float:
    return len(wrap(title, HEADING, CONTENT_WIDTH - 2 * INSET)) * HEADING.leading + 2 * PADDING


def paginate(document: Document) -> list[Page]:
    """The document's pages, each with its header, body and footer, in reading order."""
    title = wrap(document.title, TITLE, CONTENT_WIDTH)
    subtitle = wrap(document.subtitle, SUBTITLE, CONTENT_WIDTH)
    header_rule = PAGE_HEIGHT - MARGIN - len(title) * TITLE.leading - len(subtitle) * SUBTITLE.leading - 4
    number_room = text_width("Page 999 sur 999", FOOTER.font, FOOTER.size) + 12
    footer = wrap(document.footer, FOOTER, CONTENT_WIDTH - number_room) if document.footer.strip() else ()
    footer_rule = MARGIN - 12 + max(len(footer), 1) * FOOTER.leading + 4
    paginator = _Paginator(top=header_rule - 10, bottom=footer_rule + 8)
    for section in document.sections:
        paginator.section(section, document.not_filled)
    pages = paginator.pages
    for number, body in enumerate(pages, start=1):
        top = PAGE_HEIGHT - MARGIN
        page = Page(boxes=[Box(MARGIN, header_rule, CONTENT_WIDTH, RULE_THICKNESS, RULE)],
                    texts=[Text(MARGIN, top - TITLE.drop, title, TITLE),
                           Text(MARGIN, top - len(title) * TITLE.leading - SUBTITLE.drop, subtitle, SUBTITLE)])
        page.boxes += body.boxes
        page.texts += body.texts
        page.boxes.append(Box(MARGIN, footer_rule, CONTENT_WIDTH, RULE_THICKNESS, RULE))
        baseline = footer_rule - 4 - FOOTER.drop
        if footer:
            page.texts.append(Text(MARGIN, baseline, footer, FOOTER))
        numbering = f"Page {number} sur {len(pages)}"
        page.texts.append(Text(PAGE_WIDTH - MARGIN - text_width(numbering, FOOTER.font, FOOTER.size), baseline,
                               (numbering,), FOOTER))
        pages[number - 1] = page
    return pages

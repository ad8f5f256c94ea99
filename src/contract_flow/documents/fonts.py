"""The PDF's typeface, embedded in every file: Lato 2.015 (SIL Open Font License), from the fontpkg-lato package.

No system font is needed. Lato's 3,000 glyphs cover French and its typography (é, ç, œ, « », €, the narrow
no-break space U+202F that CLDR puts between groups of digits) and the Latin Extended names of people born
elsewhere (Ł, ș, ğ, Vietnamese), where reportlab's bundled Vera stops at Latin-1 and has no U+202F; a character
beyond it (CJK, emoji) would show as an empty box. reportlab embeds, per document, only the glyphs that document
uses. A no-break space U+00A0 is drawn with the space glyph (reportlab's choice), so it reads back as a space.
"""

from __future__ import annotations

from functools import cache

import fontpkg
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "Lato"
BOLD = "Lato-Bold"


@cache
def fonts() -> dict[str, TTFont]:
    """The fonts by name, read and registered with reportlab once per process (each file is parsed once)."""
    # asciiReadable=False: a document embeds the glyphs it uses, not all of ASCII besides
    loaded = {REGULAR: TTFont(REGULAR, str(fontpkg.path("Lato", weight=400)), asciiReadable=False),
              BOLD: TTFont(BOLD, str(fontpkg.path("Lato", weight=700)), asciiReadable=False)}
    for font in loaded.values():
        pdfmetrics.registerFont(font)
    return loaded


@cache
def widest(font: str) -> float:
    """The widest advance of any glyph of `font`, per point of size: a text of n characters is never wider than
    n times this, which spares measuring the many short values that obviously fit."""
    return float(max(fonts()[font].face.charWidths.values())) / 1000


def text_width(text: str, font: str, size: float) -> float:
    return float(fonts()[font].stringWidth(text, size))

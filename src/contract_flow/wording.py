"""Words for people, beside the formatter: the engine's reasons in the reader's language, and French elision.

`reason_text` words a guard's reason or an input's rule (domain.reasons.Reason) in a language, its days, amounts and
numbers written by Babel (`contract_flow.formatting`) and its codes by their names (`contract_flow.labels`); a text
that only exists in English (a rule set's own message) stays as it is, and `is_worded` tells the pages so they can
mark it `lang="en"`. The pages, the CLI and the API's `*_text` fields all call it.

`elide` is French's «de Inès» → «d'Inès»: the catalogue's `de {name}` and `que {name}` before a value that begins
with a vowel or a mute h (web.i18n.Translator applies it to every French text; the CLI and the emails call it).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from contract_flow.domain.reasons import Code, Reason, Typed, said
from contract_flow.formatting import format_day, format_moment, format_money, format_number
from contract_flow.labels import catalogue

__all__ = ["colon", "elide", "elide_template", "is_worded", "reason_text", "written"]


def written(name: str, value: object, language: str) -> str:
    """A value of a reason as people of `language` write it: a day, an amount, a rate, a number, a code's name."""
    if isinstance(value, Typed):
        return f"«\u00a0{value.text}\u00a0»" if language == "fr" else f"“{value.text}”"
    if isinstance(value, Code):
        return catalogue(language).get(f"{value.group}.{value.code}", value.code)
    if isinstance(value, datetime):
        return format_moment(value, language, "short")
    if isinstance(value, date):
        return format_day(value, language, "short")
    if isinstance(value, Decimal) and name.endswith("_pct") and value == value.to_integral_value():
        value = value.to_integral_value()  # a rate of 53.00 % reads 53 %
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return format_money(value, language) if name.endswith("_eur") else format_number(value, language)
    return str(value)


def reason_text(reason: str, language: str) -> str:
    """`reason` in `language` (its English when it has no other words)."""
    return said(reason, language, written)


def colon(language: str) -> str:
    """What joins a name to what follows it: French puts a space before the colon, English none."""
    return " : " if language == "fr" else ": "


def is_worded(reason: str) -> bool:
    """Whether `reason` has words in every language (else it is English only, to be marked so on a page)."""
    return isinstance(reason, Reason)


#: Words French elides before a vowel or a mute h (the ones the catalogue puts before a name or a value).
_ELIDED = ("de", "que", "De", "Que")
_VOWELS = frozenset("aeiouhAEIOUH")


def _starts_with_vowel(text: str) -> bool:
    """A vowel or a mute h; a Y before a consonant («Yves»), not before a vowel («Yanis»)."""
    letters = unicodedata.normalize("NFD", text.lstrip()[:2])  # «É» is E and its accent
    first = letters[:1]
    if first in ("y", "Y"):
        return letters[1:2].lower() not in ("", *"aeiou")
    return first in _VOWELS


def elide(word: str, following: str, apostrophe: str = "'") -> str:
    """«de» + «Inès» → «d'Inès», «de» + «Paul» → «de Paul», «que» + «Yves» → «qu'Yves»."""
    if word in _ELIDED and _starts_with_vowel(following):
        return f"{word[:-1]}{apostrophe}{following.lstrip()}"
    return f"{word} {following}"


_BEFORE_VALUE = re.compile(r"\b(" + "|".join(_ELIDED) + r") \{(\w+)\}")


def elide_template(text: str, values: dict[str, object], apostrophe: str = "'") -> str:
    """A catalogue text whose `de {name}` is elided when the value given for `name` begins with a vowel: the
    placeholder stays, so the text is then formatted as usual."""
    def _one(match: re.Match[str]) -> str:
        word, name = match.group(1), match.group(2)
        value = values.get(name)
        if isinstance(value, str) and _starts_with_vowel(value):
            return f"{word[:-1]}{apostrophe}{{{name}}}"
        return match.group(0)
    return _BEFORE_VALUE.sub(_one, text)

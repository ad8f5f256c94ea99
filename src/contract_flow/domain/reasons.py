"""Why the engine refuses, in the words of each language: a guard's reason or an input's rule as a code and values.

A `Reason` is a `str`, its English text (what the API's `reasons` and an error's `rule` give, what the logs and the
tests read), that also keeps its key in `domain.reason_texts.TEXTS` and its values: the pages and the CLI word it in
the reader's language, its values written by Babel outside the domain (`services.views.reason_text`). Text built by
joining a Reason to other text is plain English again, so a reason is made whole where it is said.

Values: a day (`date`), an amount (a `Decimal` whose name ends in `_eur`), a rate (`_pct`), a number, a text (a
fact's key, a SIRET, an email: the same in both languages), a `Label` (words of both languages), a `Code` (an
engine's code people read by its label: a trigger, a role, a state), another Reason, a dossier refusal's `Message`,
or a tuple of them (a list, joined by ", "; `reasons`, sentences, by "; ").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol, TypeAlias

from contract_flow.domain.reason_texts import TEXTS, Label

__all__ = ["TEXTS", "Code", "Label", "Reason", "Typed", "Writer", "plain", "said"]


@dataclass(frozen=True)
class Code:
    """An engine's code shown by its label (`group` as in `contract_flow.labels`: "trigger", "role", "state"...);
    in the API's English it is the code itself."""

    group: str
    code: str
    #: How the API's English writes it when not as the code ("programme lead").
    english: str | None = None

    def __str__(self) -> str:
        return self.code if self.english is None else self.english


@dataclass(frozen=True)
class Typed:
    """What a person typed, quoted: Python's repr in the API's English ('31/02'), « 31/02 » in French."""

    text: str

    def __str__(self) -> str:
        return repr(self.text)


class _Worded(Protocol):
    def text(self, language: str, write: Writer = ...) -> str: ...


class _Words(Protocol):
    def in_language(self, language: str) -> str: ...


#: How a value is written for people: (its name, the value, the language) -> text.
Writer: TypeAlias = Callable[[str, object, str], str]


def plain(name: str, value: object, language: str) -> str:
    """The English of the API: ISO dates, Paris wall times to the minute, amounts with two decimals and the euro
    sign, codes as codes."""
    if isinstance(value, Decimal) and name.endswith("_eur"):
        return f"{value:.2f} €"
    if isinstance(value, datetime):  # a wall time, already in Paris
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, date) else str(value)


class Reason(str):
    """A reason in English (the str itself), with its key in TEXTS and its values to word it in any language."""

    key: str
    values: tuple[tuple[str, object], ...]

    def __new__(cls, key: str, /, **values: object) -> Reason:
        if key not in TEXTS:
            raise KeyError(f"no reason {key!r} in domain.reason_texts.TEXTS")
        items = tuple(values.items())
        made = super().__new__(cls, _format(key, items, "en", plain))
        made.key = key
        made.values = items
        return made

    def text(self, language: str, write: Writer = plain) -> str:
        """The reason in `language`, each value put in words by `write`."""
        return _format(self.key, self.values, language, write)

    def __reduce__(self) -> tuple[object, ...]:  # a copy or a pickle keeps the words, not only the English
        return (_rebuild, (self.key, self.values))


def _rebuild(key: str, values: tuple[tuple[str, object], ...]) -> Reason:
    return Reason(key, **dict(values))


def _format(key: str, values: tuple[tuple[str, object], ...], language: str, write: Writer) -> str:
    return TEXTS[key].in_language(language).format(**{name: _put(name, value, language, write)
                                                      for name, value in values})


def _put(name: str, value: object, language: str, write: Writer) -> str:
    if isinstance(value, Reason):
        return value.text(language, write)
    if isinstance(value, tuple):  # a list; a refusal's reasons are sentences, joined by «;»
        joint = ("; " if language == "en" else " ; ") if name == "reasons" else ", "
        return joint.join(_put(name, part, language, write) for part in value)
    if callable(getattr(value, "in_language", None)):  # a Label, here or the dossier's
        words: _Words = value  # type: ignore[assignment]
        return words.in_language(language)
    if callable(getattr(value, "text", None)):  # a dossier refusal's Message
        worded: _Worded = value  # type: ignore[assignment]
        return worded.text(language, write)
    return write(name, value, language)


def said(reason: str, language: str, write: Writer = plain) -> str:
    """Any reason in `language`: a Reason in its words, a text that only exists in English as it is."""
    return reason.text(language, write) if isinstance(reason, Reason) else reason

"""A document as plain data: a title, a subtitle, sections of labelled fields and a footer.

It knows nothing of contracts: the dossier (domain/dossier) is turned into one by a small adapter, in the form's
order, each value already written for people (dates, amounts and codes formatted). The renderers lay it out as
it is: they never reorder, drop nor shorten a field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DocumentField:
    """One box of the form: its label and the value written in it; None or blank when nobody filled it."""

    label: str
    value: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.value is None or not self.value.strip()


@dataclass(frozen=True, slots=True)
class DocumentSection:
    title: str
    fields: Sequence[DocumentField]


@dataclass(frozen=True, slots=True)
class Document:
    """What a PDF shows: `title` and `subtitle` head every page (the form's name; the case number and the
    dossier's version), `footer` closes every page beside its number."""

    title: str
    subtitle: str
    sections: Sequence[DocumentSection]
    footer: str = ""
    #: What an empty box reads, in the document's language.
    not_filled: str = "non renseigné"

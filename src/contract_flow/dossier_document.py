"""The contract dossier as people and programs read it: the CERFA FA13 laid out as a `Document` for the PDF, and the
same data as JSON.

The adapter between the pure dossier (domain/dossier) and the renderer (documents), which know nothing of each
other. `dossier_document` follows the form: its sections in order, EVERY field of `FORM` with its label in the
reader's language (French or English: both are in `FORM`, `SECTION_LABELS` and `CODE_LISTS`), even the empty ones,
which the renderer shows "non renseigné", so a missing field is seen. Values are written as people read them, with
the project's formatter (Babel): dates "1er septembre 2026", amounts "1 234,56 €", rates "53 %", Oui/Non, codes as
"12 — label", SIRET and NIR grouped as printed on their cards, French phones "04 66 78 50 00". Mentors are
numbered blocks ("Maître d'apprentissage 1", "2"), pay lines one block per line headed by its year and dates; a
section holding none yet shows one block of empty fields, so the blank form still shows every field.

`dossier_json` gives the same fields as machine values (codes, ISO dates, amounts "1234.56", true/false), each with
its labels in both languages: the shape of `api.dossier_schemas.DossierOut`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from stdnum.fr import nir, siret

from contract_flow.documents import Document, DocumentField, DocumentSection
from contract_flow.domain.dossier import (
    CODE_LISTS,
    FORM,
    SECTION_LABELS,
    Dossier,
    FormField,
    Label,
    Mentor,
    PayLine,
    Section,
)
from contract_flow.formatting import LANGUAGES, format_day, format_money, format_number, format_percent
from contract_flow.jsonable import jsonable

FORM_NAME = Label("CERFA FA13 n° 10103*14", "CERFA FA13 no. 10103*14")
TITLE = Label(f"Contrat d'apprentissage — {FORM_NAME.fr}", f"Apprenticeship contract — {FORM_NAME.en}")
#: What an empty box reads.
NOT_FILLED = Label("non renseigné", "not filled in")
#: The name of each numbered block of the sections holding several items.
MENTOR_BLOCK = Label("Maître d'apprentissage", "Mentor")
PAY_BLOCK = Label("Rémunération, ligne", "Pay, line")
YES_NO = {True: Label("Oui", "Yes"), False: Label("Non", "No")}
#: Decimal fields that are rates in % (the others are amounts in euros).
_RATES = frozenset({"rate", "minimum_rate"})
_FRENCH_PHONE_DIGITS = 9  # after +33


def dossier_document(dossier: Dossier, *, case_id: int, candidate: str, version: int | None,
                     signed_on: date | None, language: str = "fr") -> Document:
    """The dossier of case `case_id` as the CERFA FA13 reads, in `language` ("fr" or "en"): version `version` of
    `candidate`'s dossier, signed on `signed_on` (None: a draft)."""
    if language not in LANGUAGES:
        raise ValueError(f"no dossier document in {language!r}: only {', '.join(LANGUAGES)}")
    sections: list[DocumentSection] = []
    for section in Section:
        for title, item in _blocks(dossier, section, language):
            fields = [DocumentField(spec.label.in_language(language),
                                    _written(spec, _value(item, spec.key), language)) for spec in FORM[section]]
            sections.append(DocumentSection(title, fields))
    subtitle = _subtitle(case_id, candidate, version, signed_on, language)
    return Document(TITLE.in_language(language), subtitle, sections, footer=_footer(case_id, language),
                    not_filled=NOT_FILLED.in_language(language))


def _blocks(dossier: Dossier, section: Section, language: str) -> list[tuple[str, object]]:
    """The section's blocks, each a title and the object holding its fields, in the form's order."""
    if section is Section.MENTORS:
        mentors = dossier.mentors or (Mentor(),)
        return [(f"{MENTOR_BLOCK.in_language(language)} {number}", mentor)
                for number, mentor in enumerate(mentors, start=1)]
    if section is Section.PAY:
        lines = dossier.pay_lines or (PayLine(),)
        return [(_pay_title(number, line, language), line) for number, line in enumerate(lines, start=1)]
    return [(SECTION_LABELS[section].in_language(language), dossier.section(section))]


def _pay_title(number: int, line: PayLine, language: str) -> str:
    """"Rémunération, ligne 1 : année 1, du 1er septembre 2026 au 31 août 2027", as much of it as is filled."""
    title = f"{PAY_BLOCK.in_language(language)} {number}"
    details = []
    if line.contract_year is not None:
        details.append(f"{'année' if language == 'fr' else 'year'} {line.contract_year}")
    if line.start is not None and line.end is not None:
        start, end = format_day(line.start, language), format_day(line.end, language)
        details.append(f"du {start} au {end}" if language == "fr" else f"{start} to {end}")
    if not details:
        return title
    return f"{title}{' :' if language == 'fr' else ':'} {', '.join(details)}"


def _subtitle(case_id: int, candidate: str, version: int | None, signed_on: date | None, language: str) -> str:
    """"Léa Martin — dossier n° 7 — version 2, signée le 3 septembre 2026" (or "…, brouillon")."""
    french = language == "fr"
    state = []
    if version is not None:
        state.append(f"version {version}")
    if signed_on is None:
        state.append("brouillon" if french else "draft")
    else:
        state.append(f"{'signée le' if french else 'signed on'} {format_day(signed_on, language)}")
    case = f"dossier n° {case_id}" if french else f"case no. {case_id}"
    return " — ".join([candidate, case, ", ".join(state)])


def _footer(case_id: int, language: str) -> str:
    if language == "fr":
        return (f"Formulaire {FORM_NAME.fr} (contrat d'apprentissage), établi par contract-flow à partir du dossier "
                f"n° {case_id}")
    return f"Form {FORM_NAME.en} (apprenticeship contract), produced by contract-flow from case no. {case_id}"


def _value(item: object, key: str) -> object:
    """The value at `key` ("address.street", "legal_representative.address.town") of a section's object."""
    for part in key.split("."):
        item = getattr(item, part)
    return item


def _written(spec: FormField, value: object, language: str) -> str | None:  # noqa: PLR0911 (one case per type)
    """A field's value as people read it; None when nobody filled it."""
    if value is None:
        return None
    if isinstance(value, bool):  # before int: a bool is an int
        return YES_NO[value].in_language(language)
    if isinstance(value, date):
        return format_day(value, language)
    if isinstance(value, Decimal):
        return format_percent(value, language) if spec.key in _RATES else format_money(value, language)
    if isinstance(value, int):
        return format_number(value, language)
    text = str(value)
    if spec.codes is not None:
        label = spec.codes.label(text, language)
        return text if label == text else f"{text} — {label}"  # "SMIC", not "SMIC — SMIC"
    return _identifier(spec.key.rsplit(".", 1)[-1], text, language)


def _identifier(name: str, text: str, language: str) -> str:
    """Identifiers grouped as printed: SIRET "732 829 320 00074", NIR "2 04 05 30 007 123 96", a French phone
    "04 66 78 50 00" for French readers (others dial "+33 4 66 78 50 00"); any other text as it is."""
    if name.endswith("siret"):
        return str(siret.format(text))
    if name == "nir":
        return str(nir.format(text))
    if name == "phone" and text.startswith("+33") and len(text) == 3 + _FRENCH_PHONE_DIGITS:
        digits = text[3:]
        pairs = " ".join(digits[i:i + 2] for i in range(1, _FRENCH_PHONE_DIGITS, 2))
        return f"0{digits[0]} {pairs}" if language == "fr" else f"+33 {digits[0]} {pairs}"
    return text


def dossier_json(dossier: Dossier, *, case_id: int, version: int | None) -> dict[str, Any]:
    """The dossier of case `case_id` as JSON: each section in the form's order, its items (one for a section of
    one object, one per mentor or pay line, numbered from 1), every field of `FORM` with its name as refusals give
    it ("mentors.1.last_name"), its labels, whether the form requires it, its value as a machine reads it (a code,
    an ISO date, an amount "1234.56", true/false, a whole number, null when empty) and a code's labels."""
    return {
        "form": FORM_NAME.fr,
        "case_id": case_id,
        "version": version,
        "sections": [{"section": section.value, "label": _labels(SECTION_LABELS[section]),
                      "items": _json_items(dossier, section)} for section in Section],
    }


def _json_items(dossier: Dossier, section: Section) -> list[dict[str, Any]]:
    value = dossier.section(section)
    if isinstance(value, tuple):
        return [_json_item(section, number, item) for number, item in enumerate(value, start=1)]
    return [_json_item(section, None, value)]


def _json_item(section: Section, number: int | None, item: object) -> dict[str, Any]:
    prefix = section.value if number is None else f"{section.value}.{number}"
    return {"number": number, "fields": [_json_field(f"{prefix}.{spec.key}", spec, _value(item, spec.key))
                                         for spec in FORM[section]]}


def _json_field(name: str, spec: FormField, value: object) -> dict[str, Any]:
    code_label = None
    if spec.codes is not None and isinstance(value, str):
        code_label = _labels(spec.codes.entries[value])
    return {"name": name, "key": spec.key, "label": _labels(spec.label), "required": spec.required,
            "codes": next((name for name, codes in CODE_LISTS.items() if codes is spec.codes), None),
            "value": jsonable(value), "code_label": code_label}


def _labels(label: Label) -> dict[str, str]:
    return {"fr": label.fr, "en": label.en}


"""The import's words in French and English, for the pages and the CLI alike: the columns' names, and each refused
row's or file's reason. A refusal of the import itself has a code (domain.imports.RowRefused); one the cases' use
case raised is worded from its own words (a domain Reason) or read from its English (the rules of domain.values and
services.cases, whose English is kept as the API's); any other is shown as it is, in English."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from contract_flow.domain.imports import COLUMNS, REQUIRED_COLUMNS
from contract_flow.formatting import format_day

COLUMN_NAMES: Mapping[str, Mapping[str, str]] = {
    "fr": {"programme": "formation", "first_name": "prénom", "last_name": "nom", "birth_date": "date de naissance",
           "email": "courriel", "track": "parcours", "advisor": "conseiller", "id": "n° de dossier",
           "file": "fichier", "header": "ligne d'en-tête", "row": "ligne"},
    "en": {"programme": "programme", "first_name": "first name", "last_name": "last name",
           "birth_date": "birth date", "email": "email", "track": "track", "advisor": "advisor", "id": "id",
           "file": "file", "header": "header line", "row": "row"},
}

_SAVE_AS_UTF8 = {
    "fr": ("dans Excel, « Fichier › Enregistrer sous », type « CSV UTF-8 (délimité par des virgules) » (ou importez "
           "directement le classeur .xlsx) ; dans LibreOffice, « Enregistrer sous », type « Texte CSV », cochez "
           "« Éditer les paramètres du filtre » puis le jeu de caractères « Unicode (UTF-8) »"),
    "en": ("in Excel, «File › Save As», type «CSV UTF-8 (Comma delimited)» (or import the .xlsx workbook itself); in "
           "LibreOffice, «Save As», type «Text CSV», tick «Edit filter settings», then the character set "
           "«Unicode (UTF-8)»"),
}

PROBLEMS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "empty": "vide : cette colonne est obligatoire",
        "date": "« {value} » n'est pas une date : écrivez-la JJ/MM/AAAA (04/03/2005) ou AAAA-MM-JJ",
        "no_such_day": "« {value} » n'est pas un jour du calendrier",
        "track": "« {value} » n'est pas un parcours : excellence ou standard",
        "programme": "la formation « {value} » n'existe pas (ou n'est pas celle de votre CFA)",
        "email": "« {value} » n'est pas une adresse électronique",
        "not_empty": "ne doit pas être vide",
        "invisible": "contient le caractère invisible {char} : les caractères de contrôle et de mise en forme sont "
                     "refusés",
        "too_long": "dépasse {max} caractères",
        "birth_future": "le {day} est dans le futur",
        "birth_too_old": "le {day} est il y a plus de {years} ans : ce n'est pas la date de naissance d'un candidat",
        "birth_too_young": "né le {day} : un candidat a au moins {age} ans (né le {before} ou avant ; L6222-1)",
        "advisor_unknown": "{email} n'est pas un utilisateur de {cfa} (le CFA de la formation)",
        "email_other_cfa": "{email} est un utilisateur d'un autre CFA que {cfa}",
        "email_other_role": "{email} est un utilisateur dont le rôle est {role}, pas apprenti",
        "unknown_columns": "colonne(s) inconnue(s) : {columns}. Colonnes reconnues : {expected}",
        "missing_columns": "colonne(s) manquante(s) : {columns}. Colonnes attendues : {expected}",
        "missing_unknown_columns": "colonne(s) manquante(s) : {columns} ; colonne(s) inconnue(s) : {unknown}. "
                                   "Colonnes attendues : {expected}",
        "twice": "colonne(s) présente(s) deux fois : {columns}",
        "encoding": "le fichier n'est pas en UTF-8 (il semble enregistré en {encoding}, comme le « CSV (séparateur : "
                    "point-virgule) » d'Excel). Enregistrez-le en UTF-8 : {save}",
        "binary": "le fichier contient des caractères nuls : ce n'est pas un texte CSV",
        "empty_file": "le fichier est vide : une ligne d'en-tête puis une ligne par candidat sont attendues",
        "csv": "ligne {line} : le CSV est mal formé (guillemet non refermé ?)",
        "workbook": "ce n'est pas un classeur Excel lisible (.xlsx)",
        "xls": "un classeur Excel 97-2003 (.xls) n'est pas lu : enregistrez-le en .xlsx ou en « CSV UTF-8 »",
        "too_big": "le classeur décompressé dépasse {size} Mio",
        "choose": "choisissez un fichier CSV (UTF-8) ou Excel (.xlsx), une ligne par candidat",
    },
    "en": {
        "empty": "is empty: this column is required",
        "date": "«{value}» is not a date: write it DD/MM/YYYY (04/03/2005) or YYYY-MM-DD",
        "no_such_day": "«{value}» is not a date: no such day",
        "track": "«{value}» is not a track: excellence or standard",
        "programme": "programme «{value}» does not exist (or is not your CFA's)",
        "email": "«{value}» is not an email address",
        "not_empty": "must not be empty",
        "invisible": "contains the invisible character {char}: control and format characters are refused",
        "too_long": "is longer than {max} characters",
        "birth_future": "{day} is in the future",
        "birth_too_old": "{day} is more than {years} years ago: not a candidate's birth date",
        "birth_too_young": "born {day}: a candidate is at least {age} years old (born on or before {before}; "
                           "L6222-1)",
        "advisor_unknown": "{email} is not a user of {cfa} (the programme's CFA)",
        "email_other_cfa": "{email} is a user of another CFA than {cfa}",
        "email_other_role": "{email} is a user whose role is {role}, not apprentice",
        "unknown_columns": "unknown column(s): {columns}. Columns read: {expected}",
        "missing_columns": "missing column(s): {columns}. Columns expected: {expected}",
        "missing_unknown_columns": "missing column(s): {columns}; unknown column(s): {unknown}. Columns expected: "
                                   "{expected}",
        "twice": "column(s) named twice: {columns}",
        "encoding": "the file is not UTF-8 (it looks like {encoding}, as Excel's «CSV (semicolon delimited)»). Save "
                    "it as UTF-8: {save}",
        "binary": "the file holds NUL characters: it is not a CSV text",
        "empty_file": "the file is empty: a header line, then one line per candidate, are expected",
        "csv": "line {line}: the CSV is malformed (a quote not closed?)",
        "workbook": "this is not an Excel workbook that can be read (.xlsx)",
        "xls": "an Excel 97-2003 workbook (.xls) is not read: save it as .xlsx or as «CSV UTF-8»",
        "too_big": "the workbook unpacks to more than {size} MiB",
        "choose": "choose a CSV (UTF-8) or Excel (.xlsx) file, one candidate per line",
    },
}

#: The English rules of the cases' use case (domain.values, services.cases) an import meets, and their codes.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern, re.S), code) for pattern, code in (
    (r"'(?P<value>.*)' is not an email address", "email"),
    (r"\"(?P<value>.*)\" is not an email address", "email"),
    (r"must not be empty", "not_empty"),
    (r"contains the invisible character (?P<char>U\+[0-9A-F]+(?: \([^)]*\))?).*", "invisible"),
    (r"is longer than (?P<max>\d+) characters", "too_long"),
    (r"(?P<day>\d{4}-\d\d-\d\d) is in the future", "birth_future"),
    (r"(?P<day>\d{4}-\d\d-\d\d) is more than (?P<years>\d+) years ago.*", "birth_too_old"),
    (r"(?P<day>\d{4}-\d\d-\d\d): a candidate is at least (?P<age>\d+) years old \(born on or before "
     r"(?P<before>\d{4}-\d\d-\d\d);.*", "birth_too_young"),
    (r"(?P<email>\S+) is not a user of (?P<cfa>\S+) \(the programme's CFA\)", "advisor_unknown"),
    (r"(?P<email>\S+) is a user of another CFA, not of (?P<cfa>\S+) \(the programme's\)", "email_other_cfa"),
    (r"(?P<email>\S+) is a user whose role is (?P<role>\S+), not apprentice", "email_other_role"),
))
_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def language_of(language: str) -> str:
    return "en" if language == "en" else "fr"


def column_name(column: str, language: str) -> str:
    """A column (or "file", "header", "row") as people call it: «date de naissance»."""
    return COLUMN_NAMES[language_of(language)].get(column, column)


def expected_columns(language: str) -> str:
    """The columns read, required first: «formation, prénom, … ; facultatives : parcours, …» (and their codes)."""
    lang = language_of(language)
    optional = [column for column in COLUMNS if column not in REQUIRED_COLUMNS]
    required = ", ".join(column_name(column, lang) for column in REQUIRED_COLUMNS)
    others = ", ".join(column_name(column, lang) for column in optional)
    codes = ", ".join(COLUMNS)
    if lang == "fr":
        return f"{required} ; facultatives : {others} (ou en anglais : {codes})"
    return f"{required}; optional: {others} (or in French; codes: {codes})"


def words(code: str, values: Mapping[str, str], language: str) -> str | None:
    """A refusal's code in `language`, its values written for people (a day as 04/03/2005); None if no such code."""
    lang = language_of(language)
    template = PROBLEMS[lang].get(code)
    if template is None:
        return None
    shown: dict[str, Any] = {name: _value(name, value, lang) for name, value in values.items()}
    shown.setdefault("expected", expected_columns(lang))
    shown.setdefault("save", _SAVE_AS_UTF8[lang])
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):
        return None


def _value(name: str, value: str, language: str) -> str:
    if name == "columns" and all(part in COLUMNS for part in value.split(", ")):
        return ", ".join(column_name(part, language) for part in value.split(", "))
    if name in {"day", "before"} and _DAY.fullmatch(value):
        return format_day(date.fromisoformat(value), language, "short")
    return value


def problem_text(field: str, rule: str, code: str | None, values: Mapping[str, str], language: str) -> str:
    """Why a row (or the file) was refused, in `language`."""
    if code is not None:
        said = words(code, values, language)
        if said is not None:
            return said
    text = getattr(rule, "text", None)
    if callable(text):  # a domain Reason: its own words
        return str(text(language_of(language)))
    for pattern, rule_code in _RULES:
        match = pattern.fullmatch(str(rule))
        if match:
            said = words(rule_code, match.groupdict(), language)
            if said is not None:
                return said
    return str(rule)


def refusal_text(exc: Exception, language: str) -> str:
    """A refused file (domain.imports.RowRefused, or any InvalidInput) in `language`."""
    field = str(getattr(exc, "field", "file"))
    rule = getattr(exc, "rule", str(exc))
    return problem_text(field, rule, getattr(exc, "code", None), getattr(exc, "values", {}), language)

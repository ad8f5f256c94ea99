"""The words of an exported list of cases (issue 16, item 5), in French or English: its columns' headers, the
at-risk kinds and details, the file's name and sheet, and how its days and moments are written (Babel, through
contract_flow.formatting, in Paris time). The same for the pages, the API and the CLI: the file is one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from contract_flow.domain.context import PARIS
from contract_flow.domain.exports import ExportKind
from contract_flow.formatting import format_day, format_moment
from contract_flow.labels import label

#: The columns of each list, in order; the headers below name them.
CASE_COLUMNS = ("id", "last_name", "first_name", "email", "birth_date", "programme", "state", "state_since",
                "advisor")
RISK_COLUMNS = ("id", "candidate", "state", "kind", "detail", "due")

HEADERS: dict[str, dict[str, str]] = {
    "fr": {"id": "N° de dossier", "last_name": "Nom", "first_name": "Prénom", "email": "Courriel",
           "birth_date": "Date de naissance", "programme": "Formation", "state": "Étape",
           "state_since": "À cette étape depuis", "advisor": "Conseiller·ère", "candidate": "Candidat·e",
           "kind": "Type d'alerte", "detail": "Détail", "due": "Échéance"},
    "en": {"id": "Case", "last_name": "Last name", "first_name": "First name", "email": "Email",
           "birth_date": "Birth date", "programme": "Programme", "state": "State",
           "state_since": "In this state since", "advisor": "Advisor", "candidate": "Candidate",
           "kind": "Alert", "detail": "Detail", "due": "Due"},
}
#: A column's width in an .xlsx, in characters: what its values usually need.
WIDTHS = {"id": 12, "last_name": 20, "first_name": 18, "email": 32, "birth_date": 14, "programme": 14, "state": 24,
          "state_since": 20, "advisor": 30, "candidate": 30, "kind": 24, "detail": 60, "due": 14}

#: The at-risk kinds (services/risk_query.py) as the cases-at-risk page names them.
RISK_KINDS: dict[str, dict[str, str]] = {
    "fr": {"deadline": "Échéance", "overdue_review": "Point d'étape en retard", "stale": "Sans mouvement",
           "failed_reminder": "Relance en échec", "opco_refused": "Refus de l'OPCO"},
    "en": {"deadline": "Deadline", "overdue_review": "Overdue review", "stale": "Stale",
           "failed_reminder": "Failed reminder", "opco_refused": "OPCO refusal"},
}
#: The at-risk details by their code (services/risk_query.DETAILS), in French; in English, the query's own.
RISK_DETAILS: dict[str, dict[str, str]] = {
    "fr": {"trial_end": "Fin de la période d'essai", "opco": "Dépôt du contrat auprès de l'OPCO (D6224-1)",
           "review": "Point d'étape tenu il y a plus d'une semaine et non saisi",
           "stale": "Aucun mouvement depuis {days} jours ou plus",
           "failed": "Une relance n'a pas pu être envoyée",
           "window": "Fin des 3 mois de recherche sans employeur (L6222-12-1)",
           "opco_refused": "Contrat refusé par l'OPCO (D6224-2) : à corriger et déposer à nouveau",
           "opco_silence": "Silence de l'OPCO au-delà de 20 jours : refus (D6224-2, L231-4 CRPA) ; à déposer à "
                           "nouveau"},
    "en": {},
}
#: The file's name (before its date and extension) and its sheet's.
NAMES: dict[str, dict[ExportKind, str]] = {
    "fr": {ExportKind.CASES: "dossiers", ExportKind.RISK: "dossiers-a-risque"},
    "en": {ExportKind.CASES: "cases", ExportKind.RISK: "cases-at-risk"},
}
SHEETS: dict[str, dict[ExportKind, str]] = {
    "fr": {ExportKind.CASES: "Dossiers", ExportKind.RISK: "Dossiers à risque"},
    "en": {ExportKind.CASES: "Cases", ExportKind.RISK: "Cases at risk"},
}
#: A CSV's separator: a French Excel splits on `;` (its list separator, the comma being the decimal one); an
#: English one on `,`.
DELIMITERS = {"fr": ";", "en": ","}
#: An .xlsx's day and moment formats (Excel's codes), as each language writes them: the cell stays a date.
XLSX_DAY = {"fr": "DD/MM/YYYY", "en": "YYYY-MM-DD"}
XLSX_MOMENT = {"fr": "DD/MM/YYYY HH:MM", "en": "YYYY-MM-DD HH:MM"}


def header(columns: tuple[str, ...], language: str) -> list[str]:
    return [HEADERS[language][column] for column in columns]


def risk_detail(code: str, english: str, language: str, stale_days: int) -> str:
    """A risk's detail in the language (its `english` when the language has no words for it)."""
    words = RISK_DETAILS[language].get(code)
    return english if words is None else words.format(days=stale_days)


def csv_day(day: date, language: str) -> str:
    """A day in a CSV as people write it and their spreadsheet reads it as a date: 03/12/2026 in French (Babel's
    short date); ISO 2026-12-03 in English, which no English Excel (day or month first) misreads."""
    return format_day(day, "fr", "short") if language == "fr" else day.isoformat()


def csv_moment(moment: datetime, language: str) -> str:
    """A moment in a CSV, Paris time to the minute: 03/12/2026 09:15 in French (Babel's short date and time),
    2026-12-03 09:15 in English."""
    if language == "fr":
        return format_moment(moment, "fr", "short")
    return moment.astimezone(PARIS).strftime("%Y-%m-%d %H:%M")


#: How a logged filter reads in the log (the pages, `contract-flow exports list`).
FILTER_WORDS: dict[str, dict[str, str]] = {
    "fr": {"q": "recherche « {value} »", "programme": "formation {value}", "advisor": "conseiller·ère {value}",
           "state": "étape « {value} »", "needs_me": "à traiter par moi", "none": "aucun (toute la liste)"},
    "en": {"q": "search “{value}”", "programme": "programme {value}", "advisor": "advisor {value}",
           "state": "state “{value}”", "needs_me": "needs me", "none": "none (the whole list)"},
}
#: The lists, as the log names them.
KIND_WORDS: dict[str, dict[str, str]] = {
    "fr": {"cases": "Dossiers", "risk": "Dossiers à risque"},
    "en": {"cases": "Cases", "risk": "Cases at risk"},
}
VIA_WORDS: dict[str, dict[str, str]] = {
    "fr": {"page": "pages", "api": "API", "cli": "ligne de commande"},
    "en": {"page": "pages", "api": "API", "cli": "command line"},
}


def describe_filter(stored: Mapping[str, Any], language: str) -> str:
    """A logged filter in words: «recherche « dupont », étape « Réfléchir »»; none: the whole list."""
    said = FILTER_WORDS[language]
    parts = []
    for key in ("q", "programme", "advisor", "state"):
        value = stored.get(key)
        if value:
            shown = label("state", str(value), language) if key == "state" else str(value)
            parts.append(said[key].format(value=shown))
    if stored.get("needs_me"):
        parts.append(said["needs_me"])
    return ", ".join(parts) if parts else said["none"]

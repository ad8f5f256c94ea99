"""The words of retention and erasure (issue 16, item 6) in French and English, for the CLI and the pages alike:
why a case or a person was anonymised, by which rule, and the log's columns."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "why.retention": "durée de conservation écoulée", "why.request": "demande de la personne",
        "rule.candidate": "candidat sans contrat", "rule.contract": "contrat terminé",
        "rule.eu_funding": "contrat financé par NextGenerationEU", "rule.request": "effacement demandé",
        "subject.case": "dossier", "subject.person": "personne",
        "title": "Journal des anonymisations", "none": "Aucune anonymisation.", "id": "N°", "at": "Date",
        "subject": "Quoi", "key": "N° du dossier / de la personne", "why": "Pourquoi", "rule": "Règle",
        "due_on": "Échu le", "by": "Par", "rows": "Lignes modifiées",
        "due": "{count} dossier(s) à anonymiser au {day}", "done": "{count} dossier(s) anonymisé(s) au {day}",
        "dry": "simulation : rien n'a été modifié", "left": "{count} dossier(s) attendent la prochaine exécution",
        "case_due": "dossier {case} ({state}) : échu le {due_on} ({rule})",
        "erased": "{email} effacé : {cases} dossier(s) anonymisé(s), {rows} ligne(s) modifiée(s)",
        "exported": "données de {email} exportées dans {file}",
    },
    "en": {
        "why.retention": "retention period over", "why.request": "the person's request",
        "rule.candidate": "candidate without a contract", "rule.contract": "contract ended",
        "rule.eu_funding": "contract funded by NextGenerationEU", "rule.request": "erasure requested",
        "subject.case": "case", "subject.person": "person",
        "title": "Anonymisation log", "none": "No anonymisation.", "id": "#", "at": "When", "subject": "What",
        "key": "Case / person #", "why": "Why", "rule": "Rule", "due_on": "Due on", "by": "By",
        "rows": "Rows changed",
        "due": "{count} case(s) due on {day}", "done": "{count} case(s) anonymised on {day}",
        "dry": "dry run: nothing was changed", "left": "{count} case(s) wait for the next run",
        "case_due": "case {case} ({state}): due on {due_on} ({rule})",
        "erased": "{email} erased: {cases} case(s) anonymised, {rows} row(s) changed",
        "exported": "{email}'s data exported to {file}",
    },
}


def word(key: str, language: str) -> str:
    return WORDS["en" if language == "en" else "fr"][key]

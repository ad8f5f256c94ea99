"""A to-do item in words, in French or English: what to do, by when, and when the case moves on ("passe en contrat
le 07/01/2027"). One wording for the page "Mes actions", `contract-flow todo` and `GET /api/v1/me/todo`'s `title`;
dates through the one formatter (contract_flow.formatting)."""

from __future__ import annotations

from dataclasses import dataclass

from contract_flow.domain.dossier import SECTION_LABELS
from contract_flow.domain.todo import MoveDate, TodoItem, TodoKind
from contract_flow.formatting import format_day
from contract_flow.wording import reason_text

#: What each kind asks, `{day}` the review's day, `{section}` the dossier's part, `{count}` its missing fields.
WHAT: dict[str, dict[str, str]] = {
    "fr": {
        "supply": "Compléter ce qui manque pour : {move}",
        "assign_tutor": "Désigner le tuteur académique (il planifie les entretiens)",
        "plan_review": "Planifier l’entretien tripartite",
        "log_review": "Saisir le compte rendu de l’entretien du {day}",
        "reschedule_review": "Replanifier l’entretien manqué du {day}",
        "acknowledge_review": "Lire et signer le compte rendu de l’entretien du {day}",
        "report_absences": "Signaler les absences en entreprise avant la fin de l’essai : elles la repoussent",
        "dossier_section": "Compléter la partie « {section} » du dossier du contrat ({count} champ(s) à remplir)",
        "file_contract": "Enregistrer le dépôt du contrat auprès de l’OPCO",
        "opco_answer": "Enregistrer la réponse de l’OPCO",
        "file_again": "Corriger et déposer à nouveau le contrat refusé par l’OPCO",
        "medical_visit": "Enregistrer la visite d’information et de prévention",
    },
    "en": {
        "supply": "Complete what is missing for: {move}",
        "assign_tutor": "Name the academic tutor (who plans the reviews)",
        "plan_review": "Plan the tripartite review",
        "log_review": "Record the report of the review of {day}",
        "reschedule_review": "Plan again the review missed on {day}",
        "acknowledge_review": "Read and acknowledge the report of the review of {day}",
        "report_absences": "Report the absences in the company before the trial ends: they push its end back",
        "dossier_section": "Complete the “{section}” part of the contract dossier ({count} field(s) to fill in)",
        "file_contract": "Record the contract’s filing with the OPCO",
        "opco_answer": "Record the OPCO’s answer",
        "file_again": "Fix the contract the OPCO refused and file it again",
        "medical_visit": "Record the information and prevention medical visit",
    },
}
#: A move to make (MOVE items), and the name of a move the case waits for.
ACT: dict[str, dict[str, str]] = {
    "fr": {
        "start_applying": "Lancer les candidatures", "choose": "Enregistrer l’offre retenue",
        "validate": "Valider le projet (ou le renvoyer)", "sign": "Signer le contrat",
        "complete": "Clore le contrat arrivé à son terme",
        "lapse": "Clore le dossier sans contrat : le délai de recherche est écoulé",
        "resume_search": "Reprendre la recherche d’un employeur (ou clore le dossier)",
    },
    "en": {
        "start_applying": "Start the applications", "choose": "Record the offer chosen",
        "validate": "Validate the job project (or send it back)", "sign": "Sign the contract",
        "complete": "Close the contract that reached its end",
        "lapse": "Close the case without a contract: the search window is over",
        "resume_search": "Resume the search for an employer (or close the case)",
    },
}
MOVE_NAME: dict[str, dict[str, str]] = {
    "fr": {"start_applying": "les candidatures", "shortlist": "la sélection par une entreprise",
           "receive_offer": "l’offre d’une entreprise", "choose": "le choix de l’offre",
           "validate": "la validation du projet", "sign": "la signature du contrat",
           "complete": "la fin du contrat", "resume_search": "la reprise de la recherche"},
    "en": {"start_applying": "the applications", "shortlist": "a company’s selection",
           "receive_offer": "a company’s offer", "choose": "the offer’s choice",
           "validate": "the job project’s validation", "sign": "the contract’s signature",
           "complete": "the contract’s end", "resume_search": "the search resumed"},
}
#: When the case moves on: `{day}` the earliest legal day.
ON_DAY: dict[str, dict[str, str]] = {
    "fr": {"start_contract": "passe en contrat le {day}", "pass_trial": "fin de l’essai : contrat en cours le {day}",
           "complete": "fin du contrat le {day}", "lapse": "clos sans contrat à partir du {day}"},
    "en": {"start_contract": "the contract starts on {day}", "pass_trial": "trial over: contract running on {day}",
           "complete": "the contract ends on {day}", "lapse": "closed without a contract from {day}"},
}
ASAP = {"fr": "{move} : dès que rien ne manque", "en": "{move}: as soon as nothing is missing"}
DUE = {"fr": ("en retard : à faire pour le {day}", "à faire pour le {day}", "sans date"),
       "en": ("overdue: due on {day}", "due on {day}", "no date")}


@dataclass(frozen=True)
class Worded:
    what: str
    due: str
    moves: tuple[str, ...]


def _day(value: object, language: str) -> str:
    return format_day(value, language, "short")


def what(item: TodoItem, language: str) -> str:
    """What to do, in a sentence."""
    if item.kind is TodoKind.MOVE and item.trigger is not None:
        return ACT[language][item.trigger.value]
    section = SECTION_LABELS[item.section] if item.section is not None else None
    move = MOVE_NAME[language].get(item.trigger.value, item.trigger.value) if item.trigger is not None else ""
    return WHAT[language][item.kind.value].format(
        day=_day(item.review_on, language) if item.review_on else "", move=move, count=len(item.missing),
        section=(section.fr if language == "fr" else section.en) if section is not None else "")


def due(item: TodoItem, language: str) -> str:
    overdue, ahead, undated = DUE[language]
    if item.due is None:
        return undated
    return (overdue if item.overdue else ahead).format(day=_day(item.due, language))


def move_words(move: MoveDate, language: str) -> str:
    """«passe en contrat le 07/01/2027»; a move without a day: once nothing is missing."""
    if move.on is not None and move.trigger.value in ON_DAY[language]:
        return ON_DAY[language][move.trigger.value].format(day=_day(move.on, language))
    name = MOVE_NAME[language].get(move.trigger.value, move.trigger.value)
    return ASAP[language].format(move=name[:1].upper() + name[1:])


def worded(item: TodoItem, language: str) -> Worded:
    return Worded(what(item, language), due(item, language), tuple(move_words(m, language) for m in item.moves))


def reason_words(reason: str, language: str) -> str:
    """A guard's reason in the reader's language (its days and amounts as people write them: contract_flow.wording);
    its English when it has no other words."""
    return reason_text(reason, language)


def as_data(item: TodoItem, language: str) -> dict[str, object]:
    """The item as programs read it (`--json`, the API): codes and ISO dates, with its sentences in `language`."""
    words = worded(item, language)
    return {
        "case_id": item.case_id, "candidate": item.candidate, "state": item.state.value, "kind": item.kind.value,
        "title": words.what, "due": item.due.isoformat() if item.due else None, "overdue": item.overdue,
        "due_text": words.due,
        "moves": [{"trigger": move.trigger.value, "on": move.on.isoformat() if move.on else None, "text": text}
                  for move, text in zip(item.moves, words.moves, strict=True)],
        "trigger": item.trigger.value if item.trigger else None,
        "blockers": [{"rule": b.rule, "reasons": [reason_words(r, language) for r in b.reasons]}
                     for b in item.blockers],
        "review_id": item.review_id, "section": item.section.value if item.section else None,
        "missing": [absent.field for absent in item.missing], "link": item.link,
    }

"""A case in a terminal (Rich), in the reader's language (`--lang`, French by default): each fact by its name, days
as dd/mm/yyyy, amounts in euros, states and moves by their labels, times in Paris; never a Python representation."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from rich.table import Table

from contract_flow.cli.invoices import print_contract_money
from contract_flow.cli.output import console
from contract_flow.domain.states import CaseState, step_number
from contract_flow.formatting import format_day, format_moment, format_money, format_number
from contract_flow.labels import label
from contract_flow.services.cases import CaseView
from contract_flow.wording import reason_text

WORDS = {
    "fr": {
        "head": "dossier {id} {name} <{email}>, formation {programme} : {state} ({where}), version {version}",
        "step": "étape {step} sur 6", "starts": "commence le {start}", "over": "recherche terminée",
        "facts": "Informations", "moves": "Mouvements", "history": "Historique",
        "move": "mouvement", "now": "maintenant", "allowed": "possible", "blocked": "bloqué : ",
        "at": "le", "what": "quoi", "by": "par", "reason": "motif", "changed": "informations",
        "yes": "oui", "no": "non", "application": "candidature {number}",
        "applied": "{company}, envoyée le {day}, {status}",
    },
    "en": {
        "head": "case {id} {name} <{email}>, programme {programme}: {state} ({where}), version {version}",
        "step": "step {step} of 6", "starts": "starts on {start}", "over": "search over",
        "facts": "Facts", "moves": "Moves", "history": "History",
        "move": "move", "now": "now", "allowed": "allowed", "blocked": "blocked: ",
        "at": "at", "what": "what", "by": "by", "reason": "reason", "changed": "facts",
        "yes": "yes", "no": "no", "application": "application {number}",
        "applied": "{company}, sent on {day}, {status}",
    },
}

#: The facts a case shows, by the name people read (the keys `case set` records, and what the engine computed).
FACT_NAMES: dict[str, tuple[str, str]] = {
    "track": ("voie d'admission", "admission track"),
    "programme": ("formation", "programme"),
    "candidate.birth_date": ("date de naissance", "birth date"),
    "project.target_job": ("métier visé", "target job"),
    "project.mobility_area": ("zone de mobilité", "mobility area"),
    "project.validated_by": ("projet validé par", "project validated by"),
    "project.validated_on": ("projet validé le", "project validated on"),
    "derogation": ("dérogation d'âge", "age derogation"),
    "previous_contract_end": ("fin du contrat d'apprentissage précédent", "previous contract's end"),
    "previous_contract.pay": ("salaire du contrat précédent", "previous contract's pay"),
    "previous_contract.year": ("année atteinte du contrat précédent", "previous contract's year"),
    "previous_contract.same_employer": ("même employeur que le contrat précédent", "same employer as before"),
    "programme_year": ("année de formation", "programme year"),
    "advisor": ("conseiller·ère", "advisor"),
    "tutor": ("tuteur·rice académique", "academic tutor"),
    "offer.company": ("offre : entreprise", "offer: company"),
    "offer.siret": ("offre : SIRET", "offer: SIRET"),
    "offer.gross_monthly_pay": ("offre : salaire brut mensuel", "offer: gross monthly pay"),
    "offer.start_date": ("offre : début", "offer: start"),
    "offer.weekly_hours": ("offre : heures par semaine", "offer: weekly hours"),
    "offer.received_on": ("offre reçue le", "offer received on"),
    "offer.status": ("offre : statut", "offer: status"),
    "contract.signature_date": ("date de signature", "signature date"),
    "contract.signature_place": ("lieu de signature", "signature place"),
    "contract.start_date": ("début du contrat", "contract start"),
    "contract.end_date": ("fin du contrat", "contract end"),
    "contract.employer_siret": ("SIRET de l'employeur", "employer SIRET"),
    "contract.employer_name": ("employeur", "employer"),
    "contract.employer_email": ("e-mail de l'employeur", "employer email"),
    "contract.mentor_name": ("maître d'apprentissage", "mentor"),
    "contract.mentor_email": ("e-mail du maître d'apprentissage", "mentor email"),
    "contract.gross_monthly_pay": ("salaire brut mensuel convenu", "agreed gross monthly pay"),
    "contract.weekly_hours": ("heures par semaine", "weekly hours"),
    "contract.signed": ("contrat signé", "contract signed"),
    "contract.trial_end": ("fin de la période d'essai", "trial end"),
    "contract.opco_filing_due": ("dépôt à l'OPCO au plus tard le", "OPCO filing due"),
    "contract.training_start_due": ("début de la formation au plus tard le", "training start due"),
    "contract.opco_filed_on": ("déposé à l'OPCO le", "filed with the OPCO on"),
    "contract.opco_name": ("OPCO", "OPCO"),
    "contract.opco_decision": ("décision de l'OPCO", "OPCO's decision"),
    "contract.opco_decided_on": ("décision de l'OPCO le", "OPCO's decision on"),
    "contract.deca_number": ("numéro DECA", "DECA number"),
    "contract.opco_refusal_reason": ("motif du refus de l'OPCO", "OPCO's refusal reason"),
    "contract.practical_training_start": ("début de la formation pratique", "practical training start"),
    "contract.medical_visit_due": ("visite médicale au plus tard le", "medical visit due"),
    "contract.medical_visit_on": ("visite médicale faite le", "medical visit on"),
    "contract.opco_decision_due": ("décision de l'OPCO attendue le", "OPCO's decision due"),
    "contract.hiring_aid_filing_due": ("aide à l'embauche : dépôt au plus tard le", "hiring aid filing due"),
    "contract.participation_amount": ("participation de l'employeur", "employer participation"),
    "contract.mediator_referral_on": ("saisine du médiateur le", "mediator referral on"),
    "contract.employer_informed_on": ("employeur informé le", "employer informed on"),
    "contract.notice_given_on": ("préavis donné le", "notice given on"),
    "contract.ended_on": ("fin effective le", "ended on"),
    "contract.ended_by": ("à l'initiative de", "ended by"),
    "contract.cancellation_reason": ("motif de l'annulation", "cancellation reason"),
    "contract.termination_reason": ("motif légal de la rupture", "legal ground of the break"),
}
#: Codes of a case's facts by their names (what is not here is shown as its code).
CODE_NAMES: dict[str, tuple[str, str]] = {
    "excellence": ("excellence (admissible sur dossier)", "excellence (admissible on file)"),
    "standard": ("standard (entretien)", "standard (interview)"),
    "sent": ("envoyée", "sent"), "shortlisted": ("présélectionnée", "shortlisted"),
    "rejected": ("refusée par l'entreprise", "rejected by the company"), "withdrawn": ("retirée", "withdrawn"),
    "closed": ("close", "closed"), "open": ("ouverte", "open"), "accepted": ("acceptée", "accepted"),
    "declined": ("déclinée", "declined"), "apprentice": ("l'apprenti·e", "the apprentice"),
    "employer": ("l'employeur", "the employer"), "refused": ("refusée", "refused"),
}
#: What the engine records without a move, in the history.
RECORDS: dict[str, tuple[str, str]] = {
    "record_facts": ("informations enregistrées", "facts recorded"),
    "record_absence": ("absence enregistrée", "absence recorded"),
}
#: Kept by the engine for itself, not read by people in a table (the pay schedule, the rule entries used).
HIDDEN = frozenset({"contract.pay_schedule", "contract.legal_sources", "contract.id", "offer.id"})
_MONEY = ("pay", "gross_monthly_pay", "participation_amount")


def _words(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def shown(key: str, value: Any, lang: str) -> str:
    """A fact's value as people write it: a day dd/mm/yyyy, an amount in euros, yes or no, a code by its name."""
    if isinstance(value, bool):
        return WORDS[lang]["yes" if value else "no"]
    if isinstance(value, datetime):
        return format_moment(value, lang, "short")
    if isinstance(value, date):
        return format_day(value, lang, "short")
    if isinstance(value, Decimal | int):
        return format_money(value, lang) if key.rpartition(".")[2] in _MONEY else format_number(value, lang)
    if isinstance(value, Enum):
        value = value.value
    text = str(value)
    return _words(CODE_NAMES[text], lang) if text in CODE_NAMES else text


def fact_rows(view: CaseView, lang: str) -> list[tuple[str, str]]:
    """(name, value) of every fact the case has, in the order people read them."""
    case = view.case
    rows: list[tuple[str, str]] = []
    flat: dict[str, Any] = {"track": case.track, "programme": case.programme.code,
                            "candidate.birth_date": case.candidate.birth_date}
    flat.update({f"project.{k}": v for k, v in asdict(case.project).items()})
    flat.update({"derogation": case.derogation, "previous_contract_end": case.previous_contract_end,
                 "previous_contract.pay": case.previous_contract_pay,
                 "previous_contract.year": case.previous_contract_year,
                 "previous_contract.same_employer": case.previous_contract_same_employer,
                 "programme_year": case.programme_year, "advisor": case.advisor_email, "tutor": case.tutor_email})
    for key, value in flat.items():
        if value is not None and value != "":
            rows.append((_words(FACT_NAMES[key], lang) if key in FACT_NAMES else key, shown(key, value, lang)))
    for number, application in enumerate(case.applications, start=1):
        text = WORDS[lang]["applied"].format(company=application.company, day=shown("", application.applied_on, lang),
                                             status=shown("", application.status, lang))
        rows.append((WORDS[lang]["application"].format(number=number),
                     f"{text}, SIRET {application.siret}" if application.siret else text))
    offer = case.current_offer
    parts = ([("offer", asdict(offer))] if offer else []) + [("contract", asdict(case.contract))]
    for group, values in parts:
        for name, value in values.items():
            key = f"{group}.{name}"
            if key in HIDDEN or name == "dirty" or value is None or value == "" or value is False:
                continue
            rows.append((_words(FACT_NAMES[key], lang) if key in FACT_NAMES else key, shown(key, value, lang)))
    return rows


def print_case(view: CaseView, lang: str = "fr") -> None:
    case = view.case
    words = WORDS[lang]
    step = step_number(case.state)
    start = case.contract.start_date
    if step:
        where = words["step"].format(step=step)
    elif case.state is CaseState.SIGNED and start is not None:
        where = words["starts"].format(start=format_day(start, lang, "short"))  # the engine starts it that day
    else:
        where = words["over"]
    console.print(words["head"].format(id=case.id, name=case.candidate.full_name, email=case.candidate.email,
                                       programme=case.programme.code, state=label("state", case.state, lang),
                                       where=where, version=case.version), markup=False, highlight=False)
    facts = Table("fact", "value", title=words["facts"], show_header=False)
    for name, value in fact_rows(view, lang):
        facts.add_row(name, value)
    console.print(facts)
    print_contract_money(case)
    moves = Table(words["move"], words["now"], title=words["moves"])
    for trigger, reasons in view.blocked.items():
        moves.add_row(label("trigger", trigger.value, lang), f"[green]{words['allowed']}[/green]" if not reasons
                      else words["blocked"] + (" ; " if lang == "fr" else "; ").join(
                          reason_text(reason, lang) for reason in reasons))
    console.print(moves)
    history = Table("#", words["at"], words["what"], words["by"], words["reason"], words["changed"],
                    title=words["history"])
    for event in view.history:
        if event.from_state == event.to_state:
            move = _words(RECORDS[event.trigger], lang) if event.trigger in RECORDS else \
                label("trigger", event.trigger, lang)
        else:
            move = (f"{label('state', event.from_state, lang)} → {label('state', event.to_state, lang)} "
                    f"({label('trigger', event.trigger, lang)})")
        reason = reason_text(event.reason, lang) if event.reason else ""
        history.add_row(str(event.seq), format_moment(event.at, lang, "short"), move, event.actor, reason,
                        ", ".join(f"{k}={shown(k, v, lang)}" for k, v in event.facts.items()))
    console.print(history)

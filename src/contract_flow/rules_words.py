"""The words of `contract-flow rules` in French and English: its tables' titles, the names of the values the rules
answer with (the JSON's keys, which stay as they are), and those of `rules check` and `rules impact`.

Only the command line's own words: the sources and reasons the rule file or the domain give stay as they come
(a reason worded in both languages, a `domain.reasons.Reason`, is said in the reader's by `wording.reason_text`).
"""

from __future__ import annotations

from collections.abc import Mapping

#: A value the rule set does not give (no previous contract, no invoice day yet), as the CLI's other tables show it.
MISSING = "—"

#: Each value an answer holds, by its JSON key: the row's name in a table.
VALUE_NAMES: Mapping[str, Mapping[str, str]] = {
    "fr": {
        # rules pay
        "contract_year": "année du contrat", "age_band": "tranche d'âge", "percent": "pourcentage",
        "reference": "référence", "reference_amount": "montant de référence",
        "minimum_monthly_gross": "salaire brut mensuel minimum",
        "employee_contributions_exempt_up_to": "cotisations salariales exonérées jusqu'à",
        "sources": "sources", "minimum_rule": "règle du minimum", "age_based_minimum": "minimum selon l'âge",
        "previous_contract_floor": "plancher du contrat précédent",
        "years_counted_from": "années comptées à partir du",
        # rules eligibility
        "eligible": "éligible", "age_at_start": "âge au début du contrat", "reason": "motif", "source": "source",
        "age_at_conclusion": "âge à la conclusion",
        # rules trial-end
        "trial_end": "fin de la période d'essai", "company_days_counted": "jours en entreprise comptés",
        # rules deadlines
        "opco_filing_due": "dépôt à l'OPCO au plus tard le",
        "training_start_due": "début de la formation au plus tard le",
        "employer_search_window_end": "fin de la recherche d'un employeur",
        "medical_visit_due": "visite médicale au plus tard le",
        "opco_decision_due": "décision de l'OPCO attendue le",
        "hiring_aid_filing_due": "aide à l'embauche : dépôt au plus tard le", "notes": "remarques",
        # rules participation
        "amount": "montant", "invoice_due": "à facturer le",
        # rules impact: the contract's kept values a changed rule set changes
        "participation_amount": "participation de l'employeur",
    },
    "en": {
        "contract_year": "contract year", "age_band": "age band", "percent": "percent", "reference": "reference",
        "reference_amount": "reference amount", "minimum_monthly_gross": "minimum monthly gross",
        "employee_contributions_exempt_up_to": "employee contributions exempt up to", "sources": "sources",
        "minimum_rule": "minimum rule", "age_based_minimum": "age-based minimum",
        "previous_contract_floor": "previous contract floor", "years_counted_from": "years counted from",
        "eligible": "eligible", "age_at_start": "age at start", "reason": "reason", "source": "source",
        "age_at_conclusion": "age at conclusion",
        "trial_end": "trial end", "company_days_counted": "company days counted",
        "opco_filing_due": "OPCO filing due", "training_start_due": "training start due",
        "employer_search_window_end": "employer search window end", "medical_visit_due": "medical visit due",
        "opco_decision_due": "OPCO decision due", "hiring_aid_filing_due": "hiring aid filing due",
        "notes": "notes",
        "amount": "amount", "invoice_due": "invoice due",
        "participation_amount": "employer participation",
    },
}

#: Titles, the pay schedule's columns, yes and no, and what `rules check` and `rules impact` print.
WORDS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "pay_title": "Salaire minimum au {day}", "schedule_title": "Salaire minimum à partir du {day}",
        "eligible_title": "Éligible", "not_eligible_title": "Non éligible",
        "trial_title": "Période d'essai à partir du {day}",
        "deadlines_title": "Échéances d'un contrat qui commence le {day}",
        "participation_title": "Participation de l'employeur, niveau {level}, contrat conclu le {day}",
        "from": "du", "to": "au", "year": "année", "age_band": "tranche d'âge", "percent": "%",
        "reference": "référence", "minimum": "brut mensuel minimum", "rule": "règle",
        "yes": "oui", "no": "non", "colon": " :",
        # rules check
        "check_title": "Règles et référence", "rules_file": "fichier des règles", "newest_smic": "dernier SMIC",
        "smic_from": "{amount} à partir du {day} ({source})", "none": "aucune", "no_reference": "aucune référence",
        "unconfirmed": "remarque : le SMIC du {day} ({amount}) est plus récent que ce que garantit "
                       "openfisca-france {version} (jusqu'au {until})",
        # rules impact
        "impact_none": "Aucun contrat en cours n'est changé par les règles : chaque valeur conservée est à jour.",
        "impact_updated": "{count} contrat(s) mis à jour d'après les règles",
        "impact_would_change": "{count} contrat(s) que les règles changeraient",
        "case": "dossier", "apprentice": "apprenti·e", "state": "étape", "value": "valeur", "since": "à partir du",
        "old": "avant", "new": "après", "not_updated": "non mis à jour",
        "impact_apply": "Lancez `contract-flow rules impact --apply` pour les recalculer.",
    },
    "en": {
        "pay_title": "Minimum pay on {day}", "schedule_title": "Minimum pay from {day}",
        "eligible_title": "Eligible", "not_eligible_title": "Not eligible",
        "trial_title": "Trial period from {day}", "deadlines_title": "Deadlines for a contract starting {day}",
        "participation_title": "Employer participation, level {level}, concluded {day}",
        "from": "from", "to": "to", "year": "year", "age_band": "age band", "percent": "%",
        "reference": "reference", "minimum": "minimum monthly gross", "rule": "rule",
        "yes": "yes", "no": "no", "colon": ":",
        "check_title": "Rule set and reference", "rules_file": "rule file", "newest_smic": "newest SMIC",
        "smic_from": "{amount} from {day} ({source})", "none": "none", "no_reference": "no reference",
        "unconfirmed": "note: the SMIC of {day} ({amount}) is newer than what openfisca-france {version} vouches "
                       "for (up to {until})",
        "impact_none": "No running contract is changed by the rule set: every kept value is current.",
        "impact_updated": "{count} contract(s) updated by the rule set",
        "impact_would_change": "{count} contract(s) would change by the rule set",
        "case": "case", "apprentice": "apprentice", "state": "state", "value": "value", "since": "from",
        "old": "old", "new": "new", "not_updated": "not updated",
        "impact_apply": "Run `contract-flow rules impact --apply` to re-compute them.",
    },
}

"""The Tableau de bord's pushes in French and English, for the pages and the CLI alike: a push's status and trigger,
our own checks' rules (domain.tdb_feed, kept in English in the ledger as the API gives them) and, for each field an
error names, where to fix it: the case's form or dossier section that holds it, or the programme's file."""

from __future__ import annotations

from collections.abc import Mapping

STATUSES: Mapping[str, Mapping[str, str]] = {
    "fr": {"running": "en cours", "sent": "envoyé", "partial": "envoyé, avec des erreurs", "failed": "échec",
           "refused": "refusé par le TDB"},
    "en": {"running": "running", "sent": "sent", "partial": "sent, with errors", "failed": "failed",
           "refused": "refused by the TDB"},
}
TRIGGERS: Mapping[str, Mapping[str, str]] = {
    "fr": {"beat": "envoi mensuel", "cli": "ligne de commande", "api": "API", "page": "page"},
    "en": {"beat": "monthly push", "cli": "command line", "api": "API", "page": "page"},
}
SOURCES: Mapping[str, Mapping[str, str]] = {
    "fr": {"local": "notre contrôle (non envoyé)", "tdb": "réponse du TDB"},
    "en": {"local": "our check (not sent)", "tdb": "the TDB's answer"},
}
#: domain.tdb_feed's rules, in French (the ledger keeps them in English, as the API returns them).
RULES_FR: Mapping[str, str] = {
    "required": "obligatoire",
    "in capitals": "en majuscules",
    "text": "du texte",
    "a date YYYY-MM-DD": "une date AAAA-MM-JJ",
    "YYYY-YYYY, two consecutive or equal years": "AAAA-AAAA, deux années consécutives ou égales",
    "a UAI: 7 digits and a capital letter": "un UAI : 7 chiffres et une lettre majuscule",
    "a SIRET: 14 digits": "un SIRET : 14 chiffres",
    "an email address": "une adresse électronique",
    "5 digits": "5 chiffres",
    "M or F": "M ou F",
    "13 or 15 digits": "13 ou 15 chiffres",
    "a commune's INSEE code: 2 digits (or 2A, 2B) then 3 digits":
        "un code commune INSEE : 2 chiffres (ou 2A, 2B) puis 3 chiffres",
    "an RNCP code: RNCP then 2 to 5 digits": "un code RNCP : RNCP puis 2 à 5 chiffres",
    "a diploma code (CFD): 8 capital letters or digits": "un code diplôme (CFD) : 8 majuscules ou chiffres",
    "true or false": "vrai ou faux",
}

#: For a field, the page of the case that holds it and the anchor of its form or section.
_CANDIDATE = ("", "#form-candidate")
WHERE: Mapping[str, tuple[str, str]] = {
    "nom_apprenant": _CANDIDATE, "prenom_apprenant": _CANDIDATE, "date_de_naissance_apprenant": _CANDIDATE,
    "email_contact": _CANDIDATE, "responsable_apprenant_mail1": _CANDIDATE,
    "id_erp_apprenant": ("", ""), "date_inscription_formation": ("", ""),
}
_PROGRAMME_FIELDS = ("etablissement_", "formation_", "libelle_court_formation", "duree_theorique_formation_mois",
                     "date_entree_formation", "date_fin_formation", "annee_", "type_cfa")
FIX_WORDS: Mapping[str, Mapping[str, str]] = {
    "fr": {"form": "corriger dans le dossier", "programme": "réglage de la formation (fichier programmes/<code>.toml)",
           "case": "ouvrir le dossier"},
    "en": {"form": "fix it in the case", "programme": "the programme's setting (its programmes/<code>.toml file)",
           "case": "open the case"},
}


def rule_text(message: str, language: str) -> str:
    """A recorded error's message in the reader's language (ours are known; the TDB's are shown as it wrote them)."""
    return RULES_FR.get(message, message) if language == "fr" else message


def fix_link(case_id: int | None, field: str) -> str | None:
    """Where a person fixes `field` of a case: the case's form, or its contract dossier's section (the employer's
    SIRET, the contract's dates); None for what the programme's file holds, or without a case."""
    if case_id is None or field.startswith(_PROGRAMME_FIELDS):
        return None
    base = f"/cases/{case_id}"
    if field.startswith("siret_employeur"):
        return f"{base}/dossier#section-employer"
    if field.startswith(("contrat_", "cause_rupture_contrat")):
        return f"{base}/dossier#section-contract"
    path, anchor = WHERE.get(field, ("", ""))
    return base + path + anchor


def is_programme_field(field: str) -> bool:
    return field.startswith(_PROGRAMME_FIELDS)

"""The fields of each section of the CERFA FA13, in the form's order, with their labels in French and English and
whether the State's contract tool requires them (R in PUBLIC-SYSTEMS.md §1).

A field's key is its path in the section ("address.postcode"); a mentor's and a pay line's keys are prefixed by
their number in the data people send ("1.last_name", "2.rate") and in the field names refusals give
("mentors.1.last_name", "pay.2.rate"). Pages, the PDF and `completeness` read this one table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from contract_flow.domain.dossier.codes import (
    CONTRACT_MODES,
    CONTRACT_TYPES,
    DEROGATIONS,
    DIPLOMAS,
    EMPLOYER_TYPES,
    LAST_CLASSES,
    LEVELS,
    NATIONALITIES,
    PAY_REFERENCES,
    SEXES,
    SITUATIONS,
    SOCIAL_SCHEMES,
    SPECIFIC_EMPLOYERS,
    CodeList,
    Label,
)
from contract_flow.domain.dossier.model import Section


@dataclass(frozen=True)
class FormField:
    key: str
    label: Label
    required: bool = True
    #: The list its value is a code of (pages show the label beside the code).
    codes: CodeList | None = None


def _f(key: str, fr: str, en: str, required: bool = True, codes: CodeList | None = None) -> FormField:
    return FormField(key, Label(fr, en), required, codes)


_ADDRESS = Label("Adresse", "Address")


def _address(prefix: str, whose: Label = _ADDRESS, required: bool = True) -> tuple[FormField, ...]:
    """An address's boxes, each label naming whose address it is: a section may hold two (the apprentice's and
    the legal representative's), and a label is also read alone (the PDF's rows, a page's error)."""
    return (
        _f(f"{prefix}.number", f"{whose.fr} : n° et indice de répétition", f"{whose.en}: number", False),
        _f(f"{prefix}.street", f"{whose.fr} : voie", f"{whose.en}: street", required),
        _f(f"{prefix}.complement", f"{whose.fr} : complément", f"{whose.en}: complement", False),
        _f(f"{prefix}.postcode", f"{whose.fr} : code postal", f"{whose.en}: postcode", required),
        _f(f"{prefix}.town", f"{whose.fr} : commune", f"{whose.en}: town", required),
    )


EMPLOYER_FIELDS = (
    _f("public", "Employeur public", "Public employer"),
    _f("siret", "N° SIRET de l'établissement d'exécution du contrat", "SIRET of the workplace"),
    _f("name", "Dénomination", "Name"),
    *_address("address"),
    _f("phone", "Téléphone", "Phone"),
    _f("email", "Courriel", "Email"),
    _f("employer_type", "Type d'employeur", "Employer type", codes=EMPLOYER_TYPES),
    _f("specific_employer", "Employeur spécifique", "Specific employer", False, SPECIFIC_EMPLOYERS),
    _f("headcount", "Effectif salarié de l'entreprise", "Headcount"),
    _f("idcc_code", "Code IDCC de la convention collective", "Collective agreement IDCC code"),
    _f("idcc_name", "Convention collective applicable", "Collective agreement"),
    _f("naf_code", "Code activité de l'entreprise (NAF)", "Activity code (NAF)"),
    _f("opco", "OPCO", "OPCO (skills operator)", False),
)

APPRENTICE_FIELDS = (
    _f("last_name", "Nom de naissance", "Birth name"),
    _f("usage_name", "Nom d'usage", "Usage name", False),
    _f("first_name", "Premier prénom selon l'état civil", "First name"),
    _f("sex", "Sexe", "Sex", codes=SEXES),
    _f("birth_date", "Date de naissance", "Birth date"),
    _f("born_in_france", "Né(e) en France", "Born in France"),
    _f("birth_town", "Commune de naissance", "Birth town"),
    _f("birth_department", "Département de naissance", "Birth département"),
    _f("nir", "Numéro de sécurité sociale (NIR)", "Social security number (NIR)", False),
    _f("nationality", "Nationalité", "Nationality", codes=NATIONALITIES),
    _f("social_scheme", "Régime social", "Social security scheme", codes=SOCIAL_SCHEMES),
    *_address("address"),
    _f("phone", "Téléphone", "Phone"),
    _f("email", "Courriel", "Email"),
    _f("rqth", "Reconnaissance de la qualité de travailleur handicapé (RQTH)", "Recognised disabled worker (RQTH)"),
    _f("boe", "Bénéficiaire de l'obligation d'emploi (BOE)", "Beneficiary of the employment obligation (BOE)",
       False),
    _f("disability_equivalence", "Équivalence jeunes (AEEH, PCH, projet de scolarisation)",
       "Young-person equivalence (AEEH, PCH, schooling plan)", False),
    _f("business_creation", "Projet de création ou de reprise d'entreprise", "Business creation or takeover project"),
    _f("high_level_athlete", "Inscrit(e) sur la liste des sportifs de haut niveau", "Registered high-level athlete"),
    _f("situation_before", "Situation avant ce contrat", "Situation before this contract", codes=SITUATIONS),
    _f("last_diploma_prepared", "Dernier diplôme ou titre préparé", "Last diploma or title prepared",
       codes=DIPLOMAS),
    _f("last_diploma_title", "Intitulé précis du dernier diplôme ou titre préparé", "Its exact title"),
    _f("highest_diploma", "Diplôme ou titre le plus élevé obtenu", "Highest diploma or title held", codes=DIPLOMAS),
    _f("last_class", "Dernière classe ou année suivie", "Last class or year attended", codes=LAST_CLASSES),
    _f("minor", "Mineur(e) à la date de signature du contrat", "A minor on the signature date"),
    _f("not_emancipated", "Mineur(e) non émancipé(e)", "A minor not emancipated", False),
    # required for a non-emancipated minor (completeness says so)
    _f("legal_representative.name", "Représentant légal : nom et prénom", "Legal representative: name", False),
    _f("legal_representative.email", "Représentant légal : courriel", "Legal representative: email", False),
    *_address("legal_representative.address", Label("Adresse du représentant légal", "Legal representative's address"),
              required=False),
)

MENTOR_FIELDS = (
    _f("last_name", "Nom de naissance", "Birth name"),
    _f("first_name", "Prénom", "First name"),
    _f("birth_date", "Date de naissance", "Birth date"),
    _f("job", "Emploi occupé", "Job held"),
    _f("diploma", "Diplôme ou titre le plus élevé obtenu", "Highest diploma or title held"),
    _f("diploma_level", "Niveau de ce diplôme ou titre", "Its level", codes=LEVELS),
    _f("diploma_in_field", "Diplôme dans le domaine du diplôme préparé", "Diploma in the field of the one prepared"),
    _f("experience_years", "Années d'expérience en rapport avec la qualification préparée",
       "Years of experience related to the qualification prepared"),
    _f("email", "Courriel", "Email"),
    _f("eligibility_attested", "L'employeur atteste que le maître d'apprentissage remplit les conditions",
       "The employer attests the mentor is eligible"),
)

CONTRACT_FIELDS = (
    _f("mode", "Mode contractuel de l'apprentissage", "Contract mode", codes=CONTRACT_MODES),
    _f("contract_type", "Type de contrat ou d'avenant", "Contract or amendment type", codes=CONTRACT_TYPES),
    _f("derogation", "Type de dérogation", "Derogation", False, DEROGATIONS),
    _f("previous_contract_number", "Numéro du contrat précédent ou du contrat modifié",
       "Number of the previous or amended contract", False),
    _f("signature_date", "Date de conclusion (signature)", "Signature date"),
    _f("start_date", "Date de début d'exécution du contrat", "Contract start"),
    _f("practical_training_start", "Date de début de la formation pratique chez l'employeur",
       "Start of practical training at the employer"),
    _f("end_date", "Date de fin du contrat ou de la période d'apprentissage", "Contract end"),
    _f("amendment_effective_date", "Date d'effet de l'avenant", "Amendment effective date", False),
    _f("weekly_hours", "Durée hebdomadaire du travail : heures", "Weekly working time: hours"),
    _f("weekly_minutes", "Durée hebdomadaire du travail : minutes", "Weekly working time: minutes", False),
    _f("risky_work", "Travail sur machines dangereuses ou exposition à des risques particuliers",
       "Work on dangerous machines or with particular risks"),
    _f("smc", "Salaire minimum conventionnel (SMC)", "Collective agreement minimum (SMC)", False),
    _f("hiring_pay", "Salaire brut mensuel à l'embauche", "Gross monthly pay at hiring", False),
    _f("food_benefit", "Avantage en nature : nourriture (€ par repas)", "Benefit in kind: food (€ a meal)", False),
    _f("housing_benefit", "Avantage en nature : logement (€ par mois)", "Benefit in kind: housing (€ a month)",
       False),
    _f("other_benefits", "Autres avantages en nature", "Other benefits in kind", False),
    _f("pension_fund", "Caisse de retraite complémentaire", "Supplementary pension fund"),
    _f("signature_place", "Fait à (lieu de signature)", "Place of signature"),
    _f("documents_attested", "L'employeur atteste disposer des pièces justificatives",
       "The employer attests holding the supporting documents"),
)

PAY_FIELDS = (
    _f("contract_year", "Année du contrat", "Contract year"),
    _f("start", "Du", "From"),
    _f("end", "Au", "To"),
    _f("rate", "Taux (%)", "Rate (%)"),
    _f("minimum_rate", "Taux minimal légal (%)", "Legal minimum rate (%)"),
    _f("reference", "Du SMIC ou du SMC", "Of the SMIC or the SMC", codes=PAY_REFERENCES),
    _f("monthly_gross", "Salaire brut mensuel", "Gross monthly pay"),
)

TRAINING_FIELDS = (
    _f("cfa_run_by_employer", "Le CFA est un CFA d'entreprise", "The CFA is the employer's own"),
    _f("cfa_siret", "N° SIRET du CFA responsable", "SIRET of the CFA"),
    _f("cfa_uai", "N° UAI du CFA", "UAI of the CFA"),
    _f("cfa_name", "Dénomination du CFA responsable", "Name of the CFA"),
    *_address("cfa_address", Label("Adresse du CFA", "Address of the CFA"), required=False),
    _f("place_siret", "Lieu principal de formation : SIRET", "Main training place: SIRET", False),
    _f("place_uai", "Lieu principal de formation : UAI", "Main training place: UAI", False),
    _f("place_name", "Lieu principal de formation : dénomination", "Main training place: name", False),
    *_address("place_address", Label("Adresse du lieu principal de formation", "Main training place's address"),
              required=False),
    _f("rncp_code", "Code RNCP", "RNCP code"),
    _f("diploma_code", "Code diplôme", "Diploma code"),
    _f("title", "Intitulé précis du diplôme ou titre visé", "Exact title of the diploma or title"),
    _f("diploma_type", "Diplôme ou titre visé", "Diploma or title prepared", codes=DIPLOMAS),
    _f("training_start", "Date de début de la formation en CFA", "Training start at the CFA"),
    _f("exams_end", "Date prévue de fin des épreuves ou examens", "Planned end of the exams"),
    _f("training_hours", "Durée de la formation (heures)", "Training hours"),
    _f("remote_hours", "Dont formation à distance (heures)", "Of which remote training (hours)", False),
)

#: Each section's fields (a mentor's and a pay line's for one item), in the form's order.
FORM: Mapping[Section, tuple[FormField, ...]] = {
    Section.EMPLOYER: EMPLOYER_FIELDS, Section.APPRENTICE: APPRENTICE_FIELDS, Section.MENTORS: MENTOR_FIELDS,
    Section.CONTRACT: CONTRACT_FIELDS, Section.PAY: PAY_FIELDS, Section.TRAINING: TRAINING_FIELDS,
}
SECTION_LABELS: Mapping[Section, Label] = {
    Section.EMPLOYER: Label("L'employeur", "The employer"),
    Section.APPRENTICE: Label("L'apprenti(e)", "The apprentice"),
    Section.MENTORS: Label("Le maître d'apprentissage", "The mentor"),
    Section.CONTRACT: Label("Le contrat", "The contract"),
    Section.PAY: Label("La rémunération", "The pay"),
    Section.TRAINING: Label("La formation", "The training"),
}
#: At most two mentors (DOMAIN.md: up to two per contract; the form has two places), and at most this many pay
#: lines (4 contract years, each split at an age-band change, and at a change of the legal grid).
MAX_MENTORS = 2
MAX_PAY_LINES = 12


def form_field(section: Section, key: str) -> FormField:
    """The field `key` of `section` ("address.street"; a mentor's or pay line's key without its number)."""
    return next(spec for spec in FORM[section] if spec.key == key)

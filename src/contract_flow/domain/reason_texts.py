"""The words of the engine's reasons (domain.reasons.Reason), in French and English, their values in braces.

The English is the API's and the tests' (kept as it was when the reasons were plain text); a test checks that both
languages name the same values. French puts a space before «:» and «;».
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """Words of both languages (as domain.dossier.codes.Label, which this module cannot import: the dossier's
    package reads SIRETs, whose problems are reasons)."""

    fr: str
    en: str

    def in_language(self, language: str) -> str:
        return self.en if language == "en" else self.fr

#: Guards (domain/guards.py) and the rule set's checks they call (domain/legal.py).
GUARD_TEXTS: Mapping[str, Label] = {
    "role_lead": Label(
        fr="« {trigger} » revient au responsable de formation (brochure, étape 5 « Décider ») ; {email} est {role}",
        en="{trigger} may only be done by a programme lead (brochure, step 5 «Décider»); {email} is {role}"),
    "role_staff": Label(
        fr="« {trigger} » revient à l'équipe du CFA (conseiller ou responsable de formation) ; {email} est {role}",
        en="{trigger} may only be done by CFA staff (advisor or programme lead); {email} is {role}"),
    "fact": Label(fr="{label} (fait {key})", en="{label} (fact {key})"),
    "field": Label(fr="{label} ({key})", en="{label} ({key})"),
    "project": Label(fr="il faut un projet professionnel (brochure, étape 1 « Réfléchir ») : {missing}",
                     en="needs a professional project (brochure, step 1 «Réfléchir»): {missing}"),
    "application": Label(
        fr="il faut une candidature enregistrée auprès d'une entreprise (fait application.company ; brochure, "
           "étape 2 « Candidater »)",
        en="needs a recorded application to a company (fact application.company; brochure, step 2 «Candidater»)"),
    "offer_needed": Label(fr="il faut une offre d'une entreprise (faits offer.company et offer.siret)",
                          en="needs an offer from a company (facts offer.company and offer.siret)"),
    "offer_siret": Label(fr="l'offre de {company} doit indiquer le SIRET de l'entreprise (fait offer.siret)",
                         en="the offer from {company} needs the company's SIRET (fact offer.siret)"),
    "bad_siret": Label(fr="{key} {siret} : {problem}", en="{key} {siret}: {problem}"),
    "offer_chosen": Label(fr="il faut l'offre retenue (faits offer.*)",
                          en="needs the offer being chosen (facts offer.*)"),
    "offer_terms": Label(fr="il faut les conditions de l'offre (brochure, étape 4 « Se positionner ») : {missing}",
                         en="needs the offer's terms (brochure, step 4 «Se positionner»): {missing}"),
    "contract_terms": Label(fr="il manque : {missing}", en="needs: {missing}"),
    "signature_late": Label(
        fr="la date de signature est plus de 3 mois après le début du contrat (L6222-12)",
        en="the signature date is more than 3 months after the contract start (L6222-12)"),
    "start_before_birth": Label(
        fr="le début du contrat, le {start}, n'est pas après la date de naissance, le {born} : vérifiez "
           "contract.start_date",
        en="the contract start {start} is not after the birth date {born}: check contract.start_date"),
    "over_age": Label(
        fr="l'apprenti a {age} ans au début du contrat, le {start} : au-delà de la limite de {limit} ans (L6222-1), "
           "sauf dérogation enregistrée (fait derogation)",
        en="the apprentice is {age} on the contract start {start}: over the upper limit of {limit} (L6222-1) "
           "unless a derogation is recorded (fact derogation)"),
    "eligibility": Label(fr="{reason} ({source})", en="{reason} ({source})"),
    "dossier": Label(fr="dossier {field} : {reason} ({article})", en="dossier {field}: {reason} ({article})"),
    "no_seat": Label(fr="la formation {programme} n'a plus de place libre ({taken} sur {seats} prises)",
                     en="the programme {programme} has no free seat ({taken} of {seats} taken)"),
    "start_unknown": Label(fr="le début du contrat n'est pas connu (fait contract.start_date)",
                           en="the contract start is not known (fact contract.start_date)"),
    "starts_on": Label(fr="le contrat commence le {start} : sa période d'essai débute ce jour-là (L6222-18)",
                       en="the contract starts on {start}: its trial begins that day (L6222-18)"),
    "started_on": Label(
        fr="le contrat a commencé le {start} : pendant l'essai il se rompt (break_trial, L6222-18), il ne s'annule "
           "plus",
        en="the contract started on {start}: end it with break_trial during the trial (L6222-18), not by "
           "cancelling it"),
    "cancel_party": Label(
        fr="il faut la partie qui demande l'annulation du contrat avant son début (fait contract.ended_by={choices})",
        en="needs the party who asks to cancel the contract before its start (fact contract.ended_by={choices})"),
    "cancel_reason": Label(
        fr="il faut la raison pour laquelle les parties annulent le contrat avant son début (fait "
           "contract.cancellation_reason)",
        en="needs why the parties cancel the contract before its start (fact contract.cancellation_reason)"),
    "trial_end_unknown": Label(
        fr="la fin de l'essai n'est pas connue : enregistrez d'abord le début du contrat (et signez)",
        en="the trial end is not known: record the contract start (and sign) first"),
    "trial_runs": Label(
        fr="l'essai court jusqu'au {end} inclus (L6222-18 : 45 jours en entreprise)",
        en="the trial runs until {end} included (L6222-18: 45 days in the company)"),
    "contract_ends": Label(fr="le contrat prend fin le {end} : il se termine à partir de ce jour",
                           en="the contract ends on {end}; complete it from then"),
    "contract_end_unknown": Label(fr="la fin du contrat n'est pas connue (fait contract.end_date)",
                                  en="the contract ends on an unknown date; complete it from then"),
    "break_party": Label(fr="il faut la partie qui met fin à l'essai (fait contract.ended_by={choices} ; L6222-18)",
                         en="needs the party who ends the trial (fact contract.ended_by={choices}; L6222-18)"),
    "termination_reason": Label(
        fr="il faut le motif légal (fait contract.termination_reason={choices} ; L6222-18)",
        en="needs the legal ground (fact contract.termination_reason={choices}; L6222-18)"),
    "termination_effective": Label(
        fr="la rupture pour le motif {ground} prend effet le {earliest} au plus tôt ({source})",
        en="the break on the ground {ground} takes effect on {earliest} at the earliest ({source})"),
    "search_window": Label(
        fr="la période de recherche sans employeur court jusqu'au {last} inclus ({source})",
        en="the search window without employer runs until {last} included ({source})"),
    "resume_window": Label(
        fr="les 6 mois de recherche après la rupture ont pris fin le {limit} (L6222-18-2)",
        en="the 6-month search after the break ended on {limit} (L6222-18-2)"),
    "no_calendar": Label(
        fr="la formation {programme} n'a pas de calendrier des périodes au CFA : les jours en entreprise de l'essai "
           "ne peuvent pas être comptés (L6222-18) ; ajoutez-le avec `contract-flow programme calendar {programme} "
           "FICHIER`",
        en="the programme {programme} has no school calendar, so the trial's company days cannot be counted "
           "(L6222-18): add one with `contract-flow programme calendar {programme} FILE`"),
    "pay_needed": Label(fr="il faut le salaire brut mensuel convenu (contract.gross_monthly_pay)",
                        en="needs the agreed gross monthly pay (contract.gross_monthly_pay)"),
    "pay_below": Label(
        fr="le salaire convenu de {pay_eur} est sous le minimum de l'année {year}, {minimum_eur}, au début du "
           "contrat ({percent_pct} % du {reference} de {reference_eur}, tranche d'âge {band}, règle {rule} ; "
           "{sources})",
        en="the agreed pay {pay_eur} is below the year-{year} minimum {minimum_eur} on the contract start "
           "({percent_pct} % of the {reference} {reference_eur}, age band {band}, rule {rule}; {sources})"),
    "previous_contract": Label(fr="le minimum d'un contrat successif (D6222-29) demande : {missing}",
                               en="a successive contract's minimum (D6222-29) needs: {missing}"),
    "end_before_cycle": Label(
        fr="la fin du contrat, le {end} : le contrat couvre le reste du cycle de formation, qui finit le {cycle_end} "
           "(formation {programme}) ; commençant le {start}, il finit le {earliest} au plus tôt ({source})",
        en="contract.end_date {end}: the contract lasts the rest of the training cycle, which ends on {cycle_end} "
           "(programme {programme}); from {start} it ends on {earliest} at the earliest ({source})"),
    "longer_than_max": Label(
        fr="la fin du contrat, le {end} : commençant le {start}, un contrat dure au plus {years} ans, il finit donc le "
           "{latest} au plus tard ({source})",
        en="contract.end_date {end}: from {start} a contract lasts at most {years} years, so it ends on {latest} "
           "at the latest ({source})"),
    "after_cycle": Label(
        fr="la fin du contrat, le {end} : plus de {months} mois après la fin du cycle de formation, le {cycle_end} ; "
           "il finit le {latest} au plus tard ({source})",
        en="contract.end_date {end}: more than {months} months after the end of the training cycle {cycle_end}; "
           "it ends on {latest} at the latest ({source})"),
    "shorter_than_min": Label(
        fr="la fin du contrat, le {end} : commençant le {start}, un contrat dure au moins {months} mois ({source})",
        en="contract.end_date {end}: from {start} a contract lasts at least {months} months ({source})"),
    "practical_before_start": Label(
        fr="le début de la formation pratique, le {practical}, est avant le début du contrat, le {start}",
        en="contract.practical_training_start {practical} is before the contract start {start}"),
    "practical_late": Label(
        fr="le début de la formation pratique, le {practical} : elle commence dans les {months} mois "
           "suivant le début du contrat, au plus tard le {latest} ({source})",
        en="contract.practical_training_start {practical}: practical training starts within {months} months of the "
           "contract start, by {latest} ({source})"),
    "mediator_needed": Label(
        fr="une démission après l'essai demande la date de saisine du médiateur (fait contract.mediator_referral_on ; "
           "D6222-21-1)",
        en="a resignation after the trial needs the date of the referral to the mediator (fact "
           "contract.mediator_referral_on; D6222-21-1)"),
    "informed_early": Label(
        fr="l'employeur informé le {informed} : il est informé au moins {days} jours après la "
           "saisine du médiateur ({referral}), donc à partir du {earliest} ({source})",
        en="contract.employer_informed_on {informed}: the employer is informed at least {days} days after the "
           "referral to the mediator ({referral}), so from {earliest} ({source})"),
    "notice_needed": Label(
        fr="un apprenti qui a obtenu le diplôme donne un préavis écrit : enregistrez sa date (fait "
           "contract.notice_given_on ; L6222-19)",
        en="an apprentice who obtained the diploma gives written notice: record its date (fact "
           "contract.notice_given_on; L6222-19)"),
}

#: Rules of values people type (InvalidInput's `rule`): dates, SIRET, amounts, reviews.
INPUT_TEXTS: Mapping[str, Label] = {
    "input": Label(fr="{field} : {rule}", en="{field}: {rule}"),
    "not_a_written_date": Label(
        fr="{typed} n'est pas une date (attendu : JJ/MM/AAAA ou AAAA-MM-JJ, un jour qui existe)",
        en="{typed} is not a date (expected DD/MM/YYYY or YYYY-MM-DD, a day that exists)"),
    "not_a_date": Label(fr="{typed} n'est pas une date (attendu : AAAA-MM-JJ, un jour qui existe)",
                        en="{typed} is not a date (expected YYYY-MM-DD, a day that exists)"),
    "not_an_amount": Label(fr="{typed} n'est pas un montant en euros (par exemple 1234,56)",
                           en="{typed} is not an amount in euros (e.g. 1234.56)"),
    "negative_amount": Label(fr="{typed} doit être un montant positif en euros",
                             en="{typed} must be a positive amount in euros"),
    "amount_too_big": Label(fr="{typed} dépasse {most} €", en="{typed} is more than {most} €"),
    "amount_cents": Label(fr="{typed} a plus de deux décimales (les montants sont en centimes)",
                          en="{typed} has more than two decimals (amounts are in cents)"),
    "not_hours": Label(fr="{typed} n'est pas un nombre d'heures", en="{typed} is not a number of hours"),
    "hours_range": Label(
        fr="{typed} : la durée hebdomadaire est au-dessus de 0 et d'au plus 48 heures (L3121-20)",
        en="{typed}: weekly hours must be above 0 and at most 48 (L3121-20)"),
    "hours_hundredths": Label(fr="{typed} a plus de deux décimales (les heures sont gardées au centième)",
                              en="{typed} has more than two decimals (hours are kept in hundredths)"),
    "not_a_year": Label(
        fr="{typed} n'est pas un numéro d'année de 1 à {most} (un contrat dure au plus 3 ans, 4 pour un apprenti "
           "handicapé : R6222-47)",
        en="{typed} is not a year number from 1 to {most} (a contract lasts at most 3 years, 4 for a disabled "
           "apprentice: R6222-47)"),
    "not_an_email": Label(fr="{typed} n'est pas une adresse électronique", en="{typed} is not an email address"),
    "empty": Label(fr="ne doit pas être vide", en="must not be empty"),
    "invisible": Label(
        fr="contient le caractère invisible U+{code} ({name}) : les caractères de contrôle et de format (inversions "
           "de sens, caractères de largeur nulle) sont refusés",
        en="contains the invisible character U+{code} ({name}): control and format characters (bidi overrides, "
           "zero-width characters) are refused"),
    "too_long": Label(fr="dépasse {most} caractères", en="is longer than {most} characters"),
    "not_yes_no": Label(fr="{typed} n'est ni oui ni non", en="{typed} is not yes or no"),
    "not_one_of": Label(fr="{typed} n'est pas l'un de : {choices}", en="{typed} is not one of {choices}"),
    "bad_typed_siret": Label(fr="{typed} : {problem}", en="{typed}: {problem}"),
    "born_in_future": Label(fr="le {born} est dans le futur", en="{born} is in the future"),
    "born_too_long_ago": Label(
        fr="le {born} est il y a plus de {most} ans (avant le {oldest}) : ce n'est pas une date de naissance "
           "plausible pour un candidat",
        en="{born} is more than {most} years ago (before {oldest}): not a plausible candidate's birth date"),
    "born_too_late": Label(
        fr="{born} : un candidat a au moins {youngest_age} ans (né le {youngest} ou avant ; L6222-1 : à partir de "
           "l'année civile de ses {next_age} ans, après le collège, on peut entrer au CFA)",
        en="{born}: a candidate is at least {youngest_age} years old (born on or before {youngest}; L6222-1: from "
           "the calendar year one turns {next_age}, after lower secondary school, one may start at a CFA)"),
    "tutor_unknown": Label(fr="pas encore indiqué (fait tutor)", en="not recorded yet (fact tutor)"),
    "review_tutor_or_staff": Label(
        fr="seuls le tuteur du dossier ({tutor}) et l'équipe du CFA (conseiller ou responsable de formation) le "
           "peuvent ; {email} est {role}",
        en="only the case's tutor ({tutor}) or CFA staff (advisor or programme lead) may do it; {email} is {role}"),
    "review_contract_running": Label(
        fr="le dossier est à l'étape « {state} » : les entretiens se planifient pendant un contrat signé en cours "
           "(essai ou contrat)",
        en="the case is in {state}: reviews are planned while a signed contract runs (trial or active)"),
    "review_outside": Label(
        fr="{moment} est hors du contrat (du {start} au {end}) : un entretien a lieu pendant le contrat",
        en="{moment} is outside the contract ({start} to {end}): a review is held while it runs"),
    "no_time_zone": Label(fr="{moment} n'a pas de fuseau horaire", en="{moment} has no time zone"),
    "review_before_start": Label(fr="le {day} est avant le début du contrat ({start})",
                                 en="{day} is before the contract start ({start})"),
    "review_after_end": Label(fr="le {day} est après la fin du contrat ({end})",
                              en="{day} is after the contract end ({end})"),
    "ack_not_held": Label(fr="l'entretien {review} est « {state} » : seul un entretien tenu fait l'objet d'un visa",
                          en="review {review} is {state}: only a held review is acknowledged"),
    "ack_twice": Label(fr="le compte rendu de l'entretien {review} est déjà visé ({party})",
                       en="the {party} already acknowledged review {review}"),
    "review_past": Label(fr="le {moment} (heure de Paris) est passé : un entretien se planifie à l'avance",
                         en="{moment} (Paris) is past: a review is planned ahead"),
    "review_to_come": Label(
        fr="le {moment} (heure de Paris) est à venir : un entretien qui n'a pas encore eu lieu se planifie",
        en="{moment} (Paris) is to come: a review not held yet is planned"),
    "siret_length": Label(fr="un SIRET a exactement 14 chiffres", en="a SIRET has exactly 14 digits"),
    "siret_key_la_poste": Label(fr="la clé du SIRET est fausse (La Poste)",
                                en="the SIRET's check digit is wrong (La Poste)"),
    "siren_key_in_siret": Label(fr="la clé du SIREN (9e chiffre) est fausse (Luhn)",
                                en="the SIREN's check digit (9th digit) is wrong (Luhn)"),
    "siret_key": Label(fr="la clé du SIRET est fausse (Luhn)", en="the SIRET's check digit is wrong (Luhn)"),
    "siret_invalid": Label(fr="SIRET invalide ({problem})", en="not a valid SIRET ({problem})"),
    "siren_length": Label(fr="un SIREN a exactement 9 chiffres", en="a SIREN has exactly 9 digits"),
    "siren_key": Label(fr="la clé du SIREN est fausse (Luhn)", en="the SIREN's check digit is wrong (Luhn)"),
    # What was typed and why it is refused (the dossier's and the filing's identifiers and codes)
    "typed_refused": Label(fr="{value} : {problem}", en="{value}: {problem}"),
    "typed_is": Label(fr="{value} {problem}", en="{value} is {problem}"),
    "nir_format": Label(
        fr="un NIR a 15 caractères : 13 chiffres (2A ou 2B pour une naissance en Corse) et sa clé de 2 chiffres",
        en="a NIR has 15 characters: 13 digits (2A or 2B for a birth in Corsica) and its 2-digit key"),
    "nir_key": Label(
        fr="la clé du NIR (les 2 derniers chiffres) est fausse : c'est 97 moins les 13 premiers chiffres modulo 97",
        en="the NIR's key (last 2 digits) is wrong: it is 97 minus the first 13 digits modulo 97"),
    "nir_invalid": Label(fr="NIR invalide ({problem})", en="not a valid NIR ({problem})"),
    "nir_key_expected": Label(
        fr="la clé {key} ne correspond pas au numéro (ce devrait être {expected}) : vérifiez les 15 caractères",
        en="the key {key} does not match the number (it should be {expected}): check the 15 characters"),
    "uai_format": Label(fr="un UAI a 7 chiffres et une lettre de contrôle (par ex. 0750654D)",
                        en="a UAI has 7 digits and a check letter (e.g. 0750654D)"),
    "uai_letter": Label(
        fr="la lettre de contrôle de l'UAI est fausse : {digits} appelle {expected} (les 7 chiffres modulo 23)",
        en="the UAI's check letter is wrong: {digits} calls for {expected} (the 7 digits modulo 23)"),
    "deca_format": Label(
        fr="n'est pas un numéro de contrat DECA : département, année, mois, 2 caractères et un numéro d'ordre de "
           "4 chiffres (par ex. 02B202212000000)",
        en="not a DECA contract number: département, year, month, 2 characters and a 4-digit sequence "
           "(e.g. 02B202212000000)"),
    "idcc_format": Label(
        fr="{value} n'est pas un code IDCC : 4 chiffres (9999 sans convention collective, 9998 pendant sa "
           "négociation)",
        en="{value} is not an IDCC code: 4 digits (9999 without a collective agreement, 9998 while one is being "
           "negotiated)"),
    "naf_format": Label(
        fr="{value} n'est pas un code NAF : 2 chiffres, un point, 2 chiffres et une lettre (par ex. 28.99B)",
        en="{value} is not a NAF code: 2 digits, a dot, 2 digits and a letter (e.g. 28.99B)"),
    "rncp_format": Label(fr="{value} n'est pas un code RNCP : RNCP et 3 à 5 chiffres (RNCP37412)",
                         en="{value} is not an RNCP code: RNCP and 3 to 5 digits (RNCP37412)"),
    "diploma_code_format": Label(
        fr="{value} n'est pas un code diplôme : 8 caractères, 2 chiffres, un chiffre ou une lettre, 5 chiffres "
           "(par ex. 17025203)",
        en="{value} is not a diploma code: 8 characters, 2 digits, a digit or letter, 5 digits (e.g. 17025203)"),
    "percent_not_number": Label(fr="{value} n'est pas un pourcentage (par ex. 53 ou 61,5)",
                                en="{value} is not a percentage (e.g. 53 or 61.5)"),
    "percent_range": Label(fr="{value} : un taux est au-dessus de 0 % et d'au plus {highest} %",
                           en="{value}: a rate is above 0 % and at most {highest} %"),
    "percent_decimals": Label(fr="{value} a plus de deux décimales", en="{value} has more than two decimals"),
    # The staff's administration: programmes, users, calendars
    "programme_years": Label(fr="{years} n'est pas entre 1 et {most} (L6222-7-1)",
                             en="{years} is not between 1 and {most} (L6222-7-1)"),
    "programme_seats": Label(fr="{seats} : une formation a au moins une place",
                             en="{seats}: a programme has at least one seat"),
    "programme_level": Label(
        fr="{level} n'est pas un niveau que prépare l'apprentissage (3 CAP à 8 doctorat ; décret n° 2019-14)",
        en="{level} is not a level an apprenticeship prepares (3 CAP to 8 doctorate; décret n° 2019-14)"),
    "programme_code_taken": Label(fr="{code} est déjà le code d'une formation : choisissez-en un autre",
                                  en="{code} is already used as a programme code: choose another one"),
    "programme_exists": Label(fr="la formation {code} existe déjà", en="programme {code} already exists"),
    "calendar_of_other": Label(fr="le fichier est le calendrier de la formation {other}, pas de {code}",
                               en="the file is the calendar of programme {other}, not of {code}"),
    "seats_taken": Label(
        fr="{seats} : {taken} places sont prises (une formation a au moins une place, et autant que les offres et "
           "contrats qui en tiennent une)",
        en="{seats}: {taken} seats are taken (a programme has at least one seat, and as many as the offers and "
           "contracts holding one)"),
    "programme_dated": Label(
        fr="la formation {code} a {cases} dossiers : leurs contrats ont été datés d'après son début et sa durée",
        en="programme {code} has {cases} cases: their contracts were dated from its start and length"),
    "language_unknown": Label(fr="{typed} : les messages existent en fr et en",
                              en="{typed}: messages exist in fr and en"),
    "case_link_apprentice": Label(fr="seul un utilisateur apprenti est lié à un dossier",
                                  en="only an apprentice user is linked to a case"),
    "lead_adds_own_cfa": Label(fr="un responsable de formation ajoute des utilisateurs à son propre CFA",
                               en="a programme lead adds users to their own CFA"),
    "lead_keeps_own_cfa": Label(
        fr="un responsable de formation garde ses utilisateurs dans son CFA (l'opérateur en déplace un : "
           "`contract-flow user edit EMAIL --cfa CODE`)",
        en="a programme lead keeps users in their own CFA (the operator moves one: "
           "`contract-flow user edit EMAIL --cfa CODE`)"),
    "user_exists": Label(fr="un utilisateur avec l'adresse {email} existe déjà",
                         en="a user with email {email} already exists"),
    "role_system": Label(fr="system est le moteur lui-même, pas un utilisateur",
                         en="system is the engine itself, not a user"),
    "not_a_role": Label(fr="{typed} n'est pas un rôle", en="{typed} is not a role"),
    "user_deactivated": Label(fr="l'utilisateur {email} est désactivé : `contract-flow user activate` d'abord",
                              en="user {email} is deactivated: `contract-flow user activate` first"),
    "user_linked_case": Label(
        fr="l'utilisateur {email} est lié au dossier {case} : seul un utilisateur apprenti est lié à un dossier",
        en="user {email} is linked to case {case}: only an apprentice user is linked to a case"),
    "search_too_long": Label(fr="une recherche fait au plus {most} caractères",
                             en="a search is at most {most} characters"),
    "not_whole_number": Label(fr="{typed} n'est pas un nombre entier", en="{typed} is not a whole number"),
    "calendar_file_missing": Label(
        fr="choisissez le fichier du calendrier (périodes [[school]] from/to, un fichier TOML)",
        en="choose the calendar's file ([[school]] from/to periods, a TOML file)"),
    "calendar_file_size": Label(fr="un fichier de calendrier fait au plus {most} caractères de texte",
                                en="a calendar file is at most {most} characters of text"),
    "calendar_not_toml": Label(fr="ce n'est pas un fichier TOML : {error}", en="not a TOML file: {error}"),
    # The dossier's sections checked as a whole (domain/dossier/parse.py)
    "employer_type_public": Label(fr="{kind} ne convient pas à un employeur public : son type est l'un de 21 à 29",
                                  en="{kind} does not fit a public employer: its type is one of 21 to 29"),
    "employer_type_private": Label(fr="{kind} ne convient pas à un employeur privé : son type est l'un de 11 à 16",
                                   en="{kind} does not fit a private employer: its type is one of 11 to 16"),
    "adult_not_emancipated": Label(
        fr="seul un mineur peut être non émancipé (l'apprenti est déclaré majeur : apprentice.minor)",
        en="only a minor can be not emancipated (the apprentice is declared an adult: apprentice.minor)"),
    "adult_signs_alone": Label(
        fr="un apprenti majeur signe seul : un représentant légal est pour un mineur non émancipé",
        en="an adult apprentice signs alone: a legal representative is for a non-emancipated minor"),
    "born_in_france_99": Label(
        fr="99 est pour une naissance à l'étranger, mais l'apprenti est né en France (apprentice.born_in_france)",
        en="99 is for a birth abroad, but the apprentice was born in France (apprentice.born_in_france)"),
    "born_abroad_not_99": Label(fr="{department} : pour une naissance à l'étranger, le département est 99",
                                en="{department}: for a birth abroad the département is 99"),
    "nir_sex_man": Label(fr="le NIR commence par {digit} (un homme) mais le sexe est {sex} : vérifiez l'un ou l'autre",
                         en="the NIR starts with {digit} (a man) but the sex is {sex}: check one or the other"),
    "nir_sex_woman": Label(
        fr="le NIR commence par {digit} (une femme) mais le sexe est {sex} : vérifiez l'un ou l'autre",
        en="the NIR starts with {digit} (a woman) but the sex is {sex}: check one or the other"),
    "nir_year": Label(
        fr="les chiffres 2-3 du NIR ({digits}) sont l'année de naissance, qui finit par {year} ({born})",
        en="digits 2-3 of the NIR ({digits}) are the birth year, which ends with {year} ({born})"),
    "nir_month": Label(fr="les chiffres 4-5 du NIR ({digits}) sont le mois de naissance, {month} ({born})",
                       en="digits 4-5 of the NIR ({digits}) are the birth month, {month} ({born})"),
    "numbered_fields": Label(fr="les champs sont numérotés de 1 à {most} : {example}",
                             en="fields are numbered from 1 to {most}: {example}"),
    "numbered_gap": Label(fr="le numéro {gap} est vide mais le {filled} est rempli : numérotez-les depuis 1 sans trou",
                          en="number {gap} is empty but {filled} is filled: number them from 1 without a gap"),
    "first_contract_no_previous": Label(fr="un premier contrat (type 11) n'a pas de contrat précédent",
                                        en="a first contract (type 11) has no previous contract"),
    "effective_date_amendment_only": Label(
        fr="seul un avenant (types 31 à 38) a une date d'effet ; celui-ci est de type {type_code}",
        en="only an amendment (types 31-38) has an effective date; this is type {type_code}"),
    "effective_outside": Label(fr="le {effective} est hors du contrat", en="{effective} is outside the contract"),
    "hours_with_minutes": Label(fr="indiquez les heures avec les minutes (0 pour moins d'une heure)",
                                en="give the hours with the minutes (0 for under an hour)"),
    "weekly_time_zero": Label(fr="la durée hebdomadaire du travail est de plus de 0",
                              en="the weekly working time is more than 0"),
    "weekly_time_over": Label(fr="48 h {minutes} min : au plus 48 heures par semaine (L3121-20)",
                              en="48 h {minutes} min: at most 48 hours a week (L3121-20)"),
    "pay_line_end_before": Label(fr="le {end} est avant le début de la ligne ({start})",
                                 en="{end} is before the line's start {start}"),
    "pay_line_overlap": Label(fr="le {start} n'est pas après la fin de la ligne {line} ({end})",
                              en="{start} is not after the end of line {line} ({end})"),
    "exams_before_training": Label(fr="le {end} n'est pas après le début de la formation ({start})",
                                   en="{end} is not after the training start {start}"),
    "remote_over_total": Label(
        fr="{remote} heures de formation à distance, c'est plus que les {hours} heures de toute la formation",
        en="{remote} hours of remote training are more than the {hours} hours of the whole training"),
    # A case's facts and people, absences, exports
    "opco_answer_recorded": Label(
        fr="la réponse de l'OPCO ({decision}) est enregistrée : déposez à nouveau le contrat avec "
           "`contract-flow dossier file` ou depuis la page du dossier, ce qui l'efface",
        en="the OPCO's answer ({decision}) is recorded: file the contract again with `contract-flow dossier file` "
           "or the case page, which clears it"),
    "signed_amendment_changes": Label(
        fr="le contrat est signé : un avenant (type {amendment}) modifie ses {fields}, ni sa signature ni son début",
        en="the contract is signed: an amendment (type {amendment}) changes its {fields}, not its signature nor "
           "its start"),
    "signed_only_amendment": Label(fr="le contrat est signé : seul un avenant peut le modifier ({fields})",
                                   en="the contract is signed: only an amendment may change it ({fields})"),
    "end_not_after_start": Label(fr="le {end} n'est pas après le début ({start})",
                                 en="{end} is not after the start {start}"),
    "programme_year_over": Label(fr="{year} : la formation {code} dure {years} ans",
                                 en="{year}: the programme {code} lasts {years} years"),
    "offer_already_chosen": Label(fr="l'offre de {company} a été choisie : déclinez-la d'abord",
                          en="the offer from {company} was chosen; decline it first"),
    "advisor_not_of_cfa": Label(fr="{email} n'est pas un utilisateur de {cfa} (le CFA de la formation)",
                                en="{email} is not a user of {cfa} (the programme's CFA)"),
    "previous_end_before_birth": Label(fr="le {end} n'est pas après la date de naissance du candidat ({born})",
                                       en="{end} is not after the candidate's birth date ({born})"),
    "previous_end_too_late": Label(
        fr="le {end} est après le {latest} : un contrat en cours aujourd'hui finit dans les {years} ans (R6222-47)",
        en="{end} is after {latest}: a contract running today ends within {years} years (R6222-47)"),
    "user_other_cfa_case": Label(fr="{email} est un utilisateur d'un autre CFA, pas de {cfa} (celui du dossier)",
                                 en="{email} is a user of another CFA, not of {cfa} (the case's)"),
    "user_other_cfa_programme": Label(
        fr="{email} est un utilisateur d'un autre CFA, pas de {cfa} (celui de la formation)",
        en="{email} is a user of another CFA, not of {cfa} (the programme's)"),
    "user_wrong_role": Label(fr="{email} est un utilisateur dont le rôle est {role}, pas {roles}",
                             en="{email} is a user whose role is {role}, not {roles}"),
    "absence_before_start": Label(fr="le {first} est avant le début du contrat ({start})",
                                  en="{first} is before the contract start ({start})"),
    "absence_no_start": Label(fr="le {first} est avant le début du contrat (pas encore fixé)",
                              en="{first} is before the contract start (not set)"),
    "absence_after_end": Label(
        fr="le {last} est après la fin du contrat ({latest}) : les jours d'absence de l'entreprise sont des jours "
           "du contrat",
        en="{last} is after the contract's end ({latest}): days away from the company are days of the contract"),
    "export_format": Label(fr="{typed} n'est pas un format d'export : csv ou xlsx",
                           en="{typed} is not an export format: csv or xlsx"),
    "needs_me_operator": Label(
        fr="l'opérateur n'a rien à faire : « needs me » est pour un utilisateur (--as EMAIL)",
        en="the operator has nothing to do: «needs me» is for a user (--as EMAIL)"),
    "todo_operator": Label(fr="l'opérateur n'a pas de liste d'actions : nommez une personne (--as EMAIL)",
                           en="the operator has no to-do list: name a person (--as EMAIL)"),
    "limit_range": Label(fr="{limit} n'est pas entre 1 et {most}", en="{limit} is not between 1 and {most}"),
    "negative": Label(fr="{value} est négatif", en="{value} is negative"),
    # Amendments (avenants)
    "not_an_amendment": Label(fr="{code} ({name}) n'est pas un avenant : son type est l'un de {codes}",
                              en="{code} ({name}) is not an amendment: its type is one of {codes}"),
    "amendment_reason_needed": Label(
        fr="obligatoire : pourquoi le contrat est modifié (cela fait partie de l'avenant)",
        en="required: why the contract is amended (it is part of the amendment)"),
    "amendment_outside": Label(
        fr="le {effective} est hors du contrat (du {start} au {end}) : un avenant prend effet pendant le contrat",
        en="{effective} is outside the contract (from {start} to {end}): an amendment takes effect while the "
           "contract runs"),
    "amendment_no_change": Label(
        fr="indiquez au moins un champ=valeur (par ex. mentors.1.last_name=Dupont, contract.end_date=2029-12-31)",
        en="give at least one field=value (e.g. mentors.1.last_name=Dupont, contract.end_date=2029-12-31)"),
    "not_a_dossier_field": Label(
        fr="pas un champ du dossier : section.clé, la section l'une de {sections}",
        en="not a field of the dossier: section.key, the section one of {sections}"),
    "not_a_section_field": Label(fr="pas un champ de la section {section} du dossier",
                                 en="not a field of the dossier's {section} section"),
    "not_amendable": Label(
        fr="un avenant ne change pas ce champ : c'est celui du contrat tel que signé, l'identité de l'apprenti ou "
           "celui de l'avenant lui-même (son type et sa date d'effet)",
        en="an amendment does not change this field: it is the contract's as signed, the apprentice's identity, "
           "or the amendment's own (its type and effective date)"),
    "too_long_or_not_text": Label(fr="dépasse {most} caractères, ou n'est pas du texte",
                                  en="is longer than {most} characters, or not text"),
    "choose_field": Label(fr="choisissez le champ de cette valeur", en="choose the field this value is for"),
    "amendment_choose_field": Label(fr="choisissez au moins un champ à modifier, avec sa nouvelle valeur",
                                    en="choose at least one field to change, with its new value"),
    "chosen_twice": Label(fr="{name} est choisi deux fois", en="{name} is chosen twice"),
    "not_an_application_number": Label(fr="{typed} n'est pas un numéro de candidature",
                                       en="{typed} is not an application's number"),
    "not_a_code": Label(fr="{typed} : un code a de 1 à 40 lettres, chiffres, « - » ou « _ »",
                        en="{typed}: a code is 1 to 40 letters, digits, '-' or '_'"),
    "login_link_deactivated": Label(fr="l'utilisateur {email} est désactivé : réactivez-le d'abord",
                                    en="user {email} is deactivated: activate them first"),
    "tdb_name_the_cfa": Label(fr="nommez le CFA dont les apprentis sont à envoyer : {codes}",
                              en="name the CFA whose learners to send: {codes}"),
    "tdb_no_cfa_yet": Label(fr="nommez le CFA dont les apprentis sont à envoyer : aucun n'a encore de formation",
                            en="name the CFA whose learners to send: none has a programme yet"),
    "json_or_xlsx": Label(fr="{typed} : json ou xlsx", en="{typed}: json or xlsx"),
    "not_oneself_deactivate": Label(
        fr="vous ne pouvez pas vous désactiver vous-même : un autre responsable de formation ou l'opérateur le peut",
        en="you cannot deactivate yourself: another programme lead or the operator can"),
    "not_oneself_role": Label(
        fr="vous ne pouvez pas changer votre propre rôle : un autre responsable de formation ou l'opérateur le peut",
        en="you cannot change the role of yourself: another programme lead or the operator can"),
    "review_place_needed": Label(
        fr="il faut une salle ou un lien (le contrat ne nomme aucun employeur chez qui se réunir)",
        en="needs a room or a link (the contract names no employer to meet at)"),
    "not_positive": Label(fr="{value} n'est pas un nombre positif", en="{value} is not a positive number"),
    "password_length": Label(
        fr="un mot de passe a de {least} à {most} caractères (celui-ci en a {length})",
        en="a password has {least} to {most} characters (this one has {length})"),
    "password_spaces": Label(
        fr="un mot de passe ne commence ni ne finit par une espace et ne contient pas de caractère NUL",
        en="a password does not start or end with a space, nor hold a NUL"),
    "kept_version_language": Label(
        fr="une version conservée est donnée telle qu'elle a été conservée, en {kept} ; le dossier tel qu'il est "
           "peut être lu en {language}",
        en="a kept version is given as it was kept, in {kept}; the dossier as it stands may be read in {language}"),
    "not_a_version": Label(
        fr="{typed} n'est pas un numéro de version (celui que la page ou l'ETag a donné, par exemple {example} ; "
           "au plus {most} chiffres)",
        en="{typed} is not a version number (the one the page or the ETag gave, e.g. {example}; at most {most} "
           "digits)"),
    "amend_unsigned": Label(
        fr="le dossier {case} est à l'état « {state} » : seul un contrat signé (signé, en période d'essai, en "
           "cours) fait l'objet d'un avenant ; avant la signature, son dossier se remplit tel quel",
        en="case {case} is {state}: only a signed contract (signed, trial, active) is amended; before the "
           "signature its dossier is filled as it is"),
    "changes_nothing": Label(fr="ne change rien : chaque valeur donnée est déjà celle du contrat",
                             en="changes nothing: every value given is the contract's already"),
    "nul_is_not_text": Label(fr="un caractère NUL n'est pas du texte", en="a NUL character is not text"),
    "engine_trial_begins": Label(
        fr="la date de début du contrat est arrivée : sa période d'essai commence (L6222-18)",
        en="the contract's start date has come: its trial period begins (L6222-18)"),
    "engine_trial_passed": Label(fr="les 45 jours de présence en entreprise de la période d'essai sont passés "
                                    "(L6222-18)",
                                 en="the 45 company days of trial have passed (L6222-18)"),
    "not_a_form_moment": Label(fr="{typed} n'est pas une date et une heure (AAAA-MM-JJTHH:MM)",
                               en="{typed} is not a date and time (YYYY-MM-DDTHH:MM)"),
    "not_a_month": Label(fr="{typed} n'est pas un mois écrit AAAA-MM (par exemple 2027-01)",
                         en="{typed} is not a month written YYYY-MM (e.g. 2027-01)"),
    # A rule of law the dossier checks at signature, broken by a change: the rule and its article
    "breaks_rule": Label(fr="{reason} ({article})", en="{reason} ({article})"),
    "held_at_opening": Label(
        fr="enregistré sur le dossier à son ouverture : l'équipe du CFA le modifie là (fait {fact})",
        en="recorded on the case when it was opened: CFA staff change it there (fact {fact})"),
    "held_not_emptied": Label(fr="tenu par le dossier (fait {fact}) : il peut être modifié, pas vidé",
                              en="held by the case (fact {fact}): it may be changed, not emptied"),
}

#: The domain's errors (domain/errors.py): the English is str(error), as the API and the CLI's --lang en give it.
ERROR_TEXTS: dict[str, Label] = {
    "not_found": Label(fr="{kind} {key} introuvable", en="{kind} {key} not found"),
    "transition_refused": Label(fr="dossier {case} : « {trigger} » refusé : {reasons}",
                                en="case {case}: {trigger} refused: {reasons}"),
    "not_allowed": Label(
        fr="{kind} {case} : « {trigger} » n'est pas possible à l'étape « {state} » ; possible maintenant : {choices}",
        en="{kind} {case}: {trigger} is not allowed in state {state}; allowed now: {choices}"),
    "not_allowed_final": Label(
        fr="{kind} {case} : « {trigger} » n'est pas possible à l'étape « {state} » ; possible maintenant : aucun "
           "mouvement (étape finale)",
        en="{kind} {case}: {trigger} is not allowed in state {state}; allowed now: none (final state)"),
    "conflict": Label(
        fr="{kind} {case} a été modifié par quelqu'un d'autre depuis la version {expected} : rechargez-le et "
           "réessayez",
        en="{kind} {case} was changed by someone else since version {expected}: reload it and try again"),
    "conflict_now": Label(
        fr="{kind} {case} a été modifié par quelqu'un d'autre depuis la version {expected} (il est maintenant à la "
           "version {actual}) : rechargez-le et réessayez",
        en="{kind} {case} was changed by someone else since version {expected} (it is now at version {actual}): "
           "reload it and try again"),
}

#: What the access policy refuses (domain/access.py's RULES, services' require_role), English to French; what is
#: not here reads «cette action» in French.
FORBIDDEN_WHAT: Mapping[str, str] = {
    "acknowledging a review": "accuser réception d'un compte rendu d'entretien",
    "amending a signed contract": "modifier un contrat signé (avenant)",
    "cancelling a review": "annuler un entretien",
    "erasing a person's data": "effacer les données d'une personne",
    "exporting a person's data": "exporter les données d'une personne",
    "filling in the contract dossier": "remplir le dossier du contrat",
    "logging a review": "enregistrer le compte rendu d'un entretien",
    "managing the CFA's programmes": "gérer les formations du CFA",
    "managing the CFA's users": "gérer les utilisateurs du CFA",
    "managing the CFA's users and programmes": "gérer les utilisateurs et les formations du CFA",
    "moving a case": "faire avancer un dossier",
    "planning a review": "planifier un entretien",
    "reading a case": "consulter un dossier",
    "reading the contract dossier": "consulter le dossier du contrat",
    "recording a missed review": "enregistrer un entretien manqué",
    "recording an absence": "enregistrer une absence",
    "recording facts": "enregistrer des informations",
    "recording the OPCO's decision": "enregistrer la décision de l'OPCO",
    "recording the contract's filing with the OPCO": "enregistrer le dépôt du contrat auprès de l'OPCO",
    "rescheduling a review": "déplacer un entretien",
    "the CFA's invoice lines": "les lignes de facturation du CFA",
    "the CFA's Tableau de bord feed": "le flux du CFA vers le Tableau de bord de l'apprentissage",
    "the contract's amendments": "les avenants du contrat",
    "the reminder ledger": "le journal des rappels",
    "adding a programme": "ajouter une formation",
    "importing cases": "importer des dossiers",
    "opening a case": "ouvrir un dossier",
    "setting a programme's calendar": "fixer le calendrier d'une formation",
    "the apprentice's page": "la page de l'apprenti",
    "the board": "le tableau des dossiers",
    "the cases at risk": "les dossiers à risque",
    "the mentor's page": "la page du maître d'apprentissage",
    "the rule set's check": "la vérification des règles",
    "the rule set's impact": "l'effet des règles",
    "the tutor's page": "la page du tuteur",
    "validating job projects": "valider les projets professionnels",
    "every review of every case": "tous les entretiens de tous les dossiers",
    "exporting a list of cases": "exporter une liste de dossiers",
    "the log of exports": "le journal des exports",
    "running the retention job": "lancer l'anonymisation des données échues",
    "the anonymisation log": "le journal des anonymisations",
}
#: Who an action is for, when it is not a role (contract_flow.labels names the roles).
FORBIDDEN_WHO: Mapping[str, str] = {"CFA staff": "l'équipe du CFA", "the operator": "l'opérateur"}
ERROR_TEXTS["either"] = Label(fr="{first} ou {rest}", en="{first} or {rest}")
ERROR_TEXTS["forbidden"] = Label(fr="{what} : réservé à {allowed} ; vous êtes {role}",
                                 en="{what} is for {allowed}; you are {role}")

#: The applications as a list (domain/applications.py): which one, in what status, when.
APPLICATION_TEXTS: Mapping[str, Label] = {
    "not_an_application": Label(fr="{number} n'est pas une candidature de ce dossier",
                                en="{number} is not an application of this case"),
    "application_not_sent": Label(
        fr="la candidature chez {company} est {status}, elle n'attend plus de réponse : choisissez une candidature "
           "envoyée", en="the application to {company} is {status}, not waiting for an answer: choose an application "
                         "sent"),
    "application_kept": Label(fr="la candidature chez {company} est {status} : elle reste telle quelle",
                              en="the application to {company} is {status}: it is kept as it was"),
    "application_future": Label(fr="le {day} est dans le futur : une candidature s'enregistre une fois envoyée",
                                en="{day} is in the future: an application is recorded once sent"),
    "application_unchanged": Label(fr="rien n'a changé", en="nothing changed"),
    "application_shortlist_only": Label(fr="désigne la candidature d'une présélection, pas d'un « {trigger} »",
                                        en="names the application a shortlist is about, not a {trigger}"),
    "application_field": Label(fr="champ inconnu ; une candidature a : {fields}",
                               en="unknown field; an application has {fields}"),
}

#: What the command line itself refuses (its options, files, a database not set up).
CLI_TEXTS: Mapping[str, Label] = {
    "no_such_file": Label(fr="{file} : fichier introuvable", en="{file}: no such file"),
    "not_a_file": Label(fr="{file} n'est pas un fichier", en="{file} is not a file"),
    "database_not_set_up": Label(
        fr="base de données : {problem} : elle n'est pas installée (ou une version plus ancienne l'a installée) ; "
           "lancez `contract-flow db upgrade`",
        en="database: {problem}: it is not set up (or an older version set it up); run `contract-flow db upgrade`"),
    "not_a_language": Label(fr="{typed} n'est pas une langue de contract-flow : {choices}",
                            en="{typed} is not a language of contract-flow: {choices}"),
    "not_a_moment": Label(fr="{typed} n'est pas une date ou une date et heure ISO (AAAA-MM-JJ[THH:MM])",
                          en="{typed} is not an ISO date or date-time"),
    "not_a_time": Label(fr="{typed} n'est pas une heure (HH:MM)", en="{typed} is not a time (HH:MM)"),
    "time_twice": Label(fr="--date {typed} donne déjà l'heure", en="--date {typed} already gives the time"),
    "one_of_options": Label(fr="indiquez {first} ou {second}, pas les deux", en="give {first} or {second}, not both"),
    "as_missing": Label(
        fr="option --as manquante : l'adresse de l'utilisateur qui agit (ou --operator pour un traitement par lot "
           "de confiance)",
        en="Missing option '--as': the email of the user acting (or --operator for a trusted batch job)"),
    "not_key_value": Label(fr="{typed} n'est pas de la forme clé=valeur (par exemple {example})",
                           en="{typed} is not key=value (e.g. {example})"),
    "not_field_value": Label(fr="{typed} n'est pas de la forme champ=valeur (par exemple {example})",
                             en="{typed} is not field=value (e.g. {example})"),
    "cannot_write": Label(fr="{file} : écriture impossible ({problem})", en="{file}: cannot be written ({problem})"),
    "not_a_folder": Label(fr="{folder} n'est pas un dossier", en="{folder} is not a folder"),
    "binary_to_a_file": Label(fr="un classeur .xlsx est binaire : indiquez -o FICHIER.xlsx (ou redirigez la sortie)",
                              en="a workbook is binary: give -o FILE.xlsx (or redirect the output)"),
    "written_to_a_file": Label(fr="un classeur .xlsx s'écrit dans un fichier : indiquez -o FICHIER.xlsx",
                               en="an .xlsx file is written to a file: give -o FILE.xlsx"),
    "public_host_development_secret": Label(
        fr="{host} est joignable depuis d'autres machines et le secret de session est celui, public, du "
           "développement : définissez CONTRACT_FLOW_SECRET_KEY (par exemple avec la sortie de {command})",
        en="{host} is reachable from other machines and the session secret is the public development one: set "
           "CONTRACT_FLOW_SECRET_KEY (e.g. to the output of {command})"),
    # `contract-flow rules`: its options checked before the rule set is asked (cli/rules.py)
    "not_before_start": Label(fr="le {day} n'est pas avant le début du contrat, le {start}",
                              en="{day} is not before the contract start {start}"),
    "not_after_start": Label(fr="le {day} n'est pas après le début du contrat, le {start}",
                             en="{day} is not after the contract start {start}"),
    "not_after_birth": Label(fr="le {day} n'est pas après la date de naissance, le {born}",
                             en="{day} is not after the birth date {born}"),
    "concluded_after_start": Label(
        fr="le {signed} est après le début du contrat, le {start} ; un contrat est conclu (signé) avant son début "
           "ou le jour même",
        en="{signed} is after the contract start {start}; a contract is concluded (signed) before or on its start"),
    "not_from_to": Label(fr="{typed} n'est pas de la forme DU:AU (par exemple {example})",
                         en="{typed} is not FROM:TO (e.g. {example})"),
    "needed_with_cycle": Label(
        fr="à indiquer avec {option} (D6222-28-1 compare le contrat à son cycle de formation)",
        en="needed with {option} (D6222-28-1 compares the contract with its training cycle)"),
    "cycle_at_least_a_year": Label(fr="{years} : un cycle de formation dure au moins un an",
                                   en="{years}: a training cycle lasts at least one year"),
    "contract_at_least_a_year": Label(fr="{years} : un contrat dure au moins un an",
                                      en="{years}: a contract lasts at least one year"),
    "previous_end_needed": Label(fr="à indiquer avec les autres options --previous-* (D6222-29)",
                                 en="needed with the other --previous-* options (D6222-29)"),
    "previous_year_needed": Label(
        fr="à indiquer avec --previous-contract-end : l'année du contrat précédent à son dernier jour (D6222-29 "
           "retient sa dernière année)",
        en="needed with --previous-contract-end: the previous contract's year on its last day (D6222-29 reads its "
           "last year)"),
    "previous_pay_needed": Label(
        fr="à indiquer avec --previous-same-employer : D6222-29 maintient le salaire perçu pendant la dernière année "
           "du contrat précédent",
        en="needed with --previous-same-employer: D6222-29 keeps the pay received in the previous contract's last "
           "year"),
    "previous_pay_other_employer": Label(
        fr="seulement avec --previous-same-employer : chez un autre employeur, D6222-29 garantit le minimum auquel "
           "l'apprenti pouvait prétendre cette année-là, calculé d'après la grille",
        en="only with --previous-same-employer: with another employer D6222-29 guarantees the minimum the "
           "apprentice could claim in that year, computed from the grid"),
    "exactly_one_of": Label(fr="indiquez exactement une des options {first} ou {second}",
                            en="give exactly one of {first} or {second}"),
    "no_programme_calendar": Label(
        fr="pas de calendrier pour {typed} : ni formation de ce code dans la base de données, ni fichier dans "
           "{places} (fichiers : {known})",
        en="no calendar for {typed}: no such programme in the database, nor a file in {places} (files: {known})"),
    "trial_break_needs_npec": Label(
        fr="une rupture pendant l'essai se calcule au prorata du NPEC : indiquez --broken-on-day et --npec",
        en="a break during the trial is prorated on the NPEC: give --broken-on-day and --npec"),
}

#: Retention and the data subject's rights (domain/retention.py, issue 16 item 6).
RETENTION_TEXTS: Mapping[str, Label] = {
    "erase_live_contract": Label(
        fr="le contrat du cas {case} est en cours ({state}) : ses données sont nécessaires tant qu'il court "
           "(obligations de l'employeur et du CFA) ; elles pourront être effacées une fois le contrat terminé",
        en="the contract of case {case} is live ({state}): its data is needed while it runs (the employer's and the "
           "CFA's obligations); it may be erased once the contract has ended"),
    "nothing_held": Label(fr="aucune donnée n'est détenue sur {email}", en="no data is held about {email}"),
    "erase_confirm": Label(fr="l'effacement de {typed} est définitif : confirmez-le avec --yes",
                           en="erasing {typed} cannot be undone: confirm it with --yes"),
    "erase_confirm_page": Label(fr="cochez la case pour confirmer l'effacement de {typed} : il est définitif",
                                en="tick the box to confirm erasing {typed}: it cannot be undone"),
}

#: The TDB's status of a case (domain/tdb_status.py): why the TDB computes it from the dates we send, and how it
#: differs from the engine's state (PUBLIC-SYSTEMS.md §2; the TDB's own code, flux-retour-cfas buildEffectifStatus).
TDB_STATUS_TEXTS: Mapping[str, Label] = {
    "tdb_not_started": Label(
        fr="la formation commence le {start} : d'ici là le Tableau de bord compte l'apprenant inscrit",
        en="the training starts on {start}: until then the TDB counts the learner as enrolled"),
    "tdb_apprenti": Label(fr="sous contrat du {start} au {end} (dates du contrat envoyées)",
                          en="within the contract from {start} to {end} (the contract's dates sent)"),
    "tdb_inscrit": Label(
        fr="sans contrat depuis l'entrée en formation le {start} : inscrit pendant {days} jours, abandon à partir "
           "du {abandon_on} sans contrat",
        en="no contract since the training start on {start}: enrolled for {days} days, dropped out from "
           "{abandon_on} without one"),
    "tdb_abandon_no_contract": Label(
        fr="aucun contrat dans les {days} jours suivant l'entrée en formation le {start} : abandon depuis le {since}",
        en="no contract within {days} days of the training start on {start}: dropped out since {since}"),
    "tdb_rupturant": Label(
        fr="contrat rompu le {broken_on} : en rupture pendant {days} jours, abandon à partir du {abandon_on} sans "
           "nouveau contrat",
        en="contract broken on {broken_on}: after a break for {days} days, dropped out from {abandon_on} without a "
           "new contract"),
    "tdb_rupturant_ended": Label(
        fr="contrat terminé le {end}, plus de {tolerance} jours avant la fin de la formation le {training_end} : le "
           "Tableau de bord le compte comme une rupture, abandon à partir du {abandon_on} sans nouveau contrat "
           "({days} jours)",
        en="contract ended on {end}, more than {tolerance} days before the training end on {training_end}: the TDB "
           "counts it as a break, dropped out from {abandon_on} without a new contract ({days} days)"),
    "tdb_abandon_after_break": Label(
        fr="aucun nouveau contrat dans les {days} jours suivant la rupture du {broken_on} : abandon depuis le {since}",
        en="no new contract within {days} days of the break on {broken_on}: dropped out since {since}"),
    "tdb_abandon_after_end": Label(
        fr="aucun nouveau contrat dans les {days} jours suivant la fin du contrat le {end} : abandon depuis le "
           "{since}",
        en="no new contract within {days} days of the contract's end on {end}: dropped out since {since}"),
    "tdb_abandon_excluded": Label(fr="exclu de la formation le {day} (date d'exclusion envoyée) : abandon",
                                  en="excluded from the training on {day} (the exclusion date sent): dropped out"),
    "tdb_end_contract": Label(
        fr="contrat terminé normalement le {end}, au plus {days} jours avant la fin de la formation le "
           "{training_end} : fin de formation",
        en="contract ended normally on {end}, at most {days} days before the training end on {training_end}: end "
           "of training"),
    "tdb_end_training": Label(fr="la formation a pris fin le {training_end} : fin de formation",
                              en="the training ended on {training_end}: end of training"),
    "tdb_same": Label(fr="le moteur (« {state} ») et le Tableau de bord (« {status} ») disent la même chose",
                      en="the engine ({state}) and the TDB ({status}) say the same"),
    "tdb_abandon_followed": Label(
        fr="le moteur suit encore ce dossier (« {state} ») mais le Tableau de bord le compte en abandon depuis le "
           "{since} : {why} ; enregistrez le contrat signé, ou clôturez le dossier",
        en="the engine still follows this case ({state}) but the TDB counts it as dropped out since {since}: {why}; "
           "record the contract signed, or close the case"),
    "tdb_closed_still_counted": Label(
        fr="le moteur a clos ce dossier (« {state} ») mais le Tableau de bord le compte encore « {status} » jusqu'au "
           "{abandon_on}, faute de date d'exclusion envoyée",
        en="the engine closed this case ({state}) but the TDB still counts it {status} until {abandon_on}, no "
           "exclusion date being sent"),
    "tdb_differs": Label(
        fr="le moteur dit « {state} », le Tableau de bord calcule « {status} » à partir des dates envoyées : {why}",
        en="the engine says {state}, the TDB computes {status} from the dates sent: {why}"),
    "recon_deca_missing": Label(
        fr="contrat déposé le {filed_on} ({opco}), il y a {days} jours, sans numéro DECA enregistré ({status}) : "
           "tant que l'OPCO ne l'a pas enregistré dans DECA, le CFA n'est pas payé pour ce contrat",
        en="filed with {opco} on {filed_on}, {days} days ago, and no DECA number recorded ({status}): until the "
           "OPCO registers it in DECA, the CFA is not paid for this contract"),
    "recon_filing_not_filed": Label(fr="pas déposé", en="not filed"),
    "recon_filing_waiting": Label(fr="décision de l'OPCO attendue", en="the OPCO's decision awaited"),
    "recon_filing_accepted": Label(fr="accepté, numéro à enregistrer", en="accepted, its number to record"),
    "recon_filing_refused": Label(fr="refusé par l'OPCO", en="refused by the OPCO"),
    "recon_filing_refused_silence": Label(fr="refusé par le silence de l'OPCO", en="refused by the OPCO's silence"),
    "recon_tdb_rejected": Label(fr="refusé par le Tableau de bord lors de l'envoi du {day} : {field} : {message}",
                                en="refused by the TDB in the push of {day}: {field}: {message}"),
    "recon_tdb_not_sent": Label(fr="pas envoyé au Tableau de bord le {day} : {field} : {message}",
                                en="not sent to the TDB on {day}: {field}: {message}"),
}

#: Age eligibility (domain/rules/eligibility.py, L6222-1, L6222-2 and D6222-1): said whether it holds or not.
ELIGIBILITY_TEXTS: Mapping[str, Label] = {
    "elig_on_start": Label(fr="{age} ans au début du contrat, le {start}", en="{age} on the contract start {start}"),
    "elig_at_conclusion": Label(fr="{age} ans à la conclusion, le {signed}", en="{age} at the conclusion {signed}"),
    "elig_derogation": Label(fr="la dérogation {code} ({description})", en="the {code} derogation ({description})"),
    "elig_within": Label(fr="{on_start} : dans les limites d'âge de {minimum} à {maximum} ans (L6222-1)",
                         en="{on_start}: within the age limits of {minimum} to {maximum} (L6222-1)"),
    "elig_over": Label(
        fr="{on_start} : au-delà de la limite de {maximum} ans (L6222-1) ; une dérogation ({codes}) peut la lever",
        en="{on_start}: over the upper limit of {maximum} (L6222-1); a derogation ({codes}) may lift it"),
    "elig_under_after_college": Label(
        fr="{on_start} : sous l'âge minimum de {minimum} ans après le collège (L6222-1) ; le contrat peut commencer "
           "à partir du {early}",
        en="{on_start}: under the minimum age of {minimum} after lower secondary school (L6222-1); the contract "
           "can start from {early}"),
    "elig_under_at_once": Label(
        fr="{on_start} : sous l'âge minimum de {minimum} ans (L6222-1) ; le contrat peut commencer à partir du "
           "{start_from}, ou tout de suite une fois le collège terminé",
        en="{on_start}: under the minimum age of {minimum} (L6222-1); the contract can start from {start_from}, "
           "or at once once lower secondary school (collège) is completed"),
    "elig_under": Label(
        fr="{on_start} : sous l'âge minimum de {minimum} ans (L6222-1) ; le contrat peut commencer à partir du "
           "{start_from}, ou à partir du {early} une fois le collège terminé",
        en="{on_start}: under the minimum age of {minimum} (L6222-1); the contract can start from {start_from}, "
           "or from {early} once lower secondary school (collège) is completed"),
    "elig_lifts": Label(fr="{on_start} : {named} lève la limite d'âge",
                        en="{on_start}: {named} lifts the upper age limit"),
    "elig_over_derogation": Label(fr="{at_conclusion} : au-delà de la limite de {maximum} ans que permet {named}",
                                  en="{at_conclusion}: over the limit of {maximum} that {named} allows"),
    "elig_previous_needed": Label(
        fr="{at_conclusion} : {named} ne vaut que pour un contrat conclu dans les {months} mois suivant la fin du "
           "contrat précédent ; indiquez la date de fin du contrat précédent",
        en="{at_conclusion}: {named} applies only to a contract concluded within {months} months of the end of the "
           "previous contract; give the previous contract's end date"),
    "elig_previous_after": Label(
        fr="{on_start} : le contrat précédent finit le {previous}, pas avant le début de celui-ci",
        en="{on_start}: the previous contract ends {previous}, not before this one starts"),
    "elig_concluded_late": Label(
        fr="conclu le {signed} : {named} demande un contrat conclu dans les {months} mois suivant la fin du contrat "
           "précédent, le {previous}, donc au plus tard le {latest}",
        en="concluded {signed}: {named} needs the contract concluded within {months} months of the previous "
           "contract's end {previous}, so by {latest}"),
    "elig_allows": Label(
        fr="{at_conclusion} ({on_start}) : {named} permet jusqu'à {maximum} ans à la conclusion",
        en="{at_conclusion} ({on_start}): {named} allows up to {maximum} at the conclusion"),
}

#: What the legal rules' computations refuse in the values they are given (domain/rules: pay, eligibility,
#: deadlines, participation, the trial's end); the English is the one they have always given.
RULES_TEXTS: Mapping[str, Label] = {
    "concluded_on_first_day": Label(
        fr="le {signed} est après le début du contrat, le {start} : un contrat est conclu (signé) au plus tard le "
           "jour de son début",
        en="{signed} is after the contract start {start}: a contract is concluded (signed) on or before its first "
           "day"),
    "concluded_after_start_age": Label(
        fr="le {signed} est après le début du contrat, le {start} ; un contrat est conclu (signé) avant son début "
           "ou le jour même (D6222-1 retient l'âge à la conclusion)",
        en="{signed} is after the contract start {start}; a contract is concluded (signed) before or on its start "
           "(D6222-1 reads the age at the conclusion)"),
    "filed_before_concluded": Label(
        fr="le {filed} est avant la conclusion du contrat ({signed}) : l'employeur dépose auprès de l'OPCO un "
           "contrat conclu (D6224-1)",
        en="{filed} is before the contract was concluded ({signed}): the employer files a concluded contract with "
           "the OPCO (D6224-1)"),
    "day_before_start": Label(fr="le {day} est avant le début du contrat, le {start}",
                              en="{day} is before the contract start {start}"),
    "day_after_end": Label(fr="le {day} est après la fin du contrat, le {end}",
                           en="{day} is after the contract end {end}"),
    "at_least_one": Label(fr="{value} doit valoir au moins 1", en="{value} must be at least 1"),
    "more_than_zero": Label(fr="{value} doit être supérieur à 0", en="{value} must be more than 0"),
    "previous_pay_same_employer": Label(
        fr="avec le même employeur, D6222-29 maintient le salaire perçu pendant la dernière année du contrat "
           "précédent ; indiquez-le",
        en="with the same employer D6222-29 keeps the pay received in the previous contract's last year; give it"),
    "previous_pay_another_employer": Label(
        fr="avec un autre employeur, D6222-29 garantit le minimum auquel l'apprenti pouvait prétendre pendant la "
           "dernière année du contrat précédent (d'après la grille), non le salaire perçu",
        en="with another employer D6222-29 guarantees the minimum the apprentice could claim in the previous "
           "contract's last year (from the grid), not the pay received"),
    "unknown_derogation": Label(fr="code de dérogation inconnu {typed} (codes connus : {choices})",
                                en="unknown code {typed} (known: {choices})"),
    "range_inverted": Label(fr="le {last} est avant le {first}", en="{last} is before {first}"),
    "too_few_company_days": Label(
        fr="moins de {days} jours en entreprise dans les {years} ans qui suivent le {start} : vérifiez les périodes "
           "au CFA et les absences",
        en="fewer than {days} company days in the {years} years after {start}: check the school periods and "
           "absences"),
    "participation_level": Label(
        fr="{level} n'est pas un niveau que prépare l'apprentissage (de {lowest} à {highest}, {source})",
        en="{level} is not a level an apprenticeship prepares ({lowest} to {highest}, {source})"),
    "break_day": Label(fr="{day} : un contrat est rompu au plus tôt le jour de son début",
                       en="{day}: a contract breaks on its first day at the earliest"),
    "npec_positive": Label(fr="{npec} : le niveau de prise en charge (NPEC) est un montant positif en euros",
                           en="{npec}: the funding level is a positive amount in euros"),
    "broken_no_trial_end": Label(fr="un contrat rompu pendant son essai n'en atteint jamais la fin",
                                 en="a contract broken during its trial never reaches the trial's end"),
    "before_concluded": Label(fr="le {day} est avant la conclusion du contrat ({concluded})",
                              en="{day} is before the contract was concluded ({concluded})"),
}

#: What a review's report refuses (services/reviews.py: log_review, record_held_review).
REVIEW_TEXTS: Mapping[str, Label] = {
    "not_a_level": Label(fr="{skill} : {typed} n'est pas un niveau ; les niveaux : {choices}",
                         en="{skill}: {typed} is not a level; levels: {choices}"),
    "not_name_level": Label(fr="{typed} n'est pas de la forme COMPÉTENCE=NIVEAU", en="{typed} is not NAME=LEVEL"),
    "assessed_twice": Label(fr="{skill} est évaluée deux fois", en="{skill} is assessed twice"),
    "no_skill": Label(fr="un entretien tenu évalue au moins une compétence (COMPÉTENCE=NIVEAU)",
                      en="a held review assesses at least one skill (NAME=LEVEL)"),
    "skill_not_listed": Label(
        fr="{skill} n'est pas dans la liste des compétences de la formation {programme} ({choices})",
        en="{skill} is not in the skill list of programme {programme} ({choices})"),
    "apprentice_absent": Label(
        fr="l'apprenti·e doit être présent·e pour que l'entretien soit tenu ; sinon enregistrez-le comme manqué",
        en="the apprentice must attend for the review to be held; record it as missed otherwise"),
}

#: The OPCO filing and its answer (domain/filing.py, D6224-1 and D6224-2).
FILING_TEXTS: Mapping[str, Label] = {
    "filing_not_signed": Label(
        fr="le contrat n'est pas encore signé : l'employeur dépose un contrat signé auprès de son OPCO (D6224-1)",
        en="the contract is not signed yet: the employer files a signed contract with its OPCO (D6224-1)"),
    "filing_accepted": Label(
        fr="l'OPCO a accepté le contrat le {decided} (numéro DECA {deca}) : un contrat accepté ne se dépose pas à "
           "nouveau",
        en="the OPCO accepted the contract on {decided} (DECA number {deca}): an accepted contract is not filed "
           "again"),
    "filed_before_signed": Label(
        fr="le {filed} est avant la signature du contrat ({signed}) : l'employeur dépose un contrat signé (D6224-1)",
        en="{filed} is before the contract was signed ({signed}): the employer files a signed contract (D6224-1)"),
    "filed_in_future": Label(fr="le {filed} est dans le futur : enregistrez le dépôt une fois fait",
                             en="{filed} is in the future: record the filing once it is done"),
    "opco_needed": Label(
        fr="indiquez l'OPCO auprès duquel le contrat a été déposé (celui de l'employeur, dans la partie employeur "
           "du dossier)",
        en="name the OPCO the contract was filed with (the employer's, on the dossier's employer section)"),
    "decision_not_filed": Label(
        fr="le contrat n'est pas encore déposé auprès de son OPCO : enregistrez d'abord le dépôt",
        en="the contract is not filed with its OPCO yet: record the filing first"),
    "decision_recorded": Label(
        fr="la réponse de l'OPCO au dépôt du {filed} est déjà enregistrée ({status} le {decided}) : déposez à "
           "nouveau le contrat pour en enregistrer une autre",
        en="the OPCO's answer to the filing of {filed} is already recorded ({status} on {decided}): file the "
           "contract again to record another"),
    "decided_before_filing": Label(fr="le {decided} est avant le dépôt ({filed})",
                                   en="{decided} is before the filing ({filed})"),
    "decided_in_future": Label(fr="le {decided} est dans le futur", en="{decided} is in the future"),
    "deca_needed": Label(fr="une acceptation vient avec le numéro DECA du contrat (par exemple 02B202212000000)",
                         en="an acceptance comes with the contract's DECA number (e.g. 02B202212000000)"),
    "reason_with_acceptance": Label(fr="un motif va avec un refus, pas avec une acceptation",
                                    en="a reason goes with a refusal, not an acceptance"),
    "refusal_reason_needed": Label(fr="un refus vient avec son motif : ce que l'OPCO demande de corriger",
                                   en="a refusal comes with its reason: what the OPCO asks to fix"),
    "deca_with_refusal": Label(fr="un numéro DECA va avec une acceptation, pas avec un refus",
                               en="a DECA number comes with an acceptance, not a refusal"),
}

#: What a case's facts, moves and lists refuse in what was typed (domain/facts.py, services).
FACT_TEXTS: Mapping[str, Label] = {
    "no_pairs": Label(fr="indiquez au moins une paire clé=valeur", en="give at least one key=value"),
    "unknown_fact": Label(fr="information inconnue ; les informations connues : {choices}",
                          en="unknown fact; known facts: {choices}"),
    "with_company": Label(fr="va avec application.company dans la même commande (une nouvelle candidature)",
                          en="goes with application.company in the same command (a new application)"),
    "pair": Label(fr="{typed} n'est pas de la forme clé=valeur", en="{typed} is not key=value"),
    "unknown_trigger": Label(fr="mouvement inconnu {typed} ; les mouvements : {choices}",
                             en="unknown trigger {typed}; triggers: {choices}"),
    "unknown_trigger_plain": Label(fr="mouvement inconnu {typed}", en="unknown trigger {typed}"),
    "not_a_state": Label(fr="{typed} n'est pas une étape ; les étapes : {choices}",
                         en="{typed} is not a state; states: {choices}"),
    "before_first_day": Label(fr="le {last} est avant le premier jour, le {first}",
                              en="{last} is before the first day {first}"),
}

#: A push to the Tableau de bord that the installation's settings do not allow yet (services/tdb.py).
TDB_PUSH_TEXTS: Mapping[str, Label] = {
    "tdb_no_url": Label(
        fr="aucune adresse du Tableau de bord n'est configurée : renseignez CONTRACT_FLOW_TDB_URL (ou tdb_url dans "
           "le fichier de réglages) ; `tdb export` écrit le fichier à déposer à la main",
        en="no Tableau de bord address is configured: set CONTRACT_FLOW_TDB_URL (or tdb_url in the settings "
           "file); `tdb export` writes the file to upload by hand"),
    "tdb_no_key": Label(
        fr="aucune clé du Tableau de bord n'est configurée pour le CFA {cfa} : renseignez "
           "CONTRACT_FLOW_TDB_KEYS='{{\"{cfa}\": \"<clé>\"}}' (ou tdb_keys dans le fichier de réglages) avec la clé "
           "générée sur le compte TDB du CFA",
        en="no Tableau de bord key is configured for the CFA {cfa}: set CONTRACT_FLOW_TDB_KEYS='{{\"{cfa}\": "
           "\"<key>\"}}' (or tdb_keys in the settings file) with the key generated on the CFA's TDB account"),
}

#: pydantic's refusals of an API request (http/errors.validation_rule: "request_" + pydantic's error type), worded
#: after pydantic's English.
REQUEST_TEXTS: Mapping[str, Label] = {
    "request_missing": Label(fr="champ obligatoire", en="field required"),
    "request_extra_forbidden": Label(fr="champ inconnu : il n'est pas accepté ici",
                                     en="extra inputs are not permitted"),
    "request_json_invalid": Label(fr="le corps de la requête n'est pas du JSON valide", en="invalid JSON"),
    "request_json_type": Label(fr="le JSON attendu est un texte", en="JSON input should be string, bytes or bytearray"),
    "request_model_attributes_type": Label(fr="doit être un objet JSON", en="should be a valid dictionary or object"),
    "request_model_type": Label(fr="doit être un objet JSON", en="should be a valid dictionary"),
    "request_dict_type": Label(fr="doit être un objet JSON", en="should be a valid dictionary"),
    "request_list_type": Label(fr="doit être une liste", en="should be a valid list"),
    "request_string_type": Label(fr="doit être un texte", en="should be a valid string"),
    "request_string_unicode": Label(fr="doit être un texte en Unicode", en="should be a valid unicode string"),
    "request_bool_type": Label(fr="doit être vrai ou faux", en="should be a valid boolean"),
    "request_bool_parsing": Label(fr="doit être vrai ou faux (true, false)",
                                  en="should be a valid boolean (true, false)"),
    "request_int_type": Label(fr="doit être un nombre entier", en="should be a valid integer"),
    "request_int_parsing": Label(fr="doit être un nombre entier", en="should be a valid integer"),
    "request_int_parsing_size": Label(fr="nombre entier trop grand", en="integer too large"),
    "request_int_from_float": Label(fr="doit être un nombre entier, sans décimales",
                                    en="should be a valid integer, without a fractional part"),
    "request_float_type": Label(fr="doit être un nombre", en="should be a valid number"),
    "request_float_parsing": Label(fr="doit être un nombre", en="should be a valid number"),
    "request_finite_number": Label(fr="doit être un nombre fini", en="should be a finite number"),
    "request_decimal_type": Label(fr="doit être un nombre décimal", en="should be a decimal number"),
    "request_decimal_parsing": Label(fr="doit être un nombre décimal", en="should be a valid decimal"),
    "request_date_type": Label(fr="doit être une date (AAAA-MM-JJ)", en="should be a valid date (YYYY-MM-DD)"),
    "request_date_parsing": Label(fr="doit être une date qui existe, au format AAAA-MM-JJ",
                                  en="should be a valid date in the format YYYY-MM-DD"),
    "request_date_from_datetime_parsing": Label(fr="doit être une date qui existe, au format AAAA-MM-JJ",
                                                en="should be a valid date in the format YYYY-MM-DD"),
    "request_date_from_datetime_inexact": Label(fr="doit être un jour, sans heure",
                                                en="should be a day, with no time"),
    "request_datetime_type": Label(fr="doit être une date et une heure (ISO 8601)",
                                   en="should be a valid datetime (ISO 8601)"),
    "request_datetime_parsing": Label(fr="doit être une date et une heure qui existent (ISO 8601)",
                                      en="should be a valid datetime (ISO 8601)"),
    "request_datetime_from_date_parsing": Label(fr="doit être une date et une heure qui existent (ISO 8601)",
                                                en="should be a valid datetime or date (ISO 8601)"),
    "request_greater_than": Label(fr="doit être supérieur à {gt}", en="should be greater than {gt}"),
    "request_greater_than_equal": Label(fr="doit être supérieur ou égal à {ge}",
                                        en="should be greater than or equal to {ge}"),
    "request_less_than": Label(fr="doit être inférieur à {lt}", en="should be less than {lt}"),
    "request_less_than_equal": Label(fr="doit être inférieur ou égal à {le}",
                                     en="should be less than or equal to {le}"),
    "request_string_too_short": Label(fr="au moins {min_length} caractère(s)",
                                      en="should have at least {min_length} character(s)"),
    "request_string_too_long": Label(fr="au plus {max_length} caractère(s)",
                                     en="should have at most {max_length} character(s)"),
    "request_too_short": Label(fr="au moins {min_length} élément(s)", en="should have at least {min_length} item(s)"),
    "request_too_long": Label(fr="au plus {max_length} élément(s)", en="should have at most {max_length} item(s)"),
    "request_decimal_max_digits": Label(fr="au plus {max_digits} chiffre(s) en tout",
                                        en="should have no more than {max_digits} digit(s) in total"),
    "request_decimal_max_places": Label(fr="au plus {decimal_places} décimale(s)",
                                        en="should have no more than {decimal_places} decimal place(s)"),
    "request_string_pattern_mismatch": Label(fr="ne correspond pas au motif attendu {pattern}",
                                             en="should match the pattern {pattern}"),
    "request_one_of": Label(fr="doit être l'une des valeurs : {choices}", en="should be one of: {choices}"),
}

#: What a rule file, a programme file or a calendar refuses (domain/rules/fields.py, calendar.py, dates.py;
#: rulefiles.py): `entry` names the entry as the file writes it (`school[3]`, `smic[2].amount`), the same in both
#: languages; the English is the text these refusals always had.
RULE_FILE_TEXTS: Mapping[str, Label] = {
    "file_keys_missing": Label(fr="{entry} : il manque {keys}", en="{entry}: missing {keys}"),
    "file_keys_unknown": Label(fr="{entry} : clé inconnue {keys} (clés possibles : {allowed})",
                               en="{entry}: unknown key {keys} (allowed: {allowed})"),
    "file_not_text": Label(fr="{entry} : un texte non vide est attendu", en="{entry}: expected a non-empty string"),
    "file_not_whole": Label(fr="{entry} : un nombre entier d'au moins {minimum} est attendu, pas {value}",
                            en="{entry}: expected a whole number >= {minimum}, got {value}"),
    "file_not_flag": Label(fr="{entry} : true ou false est attendu, pas {value}",
                           en="{entry}: expected true or false, got {value}"),
    "file_amount_kind": Label(fr="{entry} : un texte tel que \"1823.03\" ou un nombre entier est attendu, pas {value}",
                              en="{entry}: expected a string such as \"1823.03\" or an integer, got {value}"),
    "file_not_number": Label(fr="{entry} : {value} n'est pas un nombre", en="{entry}: {value} is not a number"),
    "file_not_positive": Label(fr="{entry} : un montant positif est attendu, pas {value}",
                               en="{entry}: expected a positive amount, got {value}"),
    "file_section_missing": Label(fr="{section} : absent ; il faut au moins une entrée [[{section}]]",
                                  en="{section}: missing: at least one [[{section}]] entry is needed"),
    "file_section_not_list": Label(fr="{section} : une liste non vide de tables [[{section}]] est attendue",
                                   en="{section}: expected a non-empty array of tables [[{section}]]"),
    "file_not_table": Label(fr="{entry} : une table est attendue", en="{entry}: expected a table"),
    "file_until_before": Label(fr="{entry} : until ({last}) est avant effective_from ({first})",
                               en="{entry}: until {last} is before effective_from {first}"),
    "file_span_until": Label(fr="du {first} au {last}", en="{first} until {last}"),
    "file_span_open": Label(fr="depuis le {first}, toujours en vigueur", en="{first}, still in force"),
    "file_overlap_open": Label(
        fr="{entry} : effective_from ({first}) chevauche {other} ({span}) : mettez {other}.until au {day}",
        en="{entry}: effective_from {first} overlaps {other} ({span}): set {other}.until to {day}"),
    "file_overlap": Label(fr="{entry} : effective_from ({first}) chevauche {other} ({span})",
                          en="{entry}: effective_from {first} overlaps {other} ({span})"),
    "file_gap": Label(
        fr="{entry} : effective_from ({first}) laisse un trou après {other} ({span}) : rien ne serait en vigueur le "
           "{day}",
        en="{entry}: effective_from {first} leaves a gap after {other} ({span}): nothing would be in force on {day}"),
    "file_date_out_of_range": Label(fr="{entry} : {value} n'est pas une date (jour ou mois hors limites)",
                                    en="{entry}: {value} is not a date (day or month out of range)"),
    "file_date_form": Label(fr="{entry} : {value} n'est pas une date de la forme AAAA-MM-JJ",
                            en="{entry}: {value} is not a date in the form YYYY-MM-DD"),
    "file_date_kind": Label(fr="{entry} : une date AAAA-MM-JJ est attendue, pas un {kind}",
                            en="{entry}: expected a date YYYY-MM-DD, got {kind}"),
    "school_inverted": Label(fr="{entry} : la fin (to, {last}) est avant le début (from, {first})",
                             en="{entry}: to {last} is before from {first}"),
    "school_overlap": Label(
        fr="{entry} : la période qui commence le {first} chevauche {other} (du {other_first} au {other_last})",
        en="{entry}: from {first} overlaps {other} ({other_first} to {other_last})"),
    "file_months": Label(fr="{entry} : {value} n'est pas un nombre entier de mois d'au moins 1",
                         en="{entry}: {value} is not a whole number of months of at least 1"),
    "no_value_in_force": Label(fr="{name} : aucune valeur en vigueur le {day} (les règles couvrent {covered})",
                               en="{name}: no value in force on {day} (the rule set covers {covered})"),
    "covers_from": Label(fr="la période à partir du {first}", en="from {first}"),
    "covers_from_until": Label(fr="la période du {first} au {last}", en="from {first} until {last}"),
    "in_file": Label(fr="{file} : {problem}", en="{file}: {problem}"),
    "file_not_found": Label(fr="{file} : fichier introuvable", en="{file}: file not found"),
    "file_unreadable": Label(fr="{file} : illisible ({error})", en="{file}: cannot be read ({error})"),
    "file_not_toml": Label(fr="{file} : ce n'est pas un fichier TOML valide ({error})",
                           en="{file}: not valid TOML ({error})"),
    "no_programme_file": Label(fr="formation : pas de calendrier pour {typed} dans {places} (connues : {known})",
                               en="programme: no calendar for {typed} in {places} (known: {known})"),
    "file_training_table": Label(
        fr="{file} : training : une table des champs de la formation du dossier ([training])",
        en="{file}: training: a table of the dossier's training fields ([training])"),
    "file_funding_table": Label(
        fr="{file} : funding : une table avec npec (en euros, en texte) et sa source ([funding])",
        en="{file}: funding: a table with npec (euros, as text) and its source ([funding])"),
    "file_npec_not_amount": Label(fr="{file} : funding.npec : {value} n'est pas un montant en euros",
                                  en="{file}: funding.npec: {value} is not an amount in euros"),
    "file_npec_not_positive": Label(fr="{file} : funding.npec : {value} n'est pas un montant positif en euros",
                                    en="{file}: funding.npec: {value} is not a positive amount in euros"),
    "file_skills_list": Label(
        fr="{file} : skills : la liste des compétences qu'évalue un entretien (skills = [\"...\", ...])",
        en="{file}: skills: a list of the skills a review assesses (skills = [\"...\", ...])"),
    "file_skills_wrong": Label(fr="{file} : skills : {problem}", en="{file}: skills: {problem}"),
    "file_tdb_table": Label(fr="{file} : tdb : une table des établissements du Tableau de bord ([tdb])",
                            en="{file}: tdb: a table of the Tableau de bord's establishments ([tdb])"),
    # The legal values' own sections (domain/rules/parse_sections.py), as whoever keeps the law's file reads them
    "law_percent_list": Label(fr="{where} : une liste attendue, par exemple [27, 39, 55]",
                              en="{where}: expected a list such as [27, 39, 55]"),
    "law_over_100": Label(fr="{where} : {value} dépasse 100", en="{where}: {value} is over 100"),
    "law_first_band_age": Label(fr="{where} : from_age doit valoir 0 pour que chaque âge ait sa tranche",
                                en="{where}: from_age must be 0 so that every age has a band"),
    "law_band_age_order": Label(fr="{where} : from_age {age} doit être au-dessus de celui de la tranche précédente",
                                en="{where}: from_age {age} must be above the previous band's"),
    "law_band_years": Label(fr="{where} : percent_by_contract_year doit compter autant d'années que band[1]",
                            en="{where}: percent_by_contract_year must have as many years as band[1]"),
    "law_ages_order": Label(
        fr="{where} : il faut minimum_age_after_lower_secondary <= minimum_age <= maximum_age_at_start",
        en="{where}: expected minimum_age_after_lower_secondary <= minimum_age <= maximum_age_at_start"),
    "law_derogation_code": Label(fr="{where} : {typed} doit être fait de mots en minuscules reliés par des tirets",
                                 en="{where}: {typed} must be lower-case words joined by dashes"),
    "law_derogation_limit": Label(
        fr="{where} : donnez soit no_upper_limit = true, soit maximum_age_at_start, pas les deux",
        en="{where}: give exactly one of no_upper_limit = true or maximum_age_at_start"),
    "law_duration_unknown": Label(fr="{where} : durée {typed} inconnue (connues : {known})",
                                  en="{where}: unknown duration {typed} (known: {known})"),
    "law_duration_unit": Label(fr="{where} : {name} se compte en {expected}, pas en {typed}",
                               en="{where}: {name} is counted in {expected}, not {typed}"),
    "law_levels_order": Label(fr="{where} : il faut lowest_level <= minimum_level <= highest_level",
                              en="{where}: expected lowest_level <= minimum_level <= highest_level"),
    "law_unknown_section": Label(fr="{section} : section inconnue (connues : {known})",
                                 en="{section}: unknown section (known: {known})"),
    "law_durations_missing": Label(fr="duration : il manque {missing} (chacune demande une entrée [[duration]])",
                                   en="duration: missing {missing} (each needs a [[duration]] entry)"),
}

#: What a signed contract keeps of how its values were found (its legal_sources, issue 14), shown under each value
#: on the case page, the invoices and in the CLI: the participation's computation, a rule-set entry and the day it
#: took effect, the calendar the trial is counted on.
PROVENANCE_TEXTS: Mapping[str, Label] = {
    "participation_before_first": Label(
        fr="conclu le {concluded}, avant le {since} : aucune participation",
        en="concluded on {concluded}, before {since}: no participation"),
    "participation_below_level": Label(fr="niveau {level}, inférieur à {minimum} : aucune participation",
                                       en="level {level} is below {minimum}: no participation"),
    "participation_flat": Label(
        fr="niveau {level}, conclu le {concluded} : {amount_eur} une seule fois, pour la première année",
        en="level {level}, concluded on {concluded}: {amount_eur} once, for the first year"),
    "participation_after_break": Label(
        fr="un nouveau contrat avec un autre employeur après une rupture anticipée : {amount_eur}",
        en="a new contract with another employer after an early break: {amount_eur}"),
    "participation_broken_in_trial": Label(
        fr="rompu pendant la période d'essai au jour {day} : {share_pct} % du NPEC de {npec_eur} x {day} / "
           "{year_days} jours, au plus {cap_eur} : {amount_eur}",
        en="broken during the trial on day {day}: {share_pct} % of the NPEC {npec_eur} x {day} / {year_days} days, "
           "at most {cap_eur}: {amount_eur}"),
    "participation_no_level": Label(
        fr="non calculée : le niveau du diplôme que prépare la formation {programme} n'est pas renseigné (L6332-14 "
           "en dépend)",
        en="not computed: the level of the diploma the programme {programme} prepares is not recorded (L6332-14 "
           "depends on it)"),
    "trial_broken_after": Label(
        fr="rompu le {broken_on}, après {days} jours en entreprise de la période d'essai",
        en="broken on {broken_on}, after {days} company days of the trial"),
    "trial_broken_before_any_day": Label(
        fr="rompu le {broken_on}, avant tout jour en entreprise de la période d'essai : aucun jour effectué, rien "
           "n'est dû",
        en="broken on {broken_on}, before any company day of the trial: no day done, nothing owed"),
    "trial_break_no_npec": Label(
        fr="rompu pendant la période d'essai après {days} jours en entreprise : non calculée, le NPEC de la "
           "formation {programme} n'est pas configuré ([funding] npec dans programmes/{programme}.toml)",
        en="broken during the trial after {days} company days: not computed, the NPEC of the programme {programme} "
           "is not configured ([funding] npec in programmes/{programme}.toml)"),
    "entry_in_force": Label(fr="{source} (entrée en vigueur le {since})",
                            en="{source} (entry in force from {since})"),
    "programme_calendar": Label(fr="calendrier de la formation {programme}",
                                en="programme calendar of {programme}"),
    # A value's sources in one line (the reason first, then the texts), each in the reader's words
    "sources": Label(fr="{reasons}", en="{reasons}"),
}

#: Why OpenFisca-France's parameter files cannot vouch for the rule set's SMIC (contract_flow.reference).
REFERENCE_TEXTS: Mapping[str, Label] = {
    "reference_unreadable": Label(fr="{path} : illisible ({problem})", en="{path}: cannot be read ({problem})"),
    "reference_no_values_mapping": Label(
        fr="{path} : aucune table `values:` (le format d'OpenFisca a-t-il changé ?)",
        en="{path}: no `values:` mapping (has OpenFisca's format changed?)"),
    "reference_not_a_date": Label(fr="{path} : {typed} n'est pas une date", en="{path}: {typed} is not a date"),
    "reference_not_a_number": Label(fr="{path} : values.{key} : {typed} n'est pas un nombre",
                                    en="{path}: values.{key}: {typed} is not a number"),
    "reference_no_values": Label(fr="{path} : aucune valeur", en="{path}: no values"),
    "reference_missing": Label(fr="la référence {package} n'est pas installée : {install}",
                               en="the reference {package} is not installed: {install}"),
    "reference_too_old": Label(
        fr="la référence {package} {version} est antérieure à {minimum}, la première à connaître le SMIC du "
           "01/06/2026 : {install}",
        en="the reference {package} {version} is older than {minimum}, the first to know the SMIC of 2026-06-01: "
           "{install}"),
}

TEXTS: Mapping[str, Label] = {**GUARD_TEXTS, **INPUT_TEXTS, **REQUEST_TEXTS, **ERROR_TEXTS, **APPLICATION_TEXTS,
                              **CLI_TEXTS, **FACT_TEXTS, **ELIGIBILITY_TEXTS, **RULES_TEXTS, **REVIEW_TEXTS,
                              **FILING_TEXTS, **RETENTION_TEXTS, **TDB_STATUS_TEXTS, **TDB_PUSH_TEXTS,
                              **RULE_FILE_TEXTS, **PROVENANCE_TEXTS, **REFERENCE_TEXTS}

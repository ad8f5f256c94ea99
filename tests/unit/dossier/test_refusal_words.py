"""A refusal of the dossier's checks reads in the reader's language: its French and English words say the same
thing with the same values, dates and amounts written as each language writes them (Babel)."""

from __future__ import annotations

import re
import string

from contract_flow.domain.dossier import Refusal, check
from contract_flow.domain.dossier.refusal import REASONS
from contract_flow.domain.legal import LegalRules
from contract_flow.services.views import refusal_text
from tests.unit.dossier.conftest import complete_dossier, make_case
from tests.unit.dossier.test_checks import minor_dossier, refusals


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_reason_has_the_same_values_in_french_and_english() -> None:
    for key, words in REASONS.items():
        # "said" only carries a reason the rules worded themselves (domain.reasons): its words are that reason's
        assert words.fr != words.en or (key, words.en) == ("said", "{reason}"), key
        assert _names(words.fr) == _names(words.en), key


def test_a_pay_line_below_the_minimum_reads_in_french_with_french_amounts_and_dates(rules: LegalRules) -> None:
    found = refusals(rules, complete_dossier(pay={"1.rate": "50", "1.monthly_gross": "933.51"}))
    rate, gross = (refusal_text(refusal, "fr") for refusal in found)
    assert rate.startswith("50 % est sous le minimum légal de 53 % du SMIC (l'année 1, ")
    assert rate.endswith("; l'employeur ne peut que payer plus")
    assert re.search(r"à partir du \d\d/\d\d/\d{4}\)", rate), rate
    assert gross.startswith("933,51\u00a0€ est sous le minimum légal de 989,52\u00a0€"), gross
    # the English of the API is kept as it was, and the English for people is Babel's
    assert "50.00 % is below the legal minimum of 53.00 % of the SMIC" in found[0].reason
    assert refusal_text(found[1], "en").startswith("€933.51 is below the legal minimum €989.52")


def test_a_minor_working_too_long_and_a_missing_field_read_in_french(rules: LegalRules) -> None:
    hours = refusals(rules, minor_dossier(rules, contract={"weekly_hours": "36"}))[0]
    assert re.fullmatch(r"l'apprenti a 17 ans au début du contrat, le \d\d/\d\d/\d{4} : un mineur travaille au plus "
                        r"35 heures par semaine, pas 36 h 00", refusal_text(hours, "fr")), refusal_text(hours, "fr")
    missing = refusals(rules, complete_dossier(training={"rncp_code": ""}))[0]
    assert refusal_text(missing, "fr") == "Code RNCP : champ à remplir"
    assert refusal_text(missing, "en") == "RNCP code is missing" == missing.reason


def test_a_mentors_eligibility_says_why_in_french(rules: LegalRules) -> None:
    lower = refusals(rules, complete_dossier(mentors={"1.diploma_level": "6", "1.experience_years": "1"}))[0]
    assert refusal_text(lower, "fr") == ("1 an(s) d'expérience en rapport avec la qualification : le diplôme du "
                                         "maître d'apprentissage est de niveau 6, sous le niveau 7 préparé ; il en "
                                         "faut donc 2")


def test_a_reason_only_the_rules_give_reads_as_they_give_it() -> None:
    plain = Refusal("contract.start_date", "no rule before 2019-01-01", "configs/rules")
    assert refusal_text(plain, "fr") == "no rule before 2019-01-01"


def test_every_refusal_of_a_bad_dossier_has_french_words(rules: LegalRules) -> None:
    bad = complete_dossier(pay={"1.rate": "50"}, mentors={"1.experience_years": "0", "1.eligibility_attested": "no"},
                           training={"rncp_code": ""})
    found = check(bad, make_case(), rules)
    assert found
    assert all(refusal.message is not None for refusal in found)
    assert all(refusal_text(refusal, "fr") != refusal.reason for refusal in found)


def test_the_contract_dates_and_a_day_the_rules_do_not_cover_read_in_french(rules: LegalRules) -> None:
    """The law's contract-date rules and the rule set's own limits give reasons worded in both languages
    (domain.reasons): the dossier says them in French, not the English under a French heading."""
    late = refusals(rules, complete_dossier(contract={"practical_training_start": "2027-01-15"}))[0]
    assert late.reason.startswith("contract.practical_training_start 2027-01-15: ")  # the API's English, as it was
    french = refusal_text(late, "fr")
    # named in words, not by the engine's code of the field (issue 15, item 6)
    assert french.startswith("le début de la formation pratique, le 15/01/2027 : elle commence dans les 3 mois"), \
        french
    assert "within" not in french, french
    assert refusal_text(late, "en") != french
    # a contract in 1950: the rule set covers no value then; its words name the period it covers, in French
    old = refusals(rules, complete_dossier(contract={"start_date": "1950-09-01", "end_date": "1953-08-31",
                                                     "signature_date": "1950-08-20"}))
    uncovered = [refusal for refusal in old if "no value in force" in refusal.reason]
    assert uncovered, [refusal.reason for refusal in old]
    said = refusal_text(uncovered[0], "fr")
    assert "aucune valeur en vigueur le 01/09/1950" in said or "aucune valeur en vigueur le" in said, said
    assert "in force" not in said, said

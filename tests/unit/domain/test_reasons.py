"""The engine's reasons in both languages (domain.reasons): the same values named in French and English, the English
kept as the API gives it, and every guard's reason worded in French, its days and amounts as people write them."""

from __future__ import annotations

import ast
import copy
import dataclasses
import pickle
import string
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from contract_flow.domain import machine, reason_texts
from contract_flow.domain.case import Role
from contract_flow.domain.context import PARIS
from contract_flow.domain.reason_texts import TEXTS
from contract_flow.domain.reasons import Code, Reason, Typed
from contract_flow.domain.states import CaseState, Trigger
from contract_flow.wording import elide, is_worded, reason_text
from tests.unit.domain.conftest import APPRENTICE, CONTRACT_FACTS, context, legal_rules, make_case

#: Texts whose words are only punctuation around their values, the same in both languages but for French spacing.
PUNCTUATION_ONLY = {"fact", "field", "input", "eligibility", "bad_siret", "bad_typed_siret", "dossier", "breaks_rule",
                    "sources"}


def _names(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_each_reason_names_the_same_values_in_french_and_english(key: str) -> None:
    words = TEXTS[key]
    assert _names(words.fr) == _names(words.en)


@pytest.mark.parametrize("key", sorted(set(TEXTS) - PUNCTUATION_ONLY))
def test_each_reason_is_worded_in_french_not_left_in_english(key: str) -> None:
    assert TEXTS[key].fr != TEXTS[key].en


def test_a_reason_is_its_english_text_and_keeps_its_words_when_copied() -> None:
    reason = Reason("trial_runs", end=date(2027, 1, 7))
    assert reason == "the trial runs until 2027-01-07 included (L6222-18: 45 days in the company)"
    for again in (copy.deepcopy(reason), pickle.loads(pickle.dumps(reason))):
        assert reason_text(again, "fr") == ("l'essai court jusqu'au 07/01/2027 inclus (L6222-18 : 45 jours en "
                                            "entreprise)")


def test_french_writes_days_amounts_times_codes_and_what_was_typed_as_people_do() -> None:
    pay = Reason("pay_below", pay_eur=Decimal("1200.00"), year=1, minimum_eur=Decimal("1534.46"),
                 percent_pct=Decimal("78.00"), reference="SMIC", reference_eur=Decimal("1967.26"), band="21-25",
                 rule="smic_share", sources="D6222-26")
    assert pay.startswith("the agreed pay 1200.00 € is below the year-1 minimum 1534.46 €")
    french = reason_text(pay, "fr")
    assert "1\u202f200,00\xa0€" in french
    assert "78 % du SMIC" in french
    role = Reason("role_lead", trigger=Code("trigger", Trigger.VALIDATE), email="a@cfa.example",
                  role=Code("role", Role.ADVISOR))
    assert role == ("validate may only be done by a programme lead (brochure, step 5 «Décider»); a@cfa.example is "
                    "advisor")
    assert reason_text(role, "fr").startswith("« Valider le projet » revient au responsable de formation")
    past = Reason("review_past", moment=datetime(2027, 1, 7, 14, 30, tzinfo=PARIS))
    assert past == "2027-01-07 14:30 (Paris) is past: a review is planned ahead"
    assert reason_text(past, "fr") == ("le 07/01/2027 14:30 (heure de Paris) est passé : un entretien se planifie "
                                       "à l'avance")
    typed = Reason("not_a_date", typed=Typed("31/02/2027"))
    assert typed.startswith("'31/02/2027' is not a date")
    assert reason_text(typed, "fr").startswith("«\xa031/02/2027\xa0» n'est pas une date")


def test_a_text_without_words_stays_as_it_is_and_is_known_as_english() -> None:
    assert reason_text("a rule set's own sentence", "fr") == "a rule set's own sentence"
    assert not is_worded("a rule set's own sentence")
    assert is_worded(Reason("signature_late"))


def test_every_reason_a_guard_gives_is_worded_in_french() -> None:
    """From an empty case in each state, by the wrong role and the right one: no guard speaks English only."""
    rules = legal_rules()
    found: list[str] = []
    for state in CaseState:
        for facts in ({}, {**CONTRACT_FACTS, "contract.signature_date": "2026-12-15",
                           "contract.gross_monthly_pay": "10.00"}):
            case = make_case(state, facts)
            if facts:  # a SIRET typed wrong before the check existed
                case.contract = dataclasses.replace(case.contract, employer_siret="73282932000075")
            for ctx in (context(), context(APPRENTICE), context(rules=rules)):
                for reasons in machine.check(case, ctx).values():
                    found.extend(reasons)
    assert found
    assert [reason for reason in found if not is_worded(reason)] == []
    assert all(reason_text(reason, "fr") != reason for reason in found if isinstance(reason, Reason))


@pytest.mark.parametrize(("word", "name", "expected"), [
    ("de", "Inès", "d'Inès"), ("de", "Paul", "de Paul"), ("de", "Émile", "d'Émile"), ("de", "Yves", "d'Yves"),
    ("de", "Yanis", "de Yanis"), ("de", "Hugo", "d'Hugo"), ("que", "Aline", "qu'Aline"), ("à", "Inès", "à Inès"),
])
def test_french_elides_de_and_que_before_a_vowel(word: str, name: str, expected: str) -> None:
    assert elide(word, name) == expected


def test_no_reason_is_worded_twice() -> None:
    """A key written twice in domain/reason_texts.py silently replaces the first words (a dict literal keeps the
    last; TEXTS merges its parts): each key once, across all the parts."""
    tree = ast.parse(Path(reason_texts.__file__).read_text(encoding="utf-8"))
    keys = Counter(key.value for node in ast.walk(tree) if isinstance(node, ast.Dict)
                   for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str))
    worded = {key for key, value in vars(reason_texts).items() if key.endswith("_TEXTS") and isinstance(value, dict)}
    assert worded  # the parts are found
    assert [key for key, count in keys.items() if count > 1 and key in reason_texts.TEXTS] == []

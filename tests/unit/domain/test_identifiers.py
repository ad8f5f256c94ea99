"""The dossier's identifiers (CERFA FA13): SIRET and SIREN (INSEE, python-stdnum), the apprentice's NIR (INSEE,
python-stdnum `fr.nir`), the CFA's UAI (Répertoire national des établissements: 7 digits, a letter mod 23).

SIRET/SIREN refusals also appear in guards' and facts' reasons: tests/unit/domain/test_guards.py checks those.
"""

from __future__ import annotations

import pytest

from contract_flow.domain.identifiers import (
    UAI_LETTERS,
    nir_problem,
    normalise_nir,
    normalise_siren,
    normalise_siret,
    normalise_uai,
    siren_problem,
    siret_problem,
    uai_check_letter,
    uai_problem,
)

NIR_FORMAT = "a NIR has 15 characters: 13 digits (2A or 2B for a birth in Corsica) and its 2-digit key"
NIR_KEY = "the NIR's key (last 2 digits) is wrong: it is 97 minus the first 13 digits modulo 97"
UAI_FORMAT = "a UAI has 7 digits and a check letter (e.g. 0750654D)"


@pytest.mark.parametrize(("typed", "stored", "problem"), [
    pytest.param("732 829 320 00074", "73282932000074", None, id="INSEE's grouping 3 3 3 5"),
    pytest.param("732\u00a0829\u202f320\t00074", "73282932000074", None, id="no-break spaces copied from a page"),
    pytest.param("732.829.320.00074", "73282932000074", None, id="dots, as python-stdnum accepts"),
    pytest.param("73282932000079", "73282932000079", "the SIRET's check digit is wrong (Luhn)",
                 id="the SIRET's Luhn key"),
    pytest.param("73282932100072", "73282932100072", "the SIREN's check digit (9th digit) is wrong (Luhn)",
                 id="a SIRET whose own key holds but whose SIREN's does not"),
    pytest.param("35600000000014", "35600000000014", "the SIRET's check digit is wrong (La Poste)",
                 id="La Poste: digit sum 18, not a multiple of 5"),
    pytest.param("7328293200007", "7328293200007", "a SIRET has exactly 14 digits", id="13 digits"),
])
def test_sirets_are_stored_as_14_digits_and_refused_with_the_rule_they_break(typed: str, stored: str,
                                                                              problem: str | None) -> None:
    assert normalise_siret(typed) == stored
    assert siret_problem(stored) == problem


@pytest.mark.parametrize(("typed", "problem"), [
    pytest.param("732 829 320", None, id="IBM France's SIREN"),
    pytest.param("356000000", None, id="La Poste's SIREN keeps the Luhn key"),
    pytest.param("732829321", "the SIREN's check digit is wrong (Luhn)", id="Luhn"),
    pytest.param("73282932", "a SIREN has exactly 9 digits", id="8 digits"),
])
def test_sirens_are_9_digits_with_a_luhn_key(typed: str, problem: str | None) -> None:
    assert siren_problem(normalise_siren(typed)) == problem


@pytest.mark.parametrize(("typed", "stored", "problem"), [
    pytest.param("2 95 10 99 126 111 93", "295109912611193", None, id="as printed on a carte Vitale"),
    pytest.param("253072B07300470", "253072B07300470", None, id="born in Haute-Corse: 2B counts as 18"),
    pytest.param("2 53 07 2a 073 004 43", "253072A07300443", None, id="born in Corse-du-Sud, typed in lower case"),
    pytest.param("295109912611199", "295109912611199", NIR_KEY, id="a wrong key"),
    pytest.param("253072A07300470", "253072A07300470", NIR_KEY, id="2A and 2B give different keys"),
    pytest.param("253072C07300443", "253072C07300443", NIR_FORMAT, id="2C is no département"),
    pytest.param("2951099126111", "2951099126111", NIR_FORMAT, id="13 digits without the key"),
    pytest.param("2951099126111９3", "295109912611193", None, id="a full-width digit becomes ASCII (stdnum)"),
    pytest.param("2951099126111٩3", "2951099126111٩3", NIR_FORMAT, id="an Arabic-Indic digit stays refused"),
])
def test_a_nir_carries_its_key(typed: str, stored: str, problem: str | None) -> None:
    assert normalise_nir(typed) == stored
    assert nir_problem(stored) == problem


@pytest.mark.parametrize(("typed", "stored", "problem"), [
    pytest.param("0750654D", "0750654D", None, id="Lycée Louis-le-Grand, Paris"),
    pytest.param("0750652B", "0750652B", None, id="Lycée Henri-IV, Paris"),
    pytest.param(" 0750654 d ", "0750654D", None, id="spaces and lower case"),
    pytest.param("0750654E", "0750654E",
                 "the UAI's check letter is wrong: 0750654 calls for D (the 7 digits modulo 23)", id="wrong letter"),
    pytest.param("0750654", "0750654", UAI_FORMAT, id="no letter"),
    pytest.param("075O654D", "075O654D", UAI_FORMAT, id="a letter O for a zero"),
    pytest.param("00750654D", "00750654D", UAI_FORMAT, id="8 digits"),
])
def test_a_uai_ends_with_its_check_letter(typed: str, stored: str, problem: str | None) -> None:
    assert normalise_uai(typed) == stored
    assert uai_problem(stored) == problem


def test_the_uai_alphabet_has_23_letters_without_i_o_and_q() -> None:
    assert len(UAI_LETTERS) == 23
    assert not set("IOQ") & set(UAI_LETTERS)
    assert [uai_check_letter(f"{n:07d}") for n in (0, 8, 22, 23)] == ["A", "J", "Z", "A"]


def test_a_check_letter_needs_7_ascii_digits() -> None:
    with pytest.raises(ValueError, match="exactly 7 digits"):
        uai_check_letter("075065")

"""SIRET numbers: 14 digits whose Luhn checksum is valid (INSEE, "Répertoire SIRENE")."""

from __future__ import annotations

#: La Poste's establishments are numbered outside the Luhn rule; INSEE documents this one exception.
_LA_POSTE_SIREN = "356000000"
_LA_POSTE_HEAD_OFFICE = "35600000000048"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


_DIGITS = frozenset("0123456789")


def siret_problem(value: str) -> str | None:
    """Why `value` is not a valid SIRET, or None when it is."""
    # ASCII digits only: str.isdigit() also accepts "²" or Arabic-Indic digits, which no register holds.
    if len(value) != 14 or not _DIGITS.issuperset(value):
        return "a SIRET has exactly 14 digits"
    if value.startswith(_LA_POSTE_SIREN) and value != _LA_POSTE_HEAD_OFFICE:
        # INSEE: La Poste's establishments (not its head office, which keeps the Luhn key) are numbered so that
        # the sum of the digits is a multiple of 5 (as python-stdnum's siret module checks).
        return None if sum(int(c) for c in value) % 5 == 0 else "the SIRET's check digit is wrong (La Poste)"
    return None if luhn_valid(value) else "the SIRET's check digit is wrong (Luhn)"


def normalise_siret(value: str) -> str:
    """People type SIRETs with spaces ("732 829 320 00074"); store the 14 digits."""
    return "".join(value.split())

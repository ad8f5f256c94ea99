"""SIRET numbers: 14 digits whose Luhn checksum is valid (INSEE, "Répertoire SIRENE")."""

from __future__ import annotations

#: La Poste's establishments are numbered outside the Luhn rule; INSEE documents this one exception.
_LA_POSTE_SIREN = "356000000"


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


def siret_problem(value: str) -> str | None:
    """Why `value` is not a valid SIRET, or None when it is."""
    if len(value) != 14 or not value.isdigit():
        return "a SIRET has exactly 14 digits"
    if value.startswith(_LA_POSTE_SIREN):
        # INSEE: La Poste's SIRETs satisfy "sum of digits is a multiple of 5" instead of Luhn.
        return None if sum(int(c) for c in value) % 5 == 0 else "the SIRET's check digit is wrong (Luhn)"
    return None if luhn_valid(value) else "the SIRET's check digit is wrong (Luhn)"


def normalise_siret(value: str) -> str:
    """People type SIRETs with spaces ("732 829 320 00074"); store the 14 digits."""
    return "".join(value.split())

"""SIRET and SIREN numbers (INSEE, "Répertoire SIRENE"), checked by python-stdnum's `stdnum.fr.siret` and
`stdnum.fr.siren`: a SIRET is 14 digits, the SIREN of its company (9 digits) then the establishment's number; the
whole SIRET and its SIREN each end with a Luhn check digit, except La Poste's establishments, numbered so that the
sum of their digits is a multiple of 5 (INSEE's one documented exception; its head office keeps the Luhn key).

stdnum's exceptions say *that* a number is wrong; the problems below say it in words a person can act on, and are
the refusals' reasons (guards, facts), so their wording is kept.
"""

from __future__ import annotations

from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siren, siret

from contract_flow.domain.reasons import Reason

#: La Poste's SIREN: its establishments' SIRETs follow the sum-of-digits rule (stdnum checks it), to name the rule
#: a refusal broke; its head office keeps the Luhn key.
_LA_POSTE_SIREN = "356000000"
_LA_POSTE_HEAD_OFFICE = "35600000000048"
_DIGITS = frozenset("0123456789")


def siret_problem(value: str) -> Reason | None:
    """Why `value` (already normalised) is not a valid SIRET, or None when it is."""
    # ASCII digits only, before stdnum: its compact() would also take "732.829.320.00074", and the stored value
    # must be the 14 digits (normalise_siret gives them).
    if len(value) != 14 or not _DIGITS.issuperset(value):
        return Reason("siret_length")
    try:
        siret.validate(value)
    except InvalidChecksum:
        if value.startswith(_LA_POSTE_SIREN) and value != _LA_POSTE_HEAD_OFFICE:
            return Reason("siret_key_la_poste")
        # stdnum checks the whole SIRET's key, then its SIREN's: say which one is wrong.
        if luhn.is_valid(value):
            return Reason("siren_key_in_siret")
        return Reason("siret_key")
    except ValidationError as problem:  # length and format were checked above: a future stdnum rule
        return Reason("siret_invalid", problem=str(problem))
    return None


def siren_problem(value: str) -> Reason | None:
    """Why `value` (already normalised) is not a valid SIREN (9 digits, Luhn), or None when it is."""
    if len(value) != 9 or not _DIGITS.issuperset(value):
        return Reason("siren_length")
    return None if siren.is_valid(value) else Reason("siren_key")


def normalise_siret(value: str) -> str:
    """People type SIRETs with spaces ("732 829 320 00074", no-break ones when copied from a page) or dots; store
    the 14 digits."""
    return siret.compact("".join(value.split()))


def normalise_siren(value: str) -> str:
    return siren.compact("".join(value.split()))

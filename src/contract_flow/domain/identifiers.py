"""The identifiers the contract dossier (CERFA FA13) and the Tableau de bord de l'apprentissage ask for, checked
before they are stored: each `*_problem` says why a value is refused (None when it is valid), in words a person
can act on; each `normalise_*` turns what people type (spaces, no-break spaces, lower case) into the stored form.

- SIRET and SIREN (employer, CFA): `contract_flow.domain.siret` (python-stdnum), re-exported here.
- NIR, the apprentice's social security number (CERFA FA13, "apprenti"): 13 characters then a 2-digit key,
  97 - (the 13 as a number mod 97), Corsica's départements 2A/2B counted as 19/18 (INSEE, Répertoire national
  d'identification des personnes physiques); checked by python-stdnum's `stdnum.fr.nir`.
- UAI, the CFA's Unité administrative immatriculée in the Répertoire national des établissements (CERFA FA13,
  "formation"; the TDB's `etablissement_*_uai`, format `^[0-9]{7}[A-Z]$`): 7 digits then a check letter, the
  7 digits as a number mod 23 indexed into "ABCDEFGHJKLMNPRSTUVWXYZ" (the alphabet without I, O and Q). No
  python-stdnum module exists for it; the rule is the one the ministry's apprenticeship catalogue applies
  (mission-apprentissage/catalogue-apprentissage, uaiUtils.js) and gives the published UAIs (0750654D,
  Lycée Louis-le-Grand, Paris).
- DECA number, the contract's number in the ministry's register of apprenticeship contracts (PUBLIC-SYSTEMS.md
  §1), given by the OPCO with its acceptance and asked for a successive contract or an amendment: département
  (3 characters, 02A/02B for Corsica, or 2 for 9x), year, month, two characters (NC or digits) and a 4-digit
  sequence: `^(0[0-9][0-9]|02[AB]|9[012345]|97[12346])[0-9]{4}[01][0-9](NC|[0-9]{2})[0-9]{4}$`, e.g.
  02B202212000000.
"""

from __future__ import annotations

import re

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import nir

from contract_flow.domain.reasons import Reason
from contract_flow.domain.siret import normalise_siren, normalise_siret, siren_problem, siret_problem

__all__ = [
    "DECA_NUMBER",
    "deca_number_problem",
    "nir_problem",
    "normalise_deca_number",
    "normalise_nir",
    "normalise_siren",
    "normalise_siret",
    "normalise_uai",
    "siren_problem",
    "siret_problem",
    "uai_check_letter",
    "uai_problem",
]

UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_UAI = re.compile(r"[0-9]{7}[A-Z]", re.ASCII)
# 1 sex digit, 2 year, 2 month, 2 département (2A/2B for Corsica), 3 commune, 3 order, 2 key: all ASCII.
_NIR = re.compile(r"[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}", re.ASCII)
#: The DECA contract number (PUBLIC-SYSTEMS.md §1): département, year, month, two characters, sequence.
DECA_NUMBER = re.compile(r"(0[0-9][0-9]|02[AB]|9[012345]|97[12346])[0-9]{4}[01][0-9](NC|[0-9]{2})[0-9]{4}", re.ASCII)


def _compact(value: str) -> str:
    return "".join(value.split()).upper()


def normalise_nir(value: str) -> str:
    """"2 95 10 99 126 111 93" (as printed on a carte Vitale) -> "295109912611193"."""
    return nir.compact(_compact(value))


def nir_problem(value: str) -> Reason | None:
    """Why `value` (normalised) is not a NIR with its key, or None when it is."""
    if not _NIR.fullmatch(value):
        return Reason("nir_format")
    try:
        nir.validate(value)
    except InvalidChecksum:
        return Reason("nir_key")
    except ValidationError as problem:  # the format was checked above: a rule of a newer stdnum
        return Reason("nir_invalid", problem=str(problem))
    return None


def uai_check_letter(digits: str) -> str:
    """The UAI's check letter for its 7 digits: their number mod 23 in "ABCDEFGHJKLMNPRSTUVWXYZ"."""
    if len(digits) != 7 or not digits.isascii() or not digits.isdigit():
        raise ValueError(f"{digits!r}: a UAI's check letter is computed from exactly 7 digits")
    return UAI_LETTERS[int(digits) % len(UAI_LETTERS)]


def normalise_uai(value: str) -> str:
    """"0750654d", " 0750654 D " -> "0750654D"."""
    return _compact(value)


def uai_problem(value: str) -> Reason | None:
    """Why `value` (normalised) is not a UAI, or None when it is."""
    if not _UAI.fullmatch(value):
        return Reason("uai_format")
    expected = uai_check_letter(value[:7])
    if value[7] != expected:
        return Reason("uai_letter", digits=value[:7], expected=expected)
    return None


def normalise_deca_number(value: str) -> str:
    """" 02b 2022 12 00 0000 " -> "02B202212000000"."""
    return _compact(value)


def deca_number_problem(value: str) -> Reason | None:
    """Why `value` (normalised) is not a DECA contract number, or None when it is."""
    if not DECA_NUMBER.fullmatch(value):
        return Reason("deca_format")
    return None
